// A tablet: a finger drags a volume onto an instance (the same EC2 action
// as with a mouse), and a finger on the empty canvas pans it instead.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, ARTIFACTS, serve, launch } from './support.mjs';

let server;
let browser;
before(async () => {
  server = await serve(join(ROOT, 'dist'), '/ec2-lab/');
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function touchDrag(cdp, from, to, steps = 12) {
  const point = (x, y) => [{ x, y, id: 1 }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: point(from.x, from.y) });
  for (let i = 1; i <= steps; i++) {
    const x = from.x + ((to.x - from.x) * i) / steps;
    const y = from.y + ((to.y - from.y) * i) / steps;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: point(x, y) });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

const centre = (b) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });

test('on a tablet a finger drags a volume onto an instance out of view: the canvas scrolls along', async () => {
  for (const viewport of [{ width: 1024, height: 768 }, { width: 768, height: 1024 }]) {
    const context = await browser.newContext({ viewport, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.url);
    const volume = page.getByRole('img', { name: /^Volume data-1/ });
    const web1 = page.getByRole('img', { name: /^Instance web-1/ });
    await volume.waitFor();
    // The volume at the bottom of the canvas; the instance scrolled out above.
    await volume.evaluate((e) => e.scrollIntoView({ block: 'end' }));
    const canvas = await page.locator('main.canvas').boundingBox();
    const cdp = await context.newCDPSession(page);
    const touch = (type, x, y) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y, id: 1 }] });
    const from = centre(await volume.boundingBox());
    await touch('touchStart', from.x, from.y);
    const edge = canvas.y + 12;
    for (let i = 1; i <= 10; i++) await touch('touchMove', from.x, from.y + ((edge - from.y) * i) / 10);
    // Held at the top edge, the canvas scrolls up until the instance shows.
    for (let i = 0; i < 80 && (await web1.boundingBox()).y < canvas.y + 20; i++) {
      await touch('touchMove', from.x + (i % 2), edge);
    }
    const to = centre(await web1.boundingBox());
    for (let i = 1; i <= 6; i++) await touch('touchMove', from.x + ((to.x - from.x) * i) / 6, edge + ((to.y - edge) * i) / 6);
    await touch('touchEnd');
    await page.getByRole('img', { name: /^Volume data-1.*attached to web-1/ }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, `touch-attach-${viewport.width}x${viewport.height}.png`) });
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('on a tablet a finger on the empty canvas pans it', async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByRole('img', { name: /^Instance web-1/ }).waitFor();
  const canvas = page.locator('main.canvas');
  const box = await canvas.boundingBox();
  const cdp = await context.newCDPSession(page);
  // From the empty top of the Region, upward: the canvas scrolls down.
  await touchDrag(cdp, { x: box.x + 30, y: box.y + box.height - 20 }, { x: box.x + 30, y: box.y + 40 }, 20);
  await page.waitForFunction(() => document.querySelector('main.canvas').scrollTop > 50);
  assert.equal(await page.getByRole('log', { name: 'Event log entries' }).locator('li').count(), 0, 'panning did nothing to the account');
  await context.close();
});

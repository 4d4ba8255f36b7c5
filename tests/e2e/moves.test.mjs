// Moving nodes and copying across Regions: a node dropped where it means
// nothing stays where the learner put it (inside its own box) and is still
// there after a reload; Tidy puts it back. A snapshot or AMI dropped on
// another Region is copied there, with a new id.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, ARTIFACTS, serve, launch, open } from './support.mjs';

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

const transform = (page, name) =>
  page.getByRole('img', { name }).first().getAttribute('transform');

test('a node moved within its subnet stays moved after a reload; Tidy puts it back', async () => {
  const { page, errors } = await open(browser, server.url, { width: 1920, height: 1080 });
  const web1 = /^Instance web-1/;
  const at = await transform(page, web1);
  const box = await page.getByRole('img', { name: web1 }).boundingBox();
  await page.mouse.move(box.x + 40, box.y + 20);
  await page.mouse.down();
  await page.mouse.move(box.x + 60, box.y + 24, { steps: 5 });
  await page.mouse.move(box.x + 100, box.y + 26, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction((before) => {
    const node = [...document.querySelectorAll('svg#diagram [role=img]')]
      .find((n) => n.getAttribute('aria-label').startsWith('Instance web-1'));
    return node && node.getAttribute('transform') !== before;
  }, at);
  const moved = await transform(page, web1);
  assert.notEqual(moved, at);
  await page.reload();
  await page.getByRole('img', { name: web1 }).waitFor();
  assert.equal(await transform(page, web1), moved);

  // The keyboard moves it too: Shift+arrows on the focused node.
  await page.getByRole('img', { name: web1 }).focus();
  await page.keyboard.press('Shift+ArrowLeft');
  await page.waitForFunction((before) => {
    const node = document.activeElement;
    return node?.getAttribute('aria-label')?.startsWith('Instance web-1') && node.getAttribute('transform') !== before;
  }, moved);

  await page.getByRole('button', { name: 'Tidy' }).click();
  await page.waitForFunction((before) => {
    const node = [...document.querySelectorAll('svg#diagram [role=img]')]
      .find((n) => n.getAttribute('aria-label').startsWith('Instance web-1'));
    return node?.getAttribute('transform') === before;
  }, at);
  assert.deepEqual(errors, []);
});

test('an AMI dropped on another Region is copied there with a new id', async () => {
  const { page, errors } = await open(browser, server.url, { width: 1920, height: 1080 });
  const ami = page.getByRole('img', { name: /^Quick Start AMI Amazon Linux 2023/ }).first();
  const target = page.getByRole('group', { name: /^Region Europe \(Ireland\) · eu-west-1/ });
  await target.scrollIntoViewIfNeeded();
  await ami.scrollIntoViewIfNeeded();
  const a = await ami.boundingBox();
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 20, a.y + a.height / 2 + 20, { steps: 4 });
  const b = await target.boundingBox();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
  const log = page.getByRole('log', { name: 'Event log entries' });
  await log.getByText(/aws ec2 copy-image --source-region us-east-1 --source-image-id ami-\w+ --name .* --region eu-west-1/).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'copy-image-1920x1080.png') });

  await page.getByRole('combobox', { name: 'Region' }).selectOption('eu-west-1');
  const copy = page.getByRole('img', { name: /-copy/ });
  await copy.waitFor();
  const source = (await log.innerText()).match(/--source-image-id (ami-\w+)/)[1];
  assert.ok(!(await copy.getAttribute('aria-label')).includes(source), 'the copy has its own id');
  assert.deepEqual(errors, []);
});

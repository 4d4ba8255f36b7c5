// The lab survives: a reload finds it intact (autosave), a share link opens
// the same lab in a fresh browser, and a corrupt link is refused without
// touching the learner's own lab.
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

async function attachDataToWeb1(page) {
  await page.getByRole('img', { name: /^Volume data-1/ }).focus();
  await page.keyboard.press('Enter');
  await page.getByLabel(/^Move vol-\w+ to…$/).selectOption({ label: 'Attach to Instance web-1' });
  await page.getByRole('button', { name: 'Do it' }).click();
  await page.getByRole('img', { name: /^Volume data-1.*attached to web-1/ }).waitFor();
}

test('a reload finds the lab intact, and a share link opens it in a fresh browser', async () => {
  const { page, context, errors } = await open(browser, server.url);
  await attachDataToWeb1(page);
  await page.reload();
  await page.getByRole('img', { name: /^Volume data-1.*attached to web-1/ }).waitFor();
  await page.getByRole('button', { name: 'Share' }).click();
  const link = (await page.getByRole('status').filter({ hasText: 'Share link' }).innerText()).match(/Share link[^:]*: (\S+)/)[1];
  // Compressed and versioned: a short link for a whole lab.
  assert.match(link, /#lab2=[A-Za-z0-9_-]+$/);
  assert.ok(link.length < 600, `a one-change lab makes a ${link.length}-character link`);
  assert.deepEqual(errors, []);
  await context.close();

  // A fresh browser context: no autosave, only the link.
  const fresh = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const other = await fresh.newPage();
  await other.goto(link);
  await other.getByRole('img', { name: /^Volume data-1.*attached to web-1/ }).waitFor();
  await other.screenshot({ path: join(ARTIFACTS, 'share-link-1280x800.png') });
  await fresh.close();
});

test('a corrupt link is refused with a message and the learner keeps their lab', async () => {
  const { page, context } = await open(browser, server.url);
  await attachDataToWeb1(page);
  await page.goto(`${server.url}#lab=bm90IGEgbGFi`);
  await page.reload();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /could not be opened: line 1: this is not a saved EC2 Lab/);
  await page.getByRole('img', { name: /^Volume data-1.*attached to web-1/ }).waitFor();
  // A compressed link whose data does not inflate.
  await page.goto(`${server.url}#lab2=AAAAAAAAAAAA`);
  await page.reload();
  await page.getByRole('alert').filter({ hasText: /could not be opened: the link is damaged \(it does not inflate\)/ }).waitFor();
  await page.getByRole('img', { name: /^Volume data-1.*attached to web-1/ }).waitFor();
  await context.close();
});

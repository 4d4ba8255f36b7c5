// Drag and drop, as a learner does it: every drop is one EC2 action, shown
// in the event log as its CLI line; a drop AWS refuses shows AWS's error
// where the learner looks and changes nothing; Undo takes an action back.
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

/// Drags the node with accessible name matching `from` onto the one matching `to`.
async function drag(page, from, to) {
  const source = page.getByRole('img', { name: from }).first();
  const target = page.getByRole(to.role ?? 'img', { name: to.name ?? to }).first();
  await target.scrollIntoViewIfNeeded();
  await source.scrollIntoViewIfNeeded();
  const a = await source.boundingBox();
  const b = await target.boundingBox();
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 20, a.y + a.height / 2 + 20, { steps: 4 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

test('a cross-AZ attach is refused with AWS error; a same-AZ attach works and undoes', async () => {
  const { page, errors } = await open(browser, server.url, { width: 1920, height: 1080 });
  await drag(page, /^Volume data-1/, /^Instance web-2/);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /InvalidVolume\.ZoneMismatch/);
  const log = page.getByRole('log', { name: 'Event log entries' });
  assert.match(await log.innerText(), /aws ec2 attach-volume --volume-id vol-\w+ --instance-id i-\w+ --device \/dev\/sdf/);

  await drag(page, /^Volume data-1/, /^Instance web-1/);
  await page.getByRole('status').filter({ hasText: 'attach-volume' }).waitFor();
  assert.equal(await page.getByRole('img', { name: /^Volume data-1.*attached to web-1 at \/dev\/sdf/ }).count(), 1);
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.getByRole('img', { name: /^Volume data-1.*available in us-east-1a/ }).waitFor();
  assert.match(await log.innerText(), /# undo: aws ec2 attach-volume/);
  await page.keyboard.press('Control+Shift+Z');
  await page.getByRole('img', { name: /^Volume data-1.*attached to web-1 at \/dev\/sdf/ }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'drag-attach-1920x1080.png') });
  assert.deepEqual(errors, []);
});

test('an AMI dropped on a subnet opens a pre-filled launch form, and launches', async () => {
  const { page, errors } = await open(browser, server.url, { width: 1920, height: 1080 });
  const before = await page.getByRole('img', { name: /^Instance / }).count();
  await drag(page, /^Quick Start AMI Amazon Linux 2023/, { role: 'group', name: /^Public subnet public-b/ });
  const form = page.getByRole('dialog', { name: 'Launch an instance in public-b' });
  await form.waitFor();
  assert.equal(await form.getByLabel('Instance type').inputValue(), 't3.micro');
  await form.getByLabel('Name').fill('web-3');
  const sg = (await form.getByLabel('Security group').locator('option', { hasText: /^web-sg / }).textContent()).trim();
  await form.getByLabel('Security group').selectOption({ label: sg });
  await form.getByLabel('User data').fill('#!/bin/bash\ndnf install -y httpd\nsystemctl enable --now httpd\n');
  await page.screenshot({ path: join(ARTIFACTS, 'launch-form-1920x1080.png') });
  await form.getByRole('button', { name: 'Launch' }).click();
  await page.getByRole('status').filter({ hasText: 'run-instances' }).waitFor();
  assert.match(await page.getByRole('status').filter({ hasText: 'run-instances' }).innerText(), /--security-group-ids sg-\w+ --user-data/);
  await page.getByRole('img', { name: /^Instance web-3 .*pending, subnet public-b$/ }).waitFor();
  assert.equal(await page.getByRole('img', { name: /^Instance / }).count(), before + 1);
  await page.screenshot({ path: join(ARTIFACTS, 'drag-launch-1920x1080.png') });
  assert.deepEqual(errors, []);
});

test('a launch AWS refuses keeps the form open with the reason and the learner\'s values', async () => {
  const { page, errors } = await open(browser, server.url, { width: 1920, height: 1080 });
  await drag(page, /^Quick Start AMI Amazon Linux 2023/, { role: 'group', name: /^Public subnet public-b/ });
  const form = page.getByRole('dialog', { name: 'Launch an instance in public-b' });
  await form.getByLabel('Name').fill('tiny');
  await form.getByLabel('Size (GiB)').fill('1');
  await form.getByRole('button', { name: 'Launch' }).click();
  const refusal = form.getByRole('alert').filter({ hasText: 'Not launched' });
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /Not launched: InvalidBlockDeviceMapping/);
  assert.equal(await form.getByLabel('Name').inputValue(), 'tiny');
  await page.screenshot({ path: join(ARTIFACTS, 'launch-refused-1920x1080.png') });
  await form.getByLabel('Size (GiB)').fill('16');
  await form.getByRole('button', { name: 'Launch' }).click();
  await page.getByRole('img', { name: /^Instance tiny / }).waitFor();
  assert.equal(await page.getByRole('dialog').count(), 0);
  assert.deepEqual(errors, []);
});

test('the keyboard does what a drag does: select, choose a target, do it', async () => {
  const { page, errors } = await open(browser, server.url);
  await page.getByRole('img', { name: /^Volume data-1/ }).focus();
  await page.keyboard.press('Enter');
  const menu = page.getByLabel(/^Move vol-\w+ to…$/);
  await menu.selectOption({ label: 'Attach to Instance web-2' });
  await page.getByRole('button', { name: 'Do it' }).click();
  assert.match(await page.getByRole('alert').innerText(), /InvalidVolume\.ZoneMismatch/);
  await menu.selectOption({ label: 'Attach to Instance web-1' });
  await page.getByRole('button', { name: 'Do it' }).click();
  await page.getByRole('img', { name: /^Volume data-1.*attached to web-1 at \/dev\/sdf/ }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'keyboard-attach-1280x800.png') });
  assert.deepEqual(errors, []);
});

test('the text view lists the lab as tables, and the Region selector shows another Region', async () => {
  const { page, errors } = await open(browser, server.url);
  await page.getByRole('button', { name: 'Text view' }).click();
  const instances = page.getByRole('table', { name: 'Instances' });
  await instances.waitFor();
  assert.match(await instances.innerText(), /web-1\s+i-[0-9a-f]{17}\s+running\s+t3\.micro/);
  await page.getByRole('button', { name: 'Text view' }).click();
  await page.getByRole('combobox', { name: 'Region' }).selectOption('eu-west-1');
  await page.getByRole('group', { name: /^Region Europe \(Ireland\)/ }).waitFor();
  assert.equal(await page.getByRole('img', { name: /^Instance / }).count(), 0);
  assert.deepEqual(errors, []);
});

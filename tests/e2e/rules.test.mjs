// Rules and traffic, as a learner works them: test a flow, block it with a
// network ACL entry and watch the trace change, undo it; bad input is
// refused beside the field.
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

test('a network ACL entry blocks a flow, the trace changes, and Undo brings it back', async () => {
  const { page, errors } = await open(browser, server.url, { width: 1920, height: 1080 });
  const tester = page.getByRole('region', { name: 'Traffic tester' });
  await tester.getByLabel('Source').selectOption({ label: 'The internet' });
  const web1 = (await tester.getByLabel('Destination').locator('option', { hasText: /^web-1 / }).textContent()).trim();
  await tester.getByLabel('Destination').selectOption({ label: web1 });
  await tester.getByRole('button', { name: 'Test traffic' }).click();
  const verdict = tester.locator('.verdict');
  assert.match(await verdict.innerText(), /ALLOWED/);
  assert.match(await tester.innerText(), /Service: httpd|allowed by/);

  // Select public-a (click its header) and deny TCP 80 inbound at rule 90.
  const subnet = page.getByRole('group', { name: /^Public subnet public-a/ });
  await subnet.click({ position: { x: 200, y: 14 } });
  const form = page.getByRole('group', { name: /^Add a rule to network ACL/ });
  await form.getByLabel('Rule number').fill('0');
  await form.getByRole('button', { name: 'Add ACL rule' }).click();
  assert.match(await form.locator('.field-error').innerText(), /Rule numbers are 1 to 32766/);
  await form.getByLabel('Rule number').fill('90');
  await form.getByRole('button', { name: 'Add ACL rule' }).click();
  await page.getByRole('table', { name: /^Inbound rules of network ACL/ }).getByText('90', { exact: true }).waitFor();
  await page.waitForFunction(() => document.querySelector('.verdict')?.textContent.includes('BLOCKED'));
  assert.match(await verdict.innerText(), /BLOCKED \(request\)/);
  assert.match(await tester.innerText(), /rule 90/);
  // The path lights up on the diagram and stops, in red, at the subnet's ACL.
  const subnetId = await subnet.getAttribute('data-resource-id');
  await page.waitForFunction((id) => document.querySelector('svg#diagram style')?.textContent
    .includes(`[data-resource-id="${id}"] > .frame { stroke: #d13212`), subnetId);
  await page.screenshot({ path: join(ARTIFACTS, 'acl-blocks-1920x1080.png') });

  await page.getByRole('button', { name: 'Undo' }).click();
  await page.waitForFunction(() => document.querySelector('.verdict')?.textContent.includes('ALLOWED'));
  assert.deepEqual(errors, []);
});

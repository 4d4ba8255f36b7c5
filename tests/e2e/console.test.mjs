// The console, as a learner uses it: type AWS CLI lines, complete them with
// Tab, recall them with ↑, see AWS's errors, and find what the console did
// in the diagram, the event log, undo, a reload and a share link.
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

async function run(page, line) {
  const input = page.getByRole('textbox', { name: 'Command console' });
  await input.fill(line);
  await input.press('Enter');
}

const output = (page) => page.getByRole('log', { name: 'Console output' });

test('the console runs AWS CLI lines: reads print, changes show on the diagram and can be undone', async () => {
  const { page, context, errors } = await open(browser, server.url);
  const input = page.getByRole('textbox', { name: 'Command console' });
  await input.focus();

  await run(page, 'aws ec2 describe-vpcs --query Vpcs[].CidrBlock --output text');
  await output(page).getByText('10.0.0.0/16', { exact: true }).waitFor();
  // A read changes nothing: nothing to undo.
  assert.equal(await page.getByRole('button', { name: 'Undo' }).isDisabled(), true);

  // Tab completes the operation; the output format menu applies to aws lines.
  await input.fill('aws ec2 create-vol');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'aws ec2 create-volume ');
  await page.getByRole('combobox', { name: 'Output format' }).selectOption('text');
  await run(page, 'aws ec2 create-volume --availability-zone us-east-1a --size 8 --tag-specifications "ResourceType=volume,Tags=[{Key=Name,Value=scratch}]" --query VolumeId');
  await page.getByRole('img', { name: /^Volume scratch/ }).waitFor();
  await output(page).getByText(/^vol-[0-9a-f]{17}$/).waitFor();
  await page.getByRole('log', { name: 'Event log entries' }).getByText(/aws ec2 create-volume .*Value=scratch/).waitFor();

  // ↑ recalls the last line as it ran (with the chosen output format).
  await input.press('ArrowUp');
  assert.match(await input.inputValue(), /^aws ec2 create-volume .* --query VolumeId --output text$/);
  await input.fill('');

  // AWS's error, in the console's own words.
  await run(page, 'aws ec2 attach-volume --volume-id vol-0000000000nope --instance-id i-1 --device /dev/sdf');
  await output(page).getByText(/An error occurred \(InvalidVolume\.NotFound\) when calling the AttachVolume operation/).waitFor();

  await page.screenshot({ path: join(ARTIFACTS, 'console-1280x800.png') });

  await page.getByRole('button', { name: 'Undo' }).click();
  await page.getByRole('img', { name: /^Volume scratch/ }).waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Redo' }).click();
  await page.getByRole('img', { name: /^Volume scratch/ }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a command typed over several lines runs whole, as bash would read it', async () => {
  const { page, context, errors } = await open(browser, server.url);
  const input = page.getByRole('textbox', { name: 'Command console' });
  await input.focus();
  await page.locator('textarea[aria-busy="false"]').waitFor();
  // A backslash at the end, or a quote still open: Enter starts the next line.
  await input.pressSequentially('aws ec2 create-volume --availability-zone us-east-1a \\');
  await input.press('Enter');
  await input.pressSequentially('--size 8 --tag-specifications "ResourceType=volume,Tags=[{Key=Name,Value=two');
  await input.press('Enter');
  await input.pressSequentially('lines}]"');
  assert.equal(await input.inputValue(), 'aws ec2 create-volume --availability-zone us-east-1a \\\n--size 8 --tag-specifications "ResourceType=volume,Tags=[{Key=Name,Value=two\nlines}]"');
  assert.equal(await input.getAttribute('rows'), '3');
  // ↑ inside a command of several lines moves the caret, not to history.
  await input.press('ArrowUp');
  assert.match(await input.inputValue(), /Value=two\nlines/);
  await input.press('End');
  await page.screenshot({ path: join(ARTIFACTS, 'console-multiline-1280x800.png') });
  await input.press('Control+End');
  await input.press('Enter');
  await page.getByRole('img', { name: /^Volume two\nlines|^Volume two lines/ }).waitFor();
  assert.equal(await input.inputValue(), '');
  assert.equal(await input.getAttribute('rows'), '1');
  // Shift+Enter adds a line even where the command is complete.
  await input.pressSequentially('aws ec2 describe-volumes');
  await input.press('Shift+Enter');
  await input.pressSequentially('--query Volumes[].Size --output text');
  await input.press('Enter');
  await output(page).getByText(/^8\s+8\s+8\s+8\s+20\s+8$|^(\d+\s+)+\d+$/).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a lab made at the console survives a reload and travels in a share link', async () => {
  const { page, context, errors } = await open(browser, server.url);
  await page.getByRole('textbox', { name: 'Command console' }).focus();
  await run(page, 'aws ec2 create-volume --availability-zone us-east-1b --size 20 --volume-type io2 --iops 3000 --tag-specifications "ResourceType=volume,Tags=[{Key=Name,Value=fast}]"');
  await page.getByRole('img', { name: /^Volume fast/ }).waitFor();

  await page.reload();
  await page.getByRole('img', { name: /^Volume fast/ }).waitFor();

  await page.getByRole('button', { name: 'Share' }).click();
  const status = await page.getByRole('status').filter({ hasText: 'Share link' }).innerText();
  const link = status.match(/Share link[^:]*: (\S+)/)[1];
  assert.match(link, /#lab2=[A-Za-z0-9_-]+$/);
  assert.deepEqual(errors, []);
  await context.close();

  const fresh = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const other = await fresh.newPage();
  await other.goto(link);
  await other.getByRole('img', { name: /^Volume fast/ }).waitFor();
  await other.getByRole('status').filter({ hasText: 'Opened the lab from the link' }).waitFor();
  await fresh.close();
});

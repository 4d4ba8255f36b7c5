// Automated accessibility check (axe-core, WCAG 2 A and AA rules) of the
// lab as a learner sees it: the diagram, the header tools, the inspector
// with a selection, the event log after a refused action, and the text view.
// No serious or critical violation is allowed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, serve, launch, open } from './support.mjs';

let server;
let browser;
let axe;
before(async () => {
  server = await serve(join(ROOT, 'dist'), '/ec2-lab/');
  browser = await launch();
  axe = await readFile(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function violations(page) {
  await page.addScriptTag({ content: axe });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

test('no serious or critical accessibility violations', async () => {
  const { page } = await open(browser, server.url);
  assert.deepEqual(await violations(page), [], 'the default lab');
  await page.getByRole('img', { name: /^Volume data-1/ }).focus();
  await page.keyboard.press('Enter');
  await page.getByLabel(/^Move vol-\w+ to…$/).selectOption({ label: 'Attach to Instance web-2' });
  await page.getByRole('button', { name: 'Do it' }).click();
  await page.getByRole('alert').waitFor();
  assert.deepEqual(await violations(page), [], 'after a refused action');
  await page.getByRole('button', { name: 'Text view' }).click();
  assert.deepEqual(await violations(page), [], 'the text view');
  await page.getByRole('button', { name: 'Text view' }).click();

  // The console with output and an error, and a traced flow with its
  // deciding rule shown in the inspector.
  const input = page.getByRole('textbox', { name: 'Command console' });
  await input.focus();
  for (const line of ['aws ec2 describe-vpcs --output table', 'aws ec2 start-instances --instance-ids i-0000000000nope']) {
    await input.fill(line);
    await input.press('Enter');
  }
  await page.getByRole('log', { name: 'Console output' }).getByText(/InvalidInstanceID/).waitFor();
  await page.getByRole('button', { name: 'Test traffic' }).click();
  await page.getByRole('img', { name: /^Instance web-2/ }).click();
  assert.deepEqual(await violations(page), [], 'the console, a trace and an instance in the inspector');

  // The exercise picker, with a refused pack, and an exercise with a hint.
  await page.getByRole('button', { name: 'Exercises' }).click();
  const picker = page.getByRole('dialog', { name: 'Exercises' });
  await picker.getByLabel('Load a pack from a file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"format": 1}') });
  await picker.getByRole('alert').waitFor();
  assert.deepEqual(await violations(page), [], 'the exercise picker with a refused pack');
  await picker.getByRole('button', { name: /^What is inside an AMI/ }).click();
  await page.getByRole('button', { name: /^Hint \(1 of/ }).click();
  assert.deepEqual(await violations(page), [], 'an exercise with a hint');
});

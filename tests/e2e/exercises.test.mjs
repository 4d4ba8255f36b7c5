// Guided exercises, as a learner works them: pick one from each track, read
// the brief, take a hint, type a step at the console, open the solution
// (behind a confirmation) and run the rest step by step, watch the goals
// tick off and the exercise complete; progress and the exercise's lab
// survive a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
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

const TRACKS = ['AMI vs snapshot', 'User data vs AMI', 'Security groups vs network ACLs', 'Storage'];

test('a learner completes one exercise from each track, and progress survives a reload', async () => {
  const { page, errors } = await open(browser, server.url, { width: 1440, height: 900 });
  page.on('dialog', (d) => d.accept());
  const panel = page.locator('section.exercise');
  for (const [n, track] of TRACKS.entries()) {
    await page.getByRole('button', { name: 'Exercises' }).click();
    const picker = page.getByRole('dialog', { name: 'Exercises' });
    const choice = picker.locator('section.track').filter({ has: page.getByRole('heading', { name: track }) }).getByRole('button').first();
    const title = (await choice.innerText()).replace(/^[○✓]\s*/, '').trim();
    await choice.click();
    await page.getByRole('heading', { name: title, level: 2 }).waitFor();
    const goals = panel.locator('#goals-title');
    assert.match(await goals.innerText(), /^Goals: 0 of \d+ met$/, `${title} starts unsolved`);

    await panel.getByRole('button', { name: /^Hint \(1 of/ }).click();
    assert.equal(await panel.locator('ol.hints li').count(), 1);

    await panel.getByRole('button', { name: 'Show solution' }).click();
    const steps = panel.locator('.solution li');
    const count = await steps.count();
    assert.ok(count > 0, `${title} has a solution`);
    let typed = false;
    for (let i = 0; i < count; i++) {
      const line = (await steps.nth(i).locator('code').innerText()).trim();
      if (!typed && !line.includes('\n')) {
        // The first one-line step typed at the console, as a learner would.
        typed = true;
        const input = page.getByRole('textbox', { name: 'Command console' });
        await input.fill(line);
        await input.press('Enter');
        await page.getByRole('log', { name: 'Console output' }).locator('li').last().getByText(line, { exact: true }).waitFor();
      } else {
        await steps.nth(i).getByRole('button', { name: `Run: ${line}` }).click();
      }
    }
    await panel.getByRole('heading', { name: 'Exercise complete' }).waitFor({ timeout: 10000 }).catch(async (e) => {
      throw new Error(`${title}: ${await panel.innerText()}\n${await page.getByRole('log', { name: 'Console output' }).innerText()}`);
    });
    assert.match(await goals.innerText(), /^Goals: (\d+) of \1 met$/);
    if (n === 2) await page.screenshot({ path: join(ARTIFACTS, 'exercise-complete-1440x900.png') });
  }

  // The last exercise's lab and everyone's progress survive a reload.
  await page.reload();
  await panel.getByRole('heading', { name: 'Exercise complete' }).waitFor();
  await page.getByRole('button', { name: 'Exercises' }).click();
  const picker = page.getByRole('dialog', { name: 'Exercises' });
  await picker.getByText(/^4 of \d+ finished/).waitFor();
  assert.equal(await picker.getByRole('button', { name: /\(finished\)$/ }).count(), 4);
  await picker.getByRole('button', { name: 'Close' }).click();

  // Leaving returns to the learner's own lab.
  await panel.getByRole('button', { name: 'Leave' }).click();
  await page.getByRole('status').filter({ hasText: 'Back to your own lab' }).waitFor();
  assert.equal(await page.locator('#exercise-title').count(), 0);
  assert.deepEqual(errors, []);
});

test('an instructor link opens one exercise directly; a bad one is refused', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${server.url}#exercise=nacl-block-attacker`);
  await page.locator('section.exercise #goals-title').waitFor();
  assert.match(await page.locator('#goals-title').innerText(), /^Goals: 0 of \d+ met$/);
  await page.goto(`${server.url}#exercise=<script>`);
  await page.reload();
  await page.getByRole('alert').filter({ hasText: "is not an exercise id" }).waitFor();
  await page.goto(`${server.url}#exercise=no-such-exercise`);
  await page.reload();
  await page.getByRole('alert').filter({ hasText: "there is no exercise 'no-such-exercise'" }).waitFor();
  await context.close();
});

// The complete example of docs/exercise-format.md: an instructor's pack.
async function docPack() {
  const doc = await readFile(join(ROOT, 'docs/exercise-format.md'), 'utf8');
  const body = doc.slice(doc.indexOf('## A complete example'));
  const open = body.indexOf('```json\n') + '```json\n'.length;
  return body.slice(open, body.indexOf('```', open));
}

test('an instructor pack loads from a file or a URL, is refused saying where when broken, and travels with its lab', async () => {
  const pack = await docPack();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route('**/packs/ssh.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: pack }));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => d.accept());
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Exercises' }).click();
  const picker = page.getByRole('dialog', { name: 'Exercises' });
  const file = picker.getByLabel('Load a pack from a file');

  // A broken pack is refused with the exercise and the JSON path.
  await file.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(pack.replace('"check": "flow"', '"check": "flw"')) });
  await picker.getByRole('alert').filter({ hasText: /^The pack from the file broken\.json was not loaded: line \d+ column \d+: exercise 'open-ssh' at \$\.exercises\[0\]\.goals\[0\]\.check: unknown variant `flw`/ }).waitFor();
  // One whose solution does not meet its goals is refused as check-pack would.
  await file.setInputFiles({ name: 'unsound.json', mimeType: 'application/json', buffer: Buffer.from(pack.replace('--port 22 --cidr {{admin}}/32', '--port 2222 --cidr {{admin}}/32')) });
  await picker.getByRole('alert').filter({ hasText: "it is not sound: exercise 'open-ssh': seed 0: the solution leaves goal 'admin-in' unmet" }).waitFor();
  assert.equal(await picker.getByRole('heading', { name: /^Pack:/ }).count(), 0);
  await picker.getByRole('alert').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'exercise-pack-refused-1280x800.png') });

  // A sound one is offered beside the catalogue.
  await file.setInputFiles({ name: 'ssh.json', mimeType: 'application/json', buffer: Buffer.from(pack) });
  await picker.getByRole('status').filter({ hasText: "Loaded the pack 'SSH for the admin' from the file ssh.json: 1 exercise" }).waitFor();
  const section = picker.locator('section.pack').filter({ has: page.getByRole('heading', { name: 'Pack: SSH for the admin' }) });
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'exercise-pack-loaded-1280x800.png') });
  await section.getByRole('button', { name: /^Open SSH to one address/ }).click();
  const panel = page.locator('section.exercise');
  await page.getByRole('heading', { name: 'Open SSH to one address', level: 2 }).waitFor();
  const admin = (await panel.locator('.brief').innerText()).match(/laptop at (\S+) reach/)[1];
  const input = page.getByRole('textbox', { name: 'Command console' });
  await input.fill('aws ec2 describe-security-groups --filters Name=group-name,Values=web-sg --query SecurityGroups[0].GroupId --output text');
  await input.press('Enter');
  const log = page.getByRole('log', { name: 'Console output' });
  await log.locator('li').last().getByText(/sg-[0-9a-f]{17}/).waitFor();
  const group = (await log.locator('li').last().innerText()).match(/sg-[0-9a-f]{17}/)[0];
  await input.fill(`aws ec2 authorize-security-group-ingress --group-id ${group} --protocol tcp --port 22 --cidr ${admin}/32`);
  await input.press('Enter');
  await panel.getByRole('heading', { name: 'Exercise complete' }).waitFor();

  // After a reload the exercise, its pack and the progress are all there.
  await page.reload();
  await panel.getByRole('heading', { name: 'Exercise complete' }).waitFor();
  await page.getByRole('button', { name: 'Exercises' }).click();
  await section.getByRole('button', { name: /^Open SSH to one address.*\(finished\)$/ }).waitFor();

  // A share link carries the pack: a fresh browser that never loaded it
  // opens the same exercise, still complete.
  await picker.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Share' }).click();
  const link = (await page.getByRole('status').filter({ hasText: 'Share link' }).innerText()).match(/Share link[^:]*: (\S+)/)[1];
  const fresh = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const other = await fresh.newPage();
  await other.goto(link);
  await other.locator('section.exercise').getByRole('heading', { name: 'Exercise complete' }).waitFor();
  assert.equal(new URL(other.url()).hash, '', 'the link is taken off the address once opened');
  await fresh.close();

  // Removing the pack takes it off the picker; the URL form brings it back.
  await page.getByRole('button', { name: 'Exercises' }).click();
  await section.getByRole('button', { name: "Remove pack 'SSH for the admin'" }).click();
  await picker.getByRole('status').filter({ hasText: "Removed the pack 'SSH for the admin'" }).waitFor();
  assert.equal(await section.count(), 0);
  const url = picker.getByRole('textbox', { name: 'Pack URL' });
  await url.fill(`${server.url}packs/missing.json`);
  await picker.getByRole('button', { name: 'Open pack' }).click();
  await picker.getByRole('alert').filter({ hasText: `the server answered 404 Not Found for ${server.url}packs/missing.json` }).waitFor();
  await url.fill(`${server.url}packs/ssh.json`);
  await picker.getByRole('button', { name: 'Open pack' }).click();
  await picker.getByRole('status').filter({ hasText: `Loaded the pack 'SSH for the admin' from ${server.url}packs/ssh.json` }).waitFor();
  await section.getByRole('button', { name: /^Open SSH to one address/ }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('an instructor link opens a pack, or one exercise of it, directly', async () => {
  const pack = await docPack();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route('**/packs/ssh.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: pack }));
  const page = await context.newPage();
  await page.goto(`${server.url}#pack=${server.url}packs/ssh.json`);
  const picker = page.getByRole('dialog', { name: 'Exercises' });
  await picker.getByRole('heading', { name: 'Pack: SSH for the admin' }).waitFor();
  await picker.getByRole('status').filter({ hasText: "Loaded the pack 'SSH for the admin'" }).waitFor();
  await picker.getByRole('button', { name: 'Close' }).click();

  await page.goto(`${server.url}#exercise=open-ssh&pack=${encodeURIComponent(`${server.url}packs/ssh.json`)}`);
  await page.reload();
  await page.getByRole('heading', { name: 'Open SSH to one address', level: 2 }).waitFor();
  assert.match(await page.locator('#goals-title').innerText(), /^Goals: 0 of 2 met$/);
  assert.equal(new URL(page.url()).hash, '');

  // A pack that cannot be fetched is refused in the picker; the lab stays.
  await page.goto(`${server.url}#pack=${server.url}packs/gone.json`);
  await page.reload();
  await picker.getByRole('alert').filter({ hasText: 'The pack was not loaded: the server answered 404 Not Found' }).waitFor();
  await picker.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('heading', { name: 'Open SSH to one address', level: 2 }).waitFor();
  await context.close();
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

test('a learner solves an exercise by dragging on the diagram, waiting at the console', async () => {
  const { page, errors } = await open(browser, server.url, { width: 1920, height: 1080 });
  await page.getByRole('button', { name: 'Exercises' }).click();
  await page.getByRole('dialog', { name: 'Exercises' }).getByRole('button', { name: /^Move a volume to another Availability Zone/ }).click();
  const panel = page.locator('section.exercise');
  await panel.locator('#goals-title').filter({ hasText: 'Goals: 0 of 1 met' }).waitFor();
  const input = page.getByRole('textbox', { name: 'Command console' });
  const wait = async (seconds) => {
    await input.fill(`lab advance --seconds ${seconds}`);
    await input.press('Enter');
    await page.getByRole('log', { name: 'Console output' }).locator('li').last().getByText(`lab advance --seconds ${seconds}`).waitFor();
  };
  // The volume onto the snapshot shelf: create-snapshot.
  await drag(page, /^Volume data-1/, { role: 'group', name: /^Snapshots shelf/ });
  await page.locator('.notice[role=status]').filter({ hasText: 'aws ec2 create-snapshot' }).waitFor();
  await wait(60);
  // The snapshot onto the other AZ: create-volume there.
  await drag(page, /^Snapshot /, { role: 'group', name: /^Availability Zone us-east-1b/ });
  await page.locator('.notice[role=status]').filter({ hasText: /aws ec2 create-volume --snapshot-id snap-\w+ --availability-zone us-east-1b/ }).waitFor();
  // Time passes from the status bar too, logged as the same lab command.
  await page.getByRole('group', { name: 'Lab time' }).getByRole('button', { name: 'Wait 10 s' }).click();
  await page.locator('.notice[role=status]').filter({ hasText: 'lab advance --seconds 10' }).waitFor();
  // The new volume onto web-2: attach-volume.
  await drag(page, /^Volume .*available in us-east-1b/, /^Instance web-2/);
  await page.locator('.notice[role=status]').filter({ hasText: 'aws ec2 attach-volume' }).waitFor();
  await wait(5);
  await panel.getByRole('heading', { name: 'Exercise complete' }).waitFor();
  const used = await panel.locator('ol.used').innerText();
  for (const command of ['aws ec2 create-snapshot', '--availability-zone us-east-1b', 'lab advance --seconds 10', 'aws ec2 attach-volume']) {
    assert.ok(used.includes(command), `the completion lists ${command}:\n${used}`);
  }
  await page.screenshot({ path: join(ARTIFACTS, 'exercise-by-dragging-1920x1080.png') });
  assert.deepEqual(errors, []);
});

test('a learner opens a web server to the world from the inspector\'s rule table, and a backwards port range is refused inline', async () => {
  const { page, errors } = await open(browser, server.url, { width: 1440, height: 900 });
  await page.getByRole('button', { name: 'Exercises' }).click();
  await page.getByRole('dialog', { name: 'Exercises' }).getByRole('button', { name: /^Open a web server to the world/ }).click();
  const panel = page.locator('section.exercise');
  await panel.locator('#goals-title').filter({ hasText: /^Goals: 0 of \d+ met$/ }).waitFor();
  await page.getByRole('img', { name: /^Instance app-1/ }).click();
  const form = page.getByRole('group', { name: 'Add an inbound rule to app-sg' });
  await form.getByLabel('Protocol').selectOption('tcp');
  await form.getByLabel('Ports').fill('90-80');
  await form.getByLabel('Source').fill('0.0.0.0/0');
  await form.getByRole('button', { name: 'Add rule' }).click();
  const refusal = form.getByRole('alert').filter({ hasText: /./ });
  await refusal.waitFor();
  console.log('inline refusal:', await refusal.innerText());
  assert.match(await refusal.innerText(), /90.*80|port range/i);
  assert.match(await panel.locator('#goals-title').innerText(), /^Goals: 0 of/, 'nothing was half-applied');
  await page.screenshot({ path: join(ARTIFACTS, 'exercise-rule-table-refused-1440x900.png') });
  await form.getByLabel('Ports').fill('80');
  await form.getByRole('button', { name: 'Add rule' }).click();
  await panel.getByRole('heading', { name: 'Exercise complete' }).waitFor();
  assert.match(await panel.locator('ol.used').innerText(), /aws ec2 authorize-security-group-ingress --group-id sg-\w+ --ip-permissions|aws ec2 authorize-security-group-ingress --group-id sg-\w+ .*80/);
  assert.deepEqual(errors, []);
});

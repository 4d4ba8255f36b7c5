// Guided exercises, as a learner works them: pick one from each track, read
// the brief, take a hint, type a step at the console, open the solution
// (behind a confirmation) and run the rest step by step, watch the goals
// tick off and the exercise complete; progress and the exercise's lab
// survive a reload.
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

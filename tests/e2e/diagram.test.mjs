// The built site, as a learner first sees it: the default lab drawn as an AWS
// architecture diagram. Served from a sub-path to prove dist/ works there.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTIFACTS, ROOT, launch, open, serve } from './support.mjs';

const ID = '[0-9a-f]{17}';

describe('the default lab', () => {
  let server;
  let browser;
  before(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    server = await serve(join(ROOT, 'dist'), '/courses/ec2lab/');
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('loads from a sub-path with no errors and draws every resource', async () => {
    const { page, context, errors } = await open(browser, server.url);
    assert.equal(await page.title(), 'EC2 Lab');
    const ids = await page.locator('svg#diagram [data-resource-id]').evaluateAll(
      (nodes) => nodes.map((n) => n.getAttribute('data-resource-id')));
    const kinds = {};
    for (const id of ids) kinds[id.split('-')[0]] = (kinds[id.split('-')[0]] ?? 0) + 1;
    // 1 VPC, 4 subnets, 1 internet gateway, 3 instances, 3 root volumes + 1
    // data volume, and the 3 Quick Start AMIs on the AMI shelf; a security
    // group boundary around each instance (web-sg twice, db-sg) and the
    // default network ACL's marker on each subnet's edge.
    assert.deepEqual(kinds, { vpc: 1, subnet: 4, igw: 1, i: 3, vol: 4, ami: 3, sg: 3, acl: 4 });
    for (const id of ids) assert.match(id, new RegExp(`^[a-z]+-${ID}$`));
    assert.deepEqual(errors, []);
    await page.screenshot({ path: join(ARTIFACTS, 'default-lab-1280x800.png'), fullPage: true });
    await context.close();
  });

  test('the inspector\'s code loads with the first selection; when it cannot, the inspector says so and the lab is untouched', async () => {
    const { page, context, errors } = await open(browser, server.url);
    // Not part of the first page: nothing has asked for it yet.
    const fetched = [];
    page.on('request', (r) => fetched.push(r.url().split('/').pop()));
    assert.equal(await page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('split_tools.wasm'))), false);
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route('**/split_tools.wasm', async (route) => { await held; await route.continue(); });
    const subnet = page.getByRole('group', { name: /^Public subnet public-a/ });
    await subnet.click({ position: { x: 200, y: 14 } });
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await inspector.getByRole('status').filter({ hasText: 'Loading the inspector…' }).waitFor();
    release();
    await inspector.getByRole('heading', { name: 'Subnet public-a' }).waitFor();
    assert.ok(fetched.includes('split_tools.wasm'));
    assert.deepEqual(errors, []);
    await context.close();

    // Offline before it was ever fetched: a line that says so, and the lab as it was.
    const offline = await open(browser, server.url);
    await offline.page.route('**/split_tools.wasm', (route) => route.abort('internetdisconnected'));
    await offline.page.getByRole('group', { name: /^Public subnet public-a/ }).click({ position: { x: 200, y: 14 } });
    const said = offline.page.getByRole('complementary', { name: 'Inspector' }).getByRole('alert');
    assert.match(await said.innerText(), /^✗ The inspector could not be loaded \(offline before it was ever opened\?\)/);
    assert.equal(await offline.page.locator('svg#diagram [data-resource-id^="i-"]').count(), 3);
    await offline.context.close();
  });

  test('names each resource for screen readers and tests alike', async () => {
    const { page, context } = await open(browser, server.url);
    for (const [name, subnet] of [['web-1', 'public-a'], ['web-2', 'public-b'], ['db-1', 'private-a']]) {
      const instance = page.getByRole('img', {
        name: new RegExp(`^Instance ${name} \\(i-${ID}\\), running, subnet ${subnet}$`),
      });
      await instance.waitFor();
      assert.match(await instance.getAttribute('data-resource-id'), new RegExp(`^i-${ID}$`));
    }
    await page.getByRole('img', { name: /^Internet gateway lab-igw \(igw-[0-9a-f]{17}\), attached to VPC lab-vpc$/ }).waitFor();
    await page.getByRole('img', { name: /^Volume data-1 \(vol-[0-9a-f]{17}\), 20 GiB gp3, not encrypted, available in us-east-1a$/ }).waitFor();
    await page.getByRole('group', { name: /^Public subnet public-a \(subnet-[0-9a-f]{17}\), 10\.0\.1\.0\/24, us-east-1a$/ }).waitFor();
    await page.getByRole('group', { name: /^Private subnet private-b \(subnet-[0-9a-f]{17}\), 10\.0\.12\.0\/24, us-east-1b$/ }).waitFor();
    await context.close();
  });

  test('shows names, ids and addresses as readable text', async () => {
    const { page, context } = await open(browser, server.url);
    const web1 = page.getByRole('img', { name: /^Instance web-1 / });
    const text = await web1.textContent();
    assert.match(text, /web-1/);
    assert.match(text, new RegExp(`i-${ID}`));
    assert.match(text, /Private 10\.0\.1\.4/);
    assert.match(text, /Public \d+\.\d+\.\d+\.\d+/);
    const db1 = await page.getByRole('img', { name: /^Instance db-1 / }).textContent();
    assert.doesNotMatch(db1, /Public/, 'an instance in a private subnet has no public address');
    // Text must be legible: nothing smaller than 10 px on screen at 1280×800.
    const smallest = await page.locator('svg#diagram text').evaluateAll(
      (texts) => Math.min(...texts.map((t) => t.getBoundingClientRect().height)));
    assert.ok(smallest >= 10, `smallest text is ${smallest}px tall`);
    await context.close();
  });

  test('reads well on a large projector screen', async () => {
    const { page, context, errors } = await open(browser, server.url, { width: 1920, height: 1080 });
    const box = await page.locator('svg#diagram').boundingBox();
    assert.ok(box.width > 600 && box.height > 600, JSON.stringify(box));
    assert.deepEqual(errors, []);
    await page.screenshot({ path: join(ARTIFACTS, 'default-lab-1920x1080.png') });
    await context.close();
  });
});

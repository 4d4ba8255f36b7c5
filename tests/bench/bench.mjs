// EC2 Lab's benchmark: page weight and time to diagram, against a bare Yew
// page built in the same run with the same profile. Prints figures and the
// budgets they are held to; it does not fail on a budget (tests never time).
//
// Usage: node tests/bench/bench.mjs <lab dist> <bare dist> <big lab file> [loads]
//
// The big lab is a saved lab of 100 resources (the `big_lab` example); the
// timings and the drag are measured on it, opened from autosave.
import { readdir, readFile } from 'node:fs/promises';
import { join, extname } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { launch, serve } from '../e2e/support.mjs';

const [labDir, bareDir, bigLabFile, loadsArg] = process.argv.slice(2);
const LOADS = Number(loadsArg ?? 31);
const BUDGET_PAGE_BR = 200 * 1000;
const BUDGET_RATIO = 1.3;
const BUDGET_FRAME_MS = 20;
const BUDGET_MOVE_P95_MS = 4;
const BIG_LAB = await readFile(bigLabFile, 'utf8');

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;

// Chunks the page fetches only when the learner reaches for them (the
// console's engine; the inspector and the other views of a selection or a
// drop), and the code two of them share: not part of what loads.
const onDemand = (name) => name.startsWith('split_') || name.startsWith('chunk_');

async function sizes(dir) {
  const files = (await readdir(dir)).filter((f) => !f.startsWith('.'));
  const out = { wasm: null, js: null, page: { raw: 0, gzip: 0, brotli: 0 }, chunks: [] };
  for (const name of files) {
    const body = await readFile(join(dir, name));
    const s = {
      raw: body.length,
      gzip: gzipSync(body, { level: 9 }).length,
      brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
    if (onDemand(name)) {
      out.chunks.push([name, s]);
      continue;
    }
    if (extname(name) === '.wasm') out.wasm = s;
    if (extname(name) === '.js') out.js = add(out.js, s);
    // The whole page: everything the browser fetches (HTML, CSS, JS, wasm, icon).
    for (const k of Object.keys(s)) out.page[k] += s[k];
  }
  return out;
}

function add(a, b) {
  return a ? { raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli } : b;
}

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
  return { median: q(0.5), p25: q(0.25), p75: q(0.75), p95: q(0.95), min: s[0], max: s[s.length - 1] };
}

// Time from navigation start until `selector` is in the DOM, in a fresh
// browser context (empty cache) each load.
async function timeToSelector(browser, url, selector, saved) {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (saved) await page.addInitScript((text) => localStorage.setItem('ec2lab.lab', text), saved);
  await page.addInitScript((sel) => {
    window.__ready = new Promise((resolve) => {
      const check = () => {
        if (document.querySelector(sel)) {
          resolve(performance.now());
          return true;
        }
        return false;
      };
      if (check()) return;
      new MutationObserver((_, obs) => { if (check()) obs.disconnect(); })
        .observe(document, { childList: true, subtree: true });
    });
  }, selector);
  await page.goto(url);
  const ms = await page.evaluate(() => window.__ready);
  await context.close();
  return ms;
}

const lab = await sizes(labDir);
const bare = await sizes(bareDir);
console.log('Page weight (bytes; gzip -9, brotli -q 11)');
const row = (name, s) => console.log(`  ${name.padEnd(18)} raw ${kb(s.raw).padStart(9)}   gzip ${kb(s.gzip).padStart(9)}   brotli ${kb(s.brotli).padStart(9)}`);
row('EC2 Lab wasm', lab.wasm);
row('EC2 Lab JS', lab.js);
row('EC2 Lab page', lab.page);
for (const [name, s] of lab.chunks) row(`on demand: ${name}`.slice(0, 18), s);
row('bare Yew page', bare.page);
console.log(`  page brotli ratio to bare Yew: ${(lab.page.brotli / bare.page.brotli).toFixed(2)}×`);
console.log(`  (the page is what loads before any interaction; on-demand chunks load when first used)`);
console.log(`  budget: page ≤ ${kb(BUDGET_PAGE_BR)} brotli → ${lab.page.brotli <= BUDGET_PAGE_BR ? 'within budget' : 'OVER BUDGET'}`);

const labServer = await serve(labDir, '/lab/');
const bareServer = await serve(bareDir, '/bare/');
const browser = await launch();
const DIAGRAM = 'svg#diagram [data-resource-id]';
// One warm-up load each (the browser process, not the page cache, warms up).
await timeToSelector(browser, labServer.url, DIAGRAM, BIG_LAB);
await timeToSelector(browser, bareServer.url, '#bare');
const labTimes = [];
const bareTimes = [];
for (let i = 0; i < LOADS; i++) {
  // Alternate, so drift in machine load hits both pages alike.
  labTimes.push(await timeToSelector(browser, labServer.url, DIAGRAM, BIG_LAB));
  bareTimes.push(await timeToSelector(browser, bareServer.url, '#bare'));
}
const drag = await dragFigures(browser, labServer.url);
await browser.close();
await labServer.close();
await bareServer.close();

const l = stats(labTimes);
const b = stats(bareTimes);
const ms = (x) => `${x.toFixed(1)} ms`;
console.log(`Time from navigation start to content in the DOM (${LOADS} fresh loads each, headless Chromium;`);
console.log(`the lab opened from autosave with ${drag.resources} resources on its diagram)`);
const trow = (name, s) => console.log(`  ${name.padEnd(18)} median ${ms(s.median).padStart(9)}   p25–p75 ${ms(s.p25)}–${ms(s.p75)}   min–max ${ms(s.min)}–${ms(s.max)}`);
trow('EC2 Lab diagram', l);
trow('bare Yew page', b);
const ratio = l.median / b.median;
// Loads alternate lab, bare, lab, bare…: the ratio within each pair cancels
// most of the drift in machine load, so its median is the steadier figure.
const paired = stats(labTimes.map((t, i) => t / bareTimes[i]));
console.log(`  ratio of the medians: ${ratio.toFixed(2)}×`);
console.log(`  median of paired ratios: ${paired.median.toFixed(2)}× (p25–p75 ${paired.p25.toFixed(2)}–${paired.p75.toFixed(2)})`);
console.log(`  budget: ≤ ${BUDGET_RATIO}× (median of paired ratios) → ${paired.median <= BUDGET_RATIO ? 'within budget' : 'OVER BUDGET'}`);

// Drags an instance across the diagram of the big lab: 60 pointer moves,
// one per frame, as a hand would. Frame times are the gaps between
// animation frames while dragging; pointer-move to screen is, for each
// move, the time from its dispatch (a capturing listener on the window, the
// first to see it) until the app's handler has run and the browser has laid
// out the moved node (a bubbling listener on the window, the last, forces
// layout): what the lab adds between the pointer and the next paint.
// Chromium holds pointer moves until the next frame begins; that wait is
// the browser's, the same for any page, and not counted.
async function dragFigures(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript((text) => localStorage.setItem('ec2lab.lab', text), BIG_LAB);
  await page.goto(url);
  await page.locator(DIAGRAM).first().waitFor();
  const resources = await page.locator(DIAGRAM).count();
  const node = page.getByRole('img', { name: /^Instance instance-4/ });
  await node.scrollIntoViewIfNeeded();
  const box = await node.boundingBox();
  await page.evaluate(() => {
    window.__moves = [];
    window.__frames = [];
    let start = 0;
    window.addEventListener('pointermove', () => { start = performance.now(); }, { capture: true });
    window.addEventListener('pointermove', () => {
      const dragged = document.querySelector('.node.dragging');
      if (!dragged) return;
      dragged.getBoundingClientRect();
      window.__moves.push(performance.now() - start);
    });
  });
  const frame = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  const start = { x: box.x + box.width / 2, y: box.y + 20 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.evaluate(() => {
    window.__dragging = true;
    const tick = (t) => { window.__frames.push(t); if (window.__dragging) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  for (let i = 1; i <= 60; i++) {
    await page.mouse.move(start.x + i * 6, start.y + i * 2);
    await frame();
  }
  await page.evaluate(() => { window.__dragging = false; });
  await page.mouse.up();
  const { moves, frames } = await page.evaluate(() => ({ moves: window.__moves, frames: window.__frames }));
  await context.close();
  const gaps = frames.slice(1).map((t, i) => t - frames[i]);
  return { resources, moves: stats(moves), moveCount: moves.length, frames: stats(gaps), frameCount: gaps.length };
}

console.log(`Dragging an instance across the ${drag.resources}-resource diagram (60 pointer moves, one per frame)`);
console.log(`  frame times: ${drag.frameCount} frames, median ${ms(drag.frames.median)}, p75 ${ms(drag.frames.p75)}, max ${ms(drag.frames.max)}`);
console.log(`  budget: no frame over ${BUDGET_FRAME_MS} ms → ${drag.frames.max <= BUDGET_FRAME_MS ? 'within budget' : 'OVER BUDGET'}`);
console.log(`  pointer-move to screen: ${drag.moveCount} moves, median ${ms(drag.moves.median)}, p95 ${ms(drag.moves.p95)}, max ${ms(drag.moves.max)}`);
console.log(`  budget: p95 ≤ ${BUDGET_MOVE_P95_MS} ms → ${drag.moves.p95 <= BUDGET_MOVE_P95_MS ? 'within budget' : 'OVER BUDGET'}`);

// EC2 Lab's benchmark: page weight and time to diagram, against a bare Yew
// page built in the same run with the same profile. Prints figures and the
// budgets they are held to; it does not fail on a budget (tests never time).
//
// Usage: node tests/bench/bench.mjs <lab dist> <bare dist> [loads]
import { readdir, readFile } from 'node:fs/promises';
import { join, extname } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { launch, serve } from '../e2e/support.mjs';

const [labDir, bareDir, loadsArg] = process.argv.slice(2);
const LOADS = Number(loadsArg ?? 31);
const BUDGET_PAGE_BR = 120 * 1000;
const BUDGET_RATIO = 1.3;

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;

async function sizes(dir) {
  const files = (await readdir(dir)).filter((f) => !f.startsWith('.'));
  const out = { wasm: null, js: null, page: { raw: 0, gzip: 0, brotli: 0 } };
  for (const name of files) {
    const body = await readFile(join(dir, name));
    const s = {
      raw: body.length,
      gzip: gzipSync(body, { level: 9 }).length,
      brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
    if (extname(name) === '.wasm') out.wasm = s;
    if (extname(name) === '.js') out.js = s;
    // The whole page: everything the browser fetches (HTML, CSS, JS, wasm, icon).
    for (const k of Object.keys(s)) out.page[k] += s[k];
  }
  return out;
}

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
  return { median: q(0.5), p25: q(0.25), p75: q(0.75), min: s[0], max: s[s.length - 1] };
}

// Time from navigation start until `selector` is in the DOM, in a fresh
// browser context (empty cache) each load.
async function timeToSelector(browser, url, selector) {
  const context = await browser.newContext();
  const page = await context.newPage();
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
row('bare Yew page', bare.page);
console.log(`  page brotli ratio to bare Yew: ${(lab.page.brotli / bare.page.brotli).toFixed(2)}×`);
console.log(`  budget: page ≤ ${kb(BUDGET_PAGE_BR)} brotli → ${lab.page.brotli <= BUDGET_PAGE_BR ? 'within budget' : 'OVER BUDGET'}`);

const labServer = await serve(labDir, '/lab/');
const bareServer = await serve(bareDir, '/bare/');
const browser = await launch();
// One warm-up load each (the browser process, not the page cache, warms up).
await timeToSelector(browser, labServer.url, 'svg#diagram [data-resource-id]');
await timeToSelector(browser, bareServer.url, '#bare');
const labTimes = [];
const bareTimes = [];
for (let i = 0; i < LOADS; i++) {
  // Alternate, so drift in machine load hits both pages alike.
  labTimes.push(await timeToSelector(browser, labServer.url, 'svg#diagram [data-resource-id]'));
  bareTimes.push(await timeToSelector(browser, bareServer.url, '#bare'));
}
await browser.close();
await labServer.close();
await bareServer.close();

const l = stats(labTimes);
const b = stats(bareTimes);
const ms = (x) => `${x.toFixed(1)} ms`;
console.log(`Time from navigation start to content in the DOM (${LOADS} fresh loads each, headless Chromium)`);
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

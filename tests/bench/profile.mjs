// Where a load's time goes: samples one fresh load of the big lab with the
// V8 CPU profiler and prints self time by function, grouped.
// Usage: scripts/profile.sh [loads] (builds a site whose wasm keeps its
// function names), or node tests/bench/profile.mjs <that site> <big lab file> [loads]
import { readFile } from 'node:fs/promises';
import { launch, serve } from '../e2e/support.mjs';
const [dir, labFile, loadsArg] = process.argv.slice(2);
const BIG = await readFile(labFile, 'utf8');
const server = await serve(dir, '/lab/');
const browser = await launch();
const total = new Map();
const loads = Number(loadsArg ?? 5);
const marks = [];
const inclusive = new Map();
const STEPS = ['default_lab::default_lab', 'saved::load', 'Lab::replay', 'Lab::act', 'World::apply', 'RegionState::boot', 'shell::run', 'layout::layout', 'diagram::', 'App as yew', 'Inspector as yew', 'TrafficTester as yew', 'LaunchForm as yew', 'saved::save', 'RenderRunner', 'wasm-to-js', 'set_innerHTML', '__wbg_init', 'main'];
const group = (name) => {
  const m = name.match(/(ec2lab_\w+::\w+(::\w+)?|yew|dlmalloc|alloc|core|hashbrown|web_sys|js_sys|wasm_bindgen|\(\w+\)|garbage)/);
  return m ? m[1] : name.slice(0, 50);
};
for (let i = 0; i < loads + 1; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript((t) => localStorage.setItem('ec2lab.lab', t), BIG);
  await page.addInitScript(() => {
    window.__ready = new Promise((resolve) => {
      new MutationObserver((_, obs) => { if (document.querySelector('svg#diagram [data-resource-id]')) { obs.disconnect(); const t = performance.now(); (function __READY_MARK__() { const e = performance.now() + 3; while (performance.now() < e); })(); resolve(t); } })
        .observe(document, { childList: true, subtree: true });
    });
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  await cdp.send('Profiler.start');
  await page.goto(server.url);
  const ready = await page.evaluate(() => window.__ready);
  const res = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => [e.name.split('/').pop(), Math.round(e.startTime), Math.round(e.responseEnd)]));
  const { profile } = await cdp.send('Profiler.stop');
  await context.close();
  if (i === 0) continue;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = profile.timeDeltas;
  const t0 = profile.startTime;
  let t = t0;
  const ts = profile.samples.map((id, k) => (t += dt[k]));
  const readyAt = ts[profile.samples.findIndex((id) => byId.get(id).callFrame.functionName === '__READY_MARK__')];
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const line = [];
  profile.samples.forEach((id, k) => {
    if (ts[k] >= readyAt) return;
    const n = byId.get(id);
    const name = n.callFrame.functionName || `(${n.callFrame.url.split('/').pop() || 'program'})`;
    const ms = ((ts[k + 1] ?? ts[k]) - ts[k]) / 1000;
    total.set(name, (total.get(name) ?? 0) + ms);
    // Inclusive time of the steps of opening a lab, innermost first.
    const seen = new Set();
    for (let p = id; p !== undefined; p = parent.get(p)) {
      const f = byId.get(p).callFrame.functionName;
      const step = STEPS.find((k) => f.includes(k));
      if (step && !seen.has(step)) { seen.add(step); inclusive.set(step, (inclusive.get(step) ?? 0) + ms); }
    }
    const b = Math.floor((ts[k] - t0) / 10000);
    line[b] ??= new Map();
    line[b].set(group(name), (line[b].get(group(name)) ?? 0) + ms);
  });
  if (i === 1) line.forEach((m, b) => console.log(String(b * 10).padStart(4), [...m].sort((x, y) => y[1] - x[1]).slice(0, 4).map(([g, v]) => `${g} ${v.toFixed(1)}`).join(' | ')));
  marks.push([((readyAt - t0) / 1000).toFixed(0), '']);
}
await browser.close();
await server.close();
for (const m of marks) console.log('ready', m[0], 'ms', m[1]);
const groups = new Map();
for (const [n, ms] of total) groups.set(group(n), (groups.get(group(n)) ?? 0) + ms / loads);
console.log('--- inclusive ms per load');
[...inclusive].sort((a, b) => b[1] - a[1]).forEach(([n, ms]) => console.log((ms / loads).toFixed(1).padStart(7), n));
console.log('--- self ms per load, grouped');
[...groups].sort((a, b) => b[1] - a[1]).slice(0, 40).forEach(([n, ms]) => console.log(ms.toFixed(1).padStart(7), n));
console.log('--- top functions');
[...total].sort((a, b) => b[1] - a[1]).slice(0, 40).forEach(([n, ms]) => console.log((ms / loads).toFixed(1).padStart(7), n.slice(0, 140)));

// node bench/lighthouse/profile.mjs [checkout ...] — what the dashboard's (or, with
// PROFILE_PAGE=customers, the customers list's) long tasks run.
// Lighthouse says how long the main thread is blocked and in which script file; this says by
// which code: each tree (this checkout, and any other given, e.g. a worktree of main before a
// change) is built against one fresh embedded stack, admin signs in once per tree, then the
// dashboard is loaded PROFILE_RUNS times (default 3, trees alternating so load drifts hit
// both) at Lighthouse's desktop viewport with the V8 sampling profiler on. Per tree it prints
// the median of: the long tasks the page observed (PerformanceObserver), their blocking time
// after first paint, and the profile's busy stretches > 50 ms with the source files (via the
// build's hidden source maps) and functions that took their time.
/* global window, document -- page functions below run in the browser */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SourceMapConsumer } from 'source-map-js';
import { launchChromiumProfile } from '../../test/support/e2e/launch-chromium.mjs';
import { log } from '../lib/common.mjs';
import { buildAndPreview, signInAdmin, startDemoStack } from './app.mjs';
// @ts-expect-error plain ESM module of the embedded stack
import { stopOnSignals } from '../../supabase/local/stack.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TREES = [ROOT, ...process.argv.slice(2).map((p) => path.resolve(p))];
const RUNS = Number(process.env.PROFILE_RUNS || 3);
// PROFILE_MOBILE=1: Lighthouse's mobile screen and its 4× CPU slowdown, applied for real by
// Chromium (Lighthouse simulates it from an unthrottled trace; the tasks that grow are the same).
const MOBILE = Boolean(process.env.PROFILE_MOBILE);
const VIEWPORT = MOBILE ? { width: 412, height: 823 } : { width: 1350, height: 940 };
const CPU_SLOWDOWN = MOBILE ? 4 : 1;
// PROFILE_PAGE=customers profiles the customers list instead of the dashboard; `ready` is
// what the page shows once its data is drawn (a plain selector, polled).
const PAGES = {
  dashboard: { hash: '#/', ready: '[role=group][aria-label=Generations] [data-kpi=value]' },
  customers: { hash: '#/customers', ready: 'table tbody tr td' },
};
const PAGE = PAGES[process.env.PROFILE_PAGE || 'dashboard'];
if (!PAGE) throw new Error(`PROFILE_PAGE is one of: ${Object.keys(PAGES).join(', ')}`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'creditdesk-profile-'));
let stack;
const servers = [];
const contexts = [];
async function stop() {
  for (const c of contexts) await c.close().catch(() => {});
  for (const s of servers) await s.close().catch(() => {});
  await stack?.stop().catch(() => {});
  fs.rmSync(tmp, { recursive: true, force: true });
}
stopOnSignals(stop);

// Long tasks, first paint and the largest-contentful-paint candidates (Lighthouse 12's own
// LCP-element audit fails on Debian's Chromium) as the page itself saw them.
const OBSERVE = () => {
  window.__longTasks = [];
  window.__lcp = [];
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) {
      const el = e.element;
      const name = el
        ? `<${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? ` class="${el.className.split(' ').slice(0, 2).join(' ')}"` : ''}> "${(el.textContent ?? '').trim().slice(0, 40)}"`
        : '(removed element)';
      window.__lcp.push([Math.round(e.startTime), e.size, name]);
    }
  }).observe({ type: 'largest-contentful-paint', buffered: true });
};

async function setUp(tree, i) {
  const outDir = path.join(tmp, `dist-${i}`);
  const { server, url } = await buildAndPreview(tree, outDir);
  servers.push(server);
  const context = await launchChromiumProfile(path.join(tmp, `profile-${i}`), {
    viewport: VIEWPORT,
  });
  contexts.push(context);
  await signInAdmin(context, url);
  return { tree, url, context, outDir, maps: new Map(), runs: [] };
}

async function sourceOf(t, url, line, column) {
  const file = url.replace(/^https?:\/\/[^/]+\//, '');
  if (!file.endsWith('.js')) return { source: file || '(native)', name: '' };
  if (!t.maps.has(file)) {
    const p = path.join(t.outDir, `${file}.map`);
    t.maps.set(
      file,
      fs.existsSync(p) ? new SourceMapConsumer(JSON.parse(fs.readFileSync(p, 'utf8'))) : null,
    );
  }
  const map = t.maps.get(file);
  const pos = map?.originalPositionFor({ line: line + 1, column });
  const source = String(pos?.source ?? file)
    .replace(/^.*node_modules\//, '')
    .replace(/^(\.\.\/)+/, '');
  return { source, name: pos?.name ?? '' };
}

async function profileOnce(t) {
  const page = await t.context.newPage();
  await page.addInitScript(OBSERVE);
  // A same-origin page without scripts first, so the profiled renderer is the app's.
  await page.goto(`${t.url}/favicon.svg`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await page.goto(`${t.url}/${PAGE.hash}`);
  // Polled with a plain query (the profile would count a locator's own work as the page's).
  await page.waitForFunction((ready) => document.querySelector(ready), PAGE.ready, {
    polling: 250,
    timeout: 60_000,
  });
  await page.waitForTimeout(3000); // what follows the figures: charts, late queries
  const { profile } = await cdp.send('Profiler.stop');
  const seen = await page.evaluate(() => ({
    longTasks: window.__longTasks,
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0,
    lcp: window.__lcp,
  }));
  await page.close();
  return { ...seen, busy: await busyStretches(t, profile) };
}

/** Runs of consecutive non-idle samples longer than 50 ms, with who spent their time. */
async function busyStretches(t, profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const stretches = [];
  let current = null;
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i];
    const node = byId.get(profile.samples[i]);
    const idle = node.callFrame.functionName === '(idle)';
    if (idle) {
      if (current && (time - current.start) / 1000 > 50) stretches.push(current);
      current = null;
      continue;
    }
    current ??= { start: time, nodes: [] };
    current.end = time;
    current.nodes.push([node, profile.timeDeltas[i + 1] ?? 0]);
  }
  const out = [];
  for (const s of stretches) {
    const files = new Map();
    const fns = new Map();
    for (const [node, dt] of s.nodes) {
      const f = node.callFrame;
      const { source, name } = f.url
        ? await sourceOf(t, f.url, f.lineNumber, f.columnNumber)
        : { source: f.functionName || '(native)', name: '' };
      const pkg = source.startsWith('@') ? source.split('/').slice(0, 2).join('/') : source;
      files.set(pkg, (files.get(pkg) ?? 0) + dt);
      const fn = `${name || f.functionName || '?'} (${source.split('/').slice(-2).join('/')})`;
      fns.set(fn, (fns.get(fn) ?? 0) + dt);
    }
    const top = (m, n) =>
      [...m.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([k, v]) => `${k} ${Math.round(v / 1000)}`)
        .join(', ');
    out.push({
      at: Math.round((s.start - profile.startTime) / 1000),
      ms: Math.round((s.end - s.start) / 1000),
      files: top(files, 6),
      fns: top(fns, 8),
    });
  }
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];

try {
  stack = await startDemoStack(tmp);
  const trees = [];
  for (const [i, tree] of TREES.entries()) trees.push(await setUp(tree, i));
  for (let r = 0; r < RUNS; r++) {
    for (const t of trees) {
      const run = await profileOnce(t);
      const total = run.longTasks.reduce((n, [, d]) => n + d, 0);
      const blocking = run.longTasks
        .filter(([start]) => start >= run.fcp)
        .reduce((n, [, d]) => n + d - 50, 0);
      t.runs.push({ ...run, blocking, total });
      log(
        `${path.basename(t.tree)} run ${r + 1}: FCP ${Math.round(run.fcp)} ms, long tasks ${run.longTasks
          .map(([s, d]) => `${Math.round(d)}@${Math.round(s)}`)
          .join(
            ' ',
          )}, blocking after FCP ${Math.round(blocking)} ms, long tasks in all ${Math.round(total)} ms (load ${os.loadavg()[0].toFixed(1)})`,
      );
    }
  }
  for (const t of trees) {
    const m = median(t.runs.map((r) => r.blocking));
    const run = t.runs.find((r) => r.blocking === m);
    const fcp = median(t.runs.map((r) => r.fcp));
    const total = median(t.runs.map((r) => r.total));
    const longest = median(t.runs.map((r) => Math.max(0, ...r.longTasks.map(([, d]) => d))));
    console.log(
      `\n${t.tree}: medians: FCP ${Math.round(fcp)} ms, blocking after FCP ${Math.round(m)} ms, long tasks in all ${Math.round(total)} ms, longest ${Math.round(longest)} ms`,
    );
    for (const [at, size, name] of run.lcp)
      console.log(`  largest contentful paint candidate at ${at} ms, ${size} px²: ${name}`);
    if (process.env.PROFILE_QUIET) continue;
    for (const s of run.busy) {
      console.log(`  ${s.ms} ms busy at ${s.at} ms\n    files: ${s.files}\n    fns: ${s.fns}`);
    }
  }
} finally {
  await stop();
}

// npm run bench:lighthouse — Lighthouse 12 (performance category) on the production build,
// desktop and mobile settings, for the sign-in page, the signed-in dashboard and the
// customers list.
//   1. a fresh embedded stack (PGlite, migrations + demo seed) on a free port, in a temp folder;
//   2. `vite build` with that stack's URL and anon key, served by `vite preview` on loopback;
//   3. Debian's Chromium on a temp profile with a DevTools port (test/support/e2e's launcher):
//      the sign-in page is measured signed out, then admin signs in once through the real form,
//      and Lighthouse (storage reset off) measures the other pages on that profile's session.
// Each page and form factor runs LH_RUNS times (default 3); the run with the median
// performance score is printed. The sign-in page is the floor every page shares (the same
// react-admin + MUI entry): the signed-in pages are printed as a ratio to it.
// Loopback only; every process it starts it stops; temp folders are removed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lighthouse, { desktopConfig } from 'lighthouse';
import { createRequire } from 'node:module';
import { launchChromiumProfile } from '../../test/support/e2e/launch-chromium.mjs';
import { log, startBudget } from '../lib/common.mjs';
import { buildAndPreview, signInAdmin, startDemoStack } from './app.mjs';
// @ts-expect-error plain ESM module of the embedded stack
import { stopOnSignals } from '../../supabase/local/stack.mjs';
// @ts-expect-error plain ESM module of the embedded stack
import { freePort } from '../../supabase/local/postgrest.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LH_VERSION = createRequire(import.meta.url)('lighthouse/package.json').version;
const RUNS = Number(process.env.LH_RUNS || 3);
// LH_APP_ROOT=<a checkout> measures another tree's build (e.g. main before a change) on the
// same stack; LH_ONLY=dash measures only the pages whose name contains it; LH_LOG=info;
// LH_DIAG=1 prints Lighthouse's diagnostics of each median run (long tasks, boot-up by script).
const APP_ROOT = path.resolve(process.env.LH_APP_ROOT || ROOT);
// LH_BEFORE=<a checkout> builds that tree too, on the same stack, and measures the two in
// turn, run by run (before, this tree, before, ...): on a shared machine whose load drifts,
// both see the same drift, and their ratio is the figure to read.
const BEFORE = process.env.LH_BEFORE ? path.resolve(process.env.LH_BEFORE) : null;
const ONLY = (process.env.LH_ONLY ?? '').toLowerCase();
// LH_FORM=mobile (or desktop) measures that form factor only.
const FORMS = ['desktop', 'mobile'].filter(
  (f) => !process.env.LH_FORM || f === process.env.LH_FORM,
);
if (!FORMS.length) throw new Error('LH_FORM is desktop or mobile');
// LH_SAVE=<folder> writes each median run's full report there (JSON, e.g. for its network
// waterfall: which request waited for which).
const SAVE = process.env.LH_SAVE ? path.resolve(process.env.LH_SAVE) : null;
function saveReport(lhr, name) {
  fs.mkdirSync(SAVE, { recursive: true });
  const file = path.join(SAVE, `${name.replace(/[^a-z0-9-]+/gi, '_')}.json`);
  fs.writeFileSync(file, JSON.stringify(lhr));
  log(`  report: ${file}`);
}
// Issue 18's targets.
const TARGET = { desktop: 90, mobile: 70, tbtMs: 200 };

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'creditdesk-lighthouse-'));
let stack;
const servers = [];
let context;
async function stop() {
  await context?.close().catch(() => {});
  for (const server of servers) await server.close().catch(() => {});
  await stack?.stop().catch(() => {});
  fs.rmSync(tmp, { recursive: true, force: true });
}
stopOnSignals(stop);
// When Lighthouse stops a page it judges hung, a quiet-check it no longer awaits rejects
// ("Promise was collected"): not a failure of the bench, the retry below measures again.
process.on('unhandledRejection', (e) => {
  if (!/Promise was collected/.test(String(e?.message))) throw e;
  log(`  (Lighthouse: ${e.message.split('\n')[0]})`);
});

const audit = (lhr, id) => lhr.audits[id];
function figures(lhr) {
  const longTasks = audit(lhr, 'long-tasks')?.details?.items ?? [];
  return {
    score: Math.round((lhr.categories.performance.score ?? 0) * 100),
    tbt: audit(lhr, 'total-blocking-time').numericValue,
    lcp: audit(lhr, 'largest-contentful-paint').numericValue,
    fcp: audit(lhr, 'first-contentful-paint').numericValue,
    longest: longTasks.reduce((n, t) => Math.max(n, t.duration ?? 0), 0),
    longTasks: longTasks.length,
    dom: audit(lhr, 'dom-size').numericValue,
    bytes: audit(lhr, 'total-byte-weight').numericValue,
    // What blocks, for LH_DIAG=1: the long tasks by script, and each script's boot-up time.
    diag: {
      longTasks: longTasks
        .slice(0, 6)
        .map(
          (t) => `${Math.round(t.duration)} ms at ${Math.round(t.startTime)} ms ${short(t.url)}`,
        ),
      bootup: (audit(lhr, 'bootup-time')?.details?.items ?? [])
        .slice(0, 6)
        .map(
          (b) =>
            `${short(b.url)}: ${Math.round(b.total)} ms (scripting ${Math.round(b.scripting)}, parse ${Math.round(b.scriptParseCompile)})`,
        ),
      mainThread: (audit(lhr, 'mainthread-work-breakdown')?.details?.items ?? [])
        .slice(0, 5)
        .map((w) => `${w.groupLabel ?? w.group}: ${Math.round(w.duration)} ms`),
    },
  };
}
const short = (url) => String(url ?? '').replace(/^https?:\/\/[^/]+/, '');

/** One Lighthouse run; one it gives up on (a page it judges hung on a busy machine) is retried. */
async function lighthouseOnce(url, formFactor, port) {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await lighthouse(
        url,
        {
          port,
          output: 'json',
          logLevel: process.env.LH_LOG || 'error',
          onlyCategories: ['performance'],
          // The session lives in the profile's storage: keep it. (The HTTP cache, which
          // this would keep too, is cleared before each run: clearHttpCache below.)
          disableStorageReset: true,
          maxWaitForLoad: 90_000,
        },
        formFactor === 'desktop' ? desktopConfig : undefined,
      );
      if (result.lhr.runtimeError) throw new Error(result.lhr.runtimeError.message);
      return { ...figures(result.lhr), lhr: result.lhr };
    } catch (e) {
      log(`  attempt ${attempt} failed: ${e.message.split('\n')[0]}`);
      if (attempt >= 3) throw e;
    }
  }
}

// Every run loads the page as a first visit does: with storage kept (the session), Chromium
// would also keep its HTTP cache, and every run after the first would be a repeat visit with
// the JavaScript already on disk (2 KiB "transferred"), which under mobile's simulated slow 4G
// hides most of what a user waits for. Clearing the cache over DevTools keeps the session.
async function clearHttpCache() {
  const page = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await cdp.detach();
}

/** RUNS runs of each app in turn (before, after, before, ...); per app the median by score. */
async function measure(apps, hashPath, formFactor, port) {
  const runs = apps.map(() => []);
  for (let r = 1; r <= RUNS; r++) {
    for (const [i, app] of apps.entries()) {
      await clearHttpCache();
      const f = await lighthouseOnce(`${app.url}/${hashPath}`, formFactor, port);
      runs[i].push(f);
      log(
        `  ${app.label} run ${r}: performance ${f.score}, TBT ${Math.round(f.tbt)} ms (load average ${os.loadavg()[0].toFixed(1)})`,
      );
    }
  }
  return runs.map((rs) => {
    rs.sort((a, b) => a.score - b.score);
    return { median: rs[(rs.length - 1) >> 1], scores: rs.map((x) => x.score) };
  });
}

async function main() {
  startBudget('bench:lighthouse', 30);
  stack = await startDemoStack(tmp);
  const apps = [];
  for (const [label, root] of [...(BEFORE ? [['before', BEFORE]] : []), ['this tree', APP_ROOT]]) {
    const { server, url } = await buildAndPreview(root, path.join(tmp, `dist-${apps.length}`));
    servers.push(server);
    apps.push({ label, url, signedIn: false });
  }
  const port = await freePort();
  context = await launchChromiumProfile(path.join(tmp, 'profile'), { debuggingPort: port });

  const pages = [
    { name: 'sign-in page', hash: '#/login', signedIn: false },
    { name: 'dashboard (admin)', hash: '#/', signedIn: true },
    { name: 'customers list (admin)', hash: '#/customers', signedIn: true },
  ];
  const results = [];
  for (const p of pages.filter((x) => x.name.toLowerCase().includes(ONLY))) {
    for (const app of apps) {
      // Each app is its own origin, with its own session in the profile.
      if (p.signedIn && !app.signedIn) await signInAdmin(context, app.url);
      app.signedIn ||= p.signedIn;
    }
    for (const formFactor of FORMS) {
      log(`${p.name}, ${formFactor}: ${RUNS} Lighthouse run(s)${BEFORE ? ' of each tree' : ''}`);
      const measured = await measure(apps, p.hash, formFactor, port);
      for (const [i, result] of measured.entries()) {
        if (process.env.LH_DIAG) {
          const d = result.median.diag;
          log(`  ${apps[i].label}, long tasks: ${d.longTasks.join(' | ')}`);
          log(`  ${apps[i].label}, boot-up by script: ${d.bootup.join(' | ')}`);
          log(`  ${apps[i].label}, main thread: ${d.mainThread.join(' | ')}`);
        }
        if (SAVE) saveReport(result.median.lhr, `${p.name}-${apps[i].label}-${formFactor}`);
        results.push({ page: p, app: apps[i].label, formFactor, ...result });
      }
    }
  }
  report(results);
}

const ms = (n) => `${Math.round(n).toLocaleString('en-US')} ms`;
const kib = (n) => `${Math.round(n / 1024).toLocaleString('en-US')} KiB`;

function report(results) {
  console.log(
    `\nLighthouse ${LH_VERSION} performance, production build, median of ${RUNS} run(s) by score`,
  );
  const head = [
    'page',
    ...(BEFORE ? ['tree'] : []),
    'form',
    'perf',
    'TBT',
    'LCP',
    'FCP',
    'longest task',
    'long tasks',
    'DOM',
    'bytes',
    'scores',
  ];
  console.log(`| ${head.join(' | ')} |`);
  console.log(`| ${head.map(() => '---').join(' | ')} |`);
  for (const r of results) {
    const m = r.median;
    console.log(
      `| ${[r.page.name, ...(BEFORE ? [r.app] : []), r.formFactor, m.score, ms(m.tbt), ms(m.lcp), ms(m.fcp), ms(m.longest), m.longTasks, m.dom, kib(m.bytes), r.scores.join('/')].join(' | ')} |`,
    );
  }
  const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(2)}×` : '—');
  const same = (a, b) => a.page === b.page && a.formFactor === b.formFactor;
  const mine = results.filter((r) => r.app === 'this tree');
  if (BEFORE) {
    console.log('\nthis tree vs before, same run (medians): performance / TBT / longest task');
    for (const r of mine) {
      const b = results.find((x) => x.app === 'before' && same(x, r)).median;
      console.log(
        `  ${r.page.name.padEnd(24)} ${r.formFactor.padEnd(8)} ${ratio(r.median.score, b.score).padStart(6)} ${ratio(r.median.tbt, b.tbt).padStart(6)} ${ratio(r.median.longest, b.longest).padStart(6)}`,
      );
    }
  }
  const floor = Object.fromEntries(
    mine.filter((r) => !r.page.signedIn).map((r) => [r.formFactor, r.median]),
  );
  // LH_ONLY may leave the sign-in page out: then there is no floor to compare with.
  const compared = mine.filter((x) => x.page.signedIn && floor[x.formFactor]);
  if (compared.length)
    console.log('\nsigned-in pages vs the sign-in page (same form factor): TBT / bytes / DOM');
  for (const r of compared) {
    const f = floor[r.formFactor];
    console.log(
      `  ${r.page.name.padEnd(24)} ${r.formFactor.padEnd(8)} ${ratio(r.median.tbt, f.tbt).padStart(6)} ${ratio(r.median.bytes, f.bytes).padStart(6)} ${ratio(r.median.dom, f.dom).padStart(6)}`,
    );
  }
  // The targets are this tree's (the one LH_APP_ROOT names, this checkout by default).
  const misses = mine.filter(
    (r) =>
      r.median.score < TARGET[r.formFactor] ||
      (r.formFactor === 'desktop' && r.median.tbt >= TARGET.tbtMs),
  );
  console.log(
    `\ntargets (performance ≥ ${TARGET.desktop} desktop, ≥ ${TARGET.mobile} mobile; desktop TBT < ${TARGET.tbtMs} ms): ${
      misses.length
        ? `NOT met by ${misses.map((r) => `${r.page.name} ${r.formFactor}`).join(', ')}`
        : 'met'
    }`,
  );
  process.exitCode = misses.length ? 1 : 0;
}

try {
  await main();
} finally {
  await stop();
}

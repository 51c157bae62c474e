// npm run bench — the API figures of issue 7. Seeds a throwaway native Postgres (bench/seed),
// then through the real PostgREST over HTTP, with the app's own data provider, times each
// screen's requests against a naive variant in the same run:
//   lists and the customer page: the same requests as role bench_naive, whose role settings
//   turn index and bitmap scans off, with exact counts (Prefer: count=exact);
//   dashboards: the rows of the range downloaded through PostgREST and aggregated in Node.
// EXPLAIN (ANALYZE, BUFFERS) plans of every request go to bench/out/ (auto_explain, so they
// are the plans of the SQL PostgREST really ran, RLS included). Loopback only; stops itself.
import fs from 'node:fs';
import path from 'node:path';
import { seedBench, sizes } from '../seed/seed.mjs';
import { loadDataProvider } from '../lib/provider.mjs';
import { naiveMetrics } from '../lib/naive-dashboard.mjs';
import { log, median, percentile, staffToken, startBudget, timeInTurn } from '../lib/common.mjs';
import { scenarios, todayUtc } from './scenarios.mjs';
import { fundWrites, prepareWrites, restClient, writeScenarios } from './writes.mjs';

const env = process.env;
const RUNS = Number(env.BENCH_RUNS || 41);
const NAIVE_RUNS = Number(env.BENCH_NAIVE_RUNS || 5);
const NAIVE_DASHBOARD_RUNS = Number(env.BENCH_NAIVE_DASHBOARD_RUNS || 1);
// BENCH_ONLY=dashboard: only the scenarios whose name contains it (case-insensitive);
// several comma-separated, e.g. BENCH_ONLY=finance,_credits,_generation.
const ONLY = (env.BENCH_ONLY || '').toLowerCase().split(',');
// BENCH_KEEP=1: after the report, keep Postgres and PostgREST up (psql at the printed URL)
// and run the scenarios again on each SIGUSR2; Ctrl-C / SIGTERM stops everything.
const KEEP = env.BENCH_KEEP === '1';
// BENCH_BEFORE=<checkout>: that tree's data provider too (its src/, node_modules beside it),
// each scenario timed run by run in turn with this tree's, so both see the same load; the
// report gives its median beside this tree's.
const BEFORE = env.BENCH_BEFORE ? path.resolve(env.BENCH_BEFORE) : null;
const OUT = path.resolve(import.meta.dirname, '../out/api');
const BIG_TABLES = ['customers', 'generations', 'credit_transactions', 'admin_audit'];

// Off by default (log_min_duration = -1 costs nothing); switched on around the plan capture.
const AUTO_EXPLAIN = [
  "session_preload_libraries='auto_explain'",
  'auto_explain.log_min_duration=-1',
  'auto_explain.log_analyze=on',
  'auto_explain.log_buffers=on',
  'auto_explain.log_nested_statements=on',
];

const NAIVE_ROLE = `
  do $$ begin
    if not exists (select from pg_roles where rolname = 'bench_naive') then
      create role bench_naive nologin;
    end if;
  end $$;
  grant authenticated to bench_naive;
  grant bench_naive to authenticator;
  alter role bench_naive set enable_indexscan = off;
  alter role bench_naive set enable_indexonlyscan = off;
  alter role bench_naive set enable_bitmapscan = off;`;

async function time(fn, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  return times;
}

/** Runs fn once with auto_explain logging everything; returns the log lines it produced. */
async function capturePlans(db, logFile, fn) {
  const setMin = async (v) => {
    await db.query(`alter system set auto_explain.log_min_duration = ${v}`);
    await db.query('select pg_reload_conf()');
    await new Promise((r) => setTimeout(r, 300)); // backends pick up SIGHUP between commands
  };
  await setMin(0);
  const from = fs.statSync(logFile).size;
  try {
    await fn();
  } finally {
    await setMin(-1);
  }
  const fd = fs.openSync(logFile, 'r');
  const buf = Buffer.alloc(fs.statSync(logFile).size - from);
  fs.readSync(fd, buf, 0, buf.length, from);
  fs.closeSync(fd);
  return buf.toString('utf8');
}

const seqScans = (plan) =>
  [...new Set([...plan.matchAll(/Seq Scan on (?:public\.)?(\w+)/g)].map((m) => m[1]))].filter((t) =>
    BIG_TABLES.includes(t),
  );

async function main() {
  startBudget('bench', KEEP ? 120 : 30);

  const seeded = await seedBench({ settings: AUTO_EXPLAIN });
  const { postgres, stack, db, userId } = seeded;
  let provider;
  let beforeProvider;
  try {
    await db.query(NAIVE_ROLE);
    // PostgREST reads the impersonated roles' settings when it starts (the stack's PostgREST
    // listens to no NOTIFY channel), so it starts again to know bench_naive's.
    await stack.restartPostgrest();
    const email = 'support@bench.creditdesk.dev';
    const token = await staffToken({ jwtSecret: stack.jwtSecret, userId, email });
    const naiveToken = await staffToken({
      jwtSecret: stack.jwtSecret,
      userId,
      email,
      role: 'bench_naive',
    });
    provider = await loadDataProvider({ url: stack.url, anonKey: stack.anonKey });
    const dp = provider.forToken(token);
    const naiveDp = provider.forToken(naiveToken);
    if (BEFORE)
      beforeProvider = await loadDataProvider({
        url: stack.url,
        anonKey: stack.anonKey,
        root: BEFORE,
      });
    const beforeDp = beforeProvider?.forToken(token);

    // Customers across the usage skew: the heaviest (thousands of rows) down to the lightest.
    const ranks = [1, 2, 3, 5, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000, 199999];
    const customerIds = ranks.map(
      (k) => `pass_${String(Math.min(k, sizes.customers)).padStart(7, '0')}`,
    );
    const { rows } = await db.query(
      `select split_part(email, '@', 1) as local from public.customers where id = any($1) order by id`,
      [customerIds],
    );
    // Full local parts, and shorter prefixes as support types them ("maya.kim" for maya.kim123@…).
    const searchTerms = rows.flatMap((r, i) => (i % 3 ? [r.local] : [r.local.replace(/\d+$/, '')]));
    // The lifecycle's write paths on customers of their own (funded with a paid block), as
    // the service role (webhooks, the generation worker) and a support member.
    const writes = await prepareWrites(db);
    const service = restClient({
      url: stack.url,
      apikey: stack.serviceRoleKey,
      token: stack.serviceRoleKey,
    });
    await fundWrites(service, writes.ids);
    const supportDp = provider.forToken(
      await staffToken({
        jwtSecret: stack.jwtSecret,
        userId: writes.supportUserId,
        email: writes.supportEmail,
      }),
    );
    const list = [
      ...scenarios({ searchTerms, customerIds, today: todayUtc() }),
      ...writeScenarios({ service, support: supportDp, customerIds: writes.ids }),
    ].filter((s) => ONLY.some((only) => s.name.toLowerCase().includes(only)));
    log(`search terms: ${searchTerms.join(', ')}`);

    const measure = async () => {
      fs.mkdirSync(OUT, { recursive: true });
      const results = [];
      for (const s of list) {
        try {
          // Started generations for a finish scenario: warm-up, timed, plan, naive runs.
          // With BENCH_BEFORE each scenario runs 10 + RUNS more times (timeInTurn's warm-ups of both
          // trees and the before tree's runs): what a run consumes (started generations) is made for those too.
          await s.prepare?.(5 + RUNS + 1 + 1 + NAIVE_RUNS + 1 + (beforeDp ? 10 + RUNS : 0));
          for (let i = 0; i < 5; i++) await s.run(dp, i); // warm caches and PostgREST's pool
          let fast;
          let before;
          if (beforeDp) {
            [fast, before] = await timeInTurn(
              [(i) => s.run(dp, i), (i) => s.run(beforeDp, i)],
              RUNS,
            );
          } else {
            fast = await time((i) => s.run(dp, i), RUNS);
          }
          let naive;
          let naiveNote;
          if (s.dashboardDays) {
            const from = new Date(
              Date.parse(`${todayUtc()}T00:00:00Z`) - (s.dashboardDays - 1) * 86_400_000,
            )
              .toISOString()
              .slice(0, 10);
            let fetched = 0;
            naive = await time(async () => {
              const m = await naiveMetrics({
                rest: `${stack.url}/rest/v1`,
                headers: { apikey: stack.anonKey, authorization: `Bearer ${token}` },
                from,
                to: todayUtc(),
              });
              fetched = m.rowsFetched;
            }, NAIVE_DASHBOARD_RUNS);
            naiveNote = `${fetched.toLocaleString('en')} rows aggregated in Node`;
          } else if (s.naiveRest) {
            // The request itself as the naive role would run it (index scans off, exact
            // count), when the scenario's own requests make no sense without indexes.
            const get = async () => {
              const r = await fetch(`${stack.url}/rest/v1/${s.naiveRest}`, {
                headers: {
                  apikey: stack.anonKey,
                  authorization: `Bearer ${naiveToken}`,
                  prefer: 'count=exact',
                },
              });
              if (!r.ok) throw new Error(`naive ${s.naiveRest}: ${r.status} ${await r.text()}`);
              await r.text();
            };
            await get();
            naive = await time(get, NAIVE_RUNS);
            naiveNote = s.naiveNote;
          } else if (s.naive) {
            await s.naive();
            naive = await time(() => s.naive(), NAIVE_RUNS);
            naiveNote = s.naiveNote;
          } else {
            const exact = { headers: { Prefer: 'count=exact' } };
            await s.run(naiveDp, 0, exact);
            naive = await time((i) => s.run(naiveDp, i, exact), NAIVE_RUNS);
            naiveNote = 'no index, exact count';
          }
          const slug = s.name
            .replace(/[^a-z0-9]+/gi, '-')
            .replace(/-$/, '')
            .toLowerCase();
          const plan = await capturePlans(db, postgres.logFile, () => s.run(dp, 0));
          fs.writeFileSync(path.join(OUT, `${slug}.txt`), plan);
          if (!s.dashboardDays) {
            const naivePlan = await capturePlans(db, postgres.logFile, () =>
              s.naive
                ? s.naive()
                : s.naiveRest
                  ? Promise.resolve()
                  : s.run(naiveDp, 0, { headers: { Prefer: 'count=exact' } }),
            );
            fs.writeFileSync(path.join(OUT, `${slug}.naive.txt`), naivePlan);
          }
          const r = {
            name: s.name,
            target: s.target,
            median: median(fast),
            p95: percentile(fast, 0.95),
            naiveMedian: median(naive),
            naiveNote,
            seqScans: seqScans(plan),
            before: before && { median: median(before), p95: percentile(before, 0.95) },
          };
          results.push(r);
          log(
            `${r.name}: ${r.median.toFixed(1)} ms median, ${r.p95.toFixed(1)} ms p95; naive ${r.naiveMedian.toFixed(0)} ms${r.before ? `; before (${BEFORE}) ${r.before.median.toFixed(1)} ms median, ${r.before.p95.toFixed(1)} ms p95, interleaved` : ''}`,
          );
        } catch (e) {
          // A scenario that errors (e.g. a statement timeout) is reported as failed and the
          // others still run.
          const why = /** @type {any} */ (e).body?.code ?? /** @type {Error} */ (e).message;
          log(`${s.name}: FAILED (${why})`);
          results.push({ name: s.name, target: s.target, failed: `failed: ${why}`, seqScans: [] });
        }
      }
      report(results);
      const broken = await lifecycleViolations(db, writes.ids);
      console.log(
        `ledger invariants of the ${writes.ids.length} write-path customers (credits = sum(delta) = latest balance_after = blocks' remaining; original - remaining = draws): ${broken.length ? `BROKEN ${broken.join(', ')}` : 'hold'}`,
      );
      const pass =
        !broken.length &&
        results.every((r) => !r.failed && r.median < r.target && r.seqScans.length === 0);
      console.log(
        `targets (lists, customer page and lifecycle writes < 25 ms median, dashboards < 20 ms, no seq scan on a big table): ${pass ? 'met' : 'NOT met'}`,
      );
      console.log(`plans: ${path.relative(process.cwd(), OUT)}/`);
      process.exitCode = pass ? 0 : 1;
    };
    await measure();
    if (KEEP) {
      log(
        `BENCH_KEEP: psql ${postgres.url}; kill -USR2 ${process.pid} to measure again, Ctrl-C to stop`,
      );
      let busy = Promise.resolve();
      process.on('SIGUSR2', () => (busy = busy.then(measure, measure)));
      await new Promise(() => {}); // until the signal handlers stop the cluster and exit
    }
  } finally {
    await provider?.close().catch(() => {});
    await beforeProvider?.close().catch(() => {});
    await seeded.stop();
  }
}

/** The customers among ids whose ledger, balance and blocks disagree. */
async function lifecycleViolations(db, ids) {
  const { rows } = await db.query(
    `select c.id from public.customers c
      where c.id = any($1)
        and (c.credits <> coalesce((select sum(t.delta) from public.credit_transactions t where t.customer_id = c.id), 0)
          or c.credits <> coalesce((select t.balance_after from public.credit_transactions t
                                     where t.customer_id = c.id order by t.id desc limit 1), 0)
          or c.credits <> coalesce((select sum(b.remaining) from public.credit_blocks b where b.customer_id = c.id), 0)
          or exists (select 1 from public.credit_blocks b
                      where b.customer_id = c.id
                        and b.original - b.remaining <> coalesce((select sum(d.amount) from public.credit_block_draws d
                                                                   where d.block_id = b.id), 0)))`,
    [ids],
  );
  return rows.map((r) => r.id);
}

function report(results) {
  console.log(
    `\nAPI through PostgREST over HTTP, the app's data provider; ${sizes.customers.toLocaleString('en')} customers, ${sizes.generations.toLocaleString('en')} generations, ${sizes.ledger.toLocaleString('en')} ledger rows, ${sizes.audit.toLocaleString('en')} audit rows; ${RUNS} runs (naive ${NAIVE_RUNS}, naive dashboards ${NAIVE_DASHBOARD_RUNS})`,
  );
  const head = [
    'screen',
    'median',
    'p95',
    'target',
    'naive median',
    'ratio',
    'seq scan',
    'naive is',
  ];
  const rows = results.map((r) =>
    r.failed
      ? [r.name, '-', '-', `< ${r.target} ms FAILED`, '-', '-', '-', r.failed]
      : [
          r.name,
          `${r.median.toFixed(1)} ms`,
          `${r.p95.toFixed(1)} ms`,
          `< ${r.target} ms ${r.median < r.target ? 'ok' : 'MISSED'}`,
          r.naiveMedian >= 1000
            ? `${(r.naiveMedian / 1000).toFixed(2)} s`
            : `${r.naiveMedian.toFixed(1)} ms`,
          // Below 10 with two decimals: a write path may be slower than its naive steps.
          r.naiveMedian / r.median >= 10
            ? `${Math.round(r.naiveMedian / r.median)}×`
            : `${(r.naiveMedian / r.median).toFixed(2)}×`,
          r.seqScans.length ? r.seqScans.join(' ') : 'none',
          r.naiveNote,
        ],
  );
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => (i === 0 || i === 7 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  const compared = results.filter((r) => r.before);
  if (compared.length) {
    console.log(`\nbefore = ${BEFORE}'s data provider, interleaved run by run with this tree's:`);
    for (const r of compared)
      console.log(
        `  ${r.name}: before ${r.before.median.toFixed(1)} / ${r.before.p95.toFixed(1)} ms, this tree ${r.median.toFixed(1)} / ${r.p95.toFixed(1)} ms (median / p95)`,
      );
  }
}

await main();

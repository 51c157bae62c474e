// node bench/dashboard/compare.mjs <postgres url> <gateway url> [git rev, default main]
// Before/after at the same load: on a cluster kept by `BENCH_KEEP=1 npm run bench:dashboard`,
// installs <rev>'s public.dashboard_metrics and public.finance_metrics (from its schema files)
// as dashboard_metrics_before / finance_metrics_before, reloads that stack's PostgREST schema
// cache, then calls each pair alternately (41 times each after 5 warm-ups) through the gateway,
// as the browser does, and in SQL. Every answer is checked equal to the other's once both are
// decoded to rows (so <rev> must send the columnar answers, 20261204400000 or later); the
// _before functions are dropped again at the end.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ANON_KEY, JWT_SECRET } from '../../supabase/local/keys.mjs';
import { addDays, isoDay, median, percentile, staffToken } from '../lib/common.mjs';
import { loadAppModule } from '../lib/provider.mjs';

const [pgUrl, gateway, rev = 'main'] = process.argv.slice(2);
if (!pgUrl || !gateway) {
  console.error('usage: node bench/dashboard/compare.mjs <postgres url> <gateway url> [git rev]');
  process.exit(2);
}
const RUNS = Number(process.env.BENCH_RUNS || 41);
const root = path.resolve(import.meta.dirname, '../..');

/** `create or replace function public.<name>(` … `end $$;` of <rev>'s schema file, renamed. */
function beforeFunction(file, name) {
  const sql = execFileSync('git', ['-C', root, 'show', `${rev}:supabase/schemas/${file}`], {
    encoding: 'utf8',
  });
  const start = sql.indexOf(`create or replace function public.${name}(`);
  const end = sql.indexOf('end $$;', start);
  if (start < 0 || end < 0) throw new Error(`no public.${name} in ${rev}:${file}`);
  return sql
    .slice(start, end + 'end $$;'.length)
    .replace(`public.${name}(`, `public.${name}_before(`);
}

/** This stack's PostgREST (its environment names this cluster), asked to reload its cache. */
function reloadPostgrest() {
  const port = new URL(pgUrl).port;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let env;
    try {
      if (!fs.readlinkSync(`/proc/${pid}/exe`).endsWith('/postgrest')) continue;
      env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
    } catch {
      continue;
    }
    const uri = env.split('\0').find((v) => v.startsWith('PGRST_DB_URI='));
    // Another stack's PostgREST may name its cluster by a socket folder (no host, not a URL).
    if (
      uri &&
      URL.canParse(uri.slice('PGRST_DB_URI='.length)) &&
      new URL(uri.slice('PGRST_DB_URI='.length)).port === port
    ) {
      process.kill(Number(pid), 'SIGUSR1');
      return pid;
    }
  }
  throw new Error(`no PostgREST of the cluster on port ${port} found`);
}

const db = new pg.Client({ connectionString: pgUrl });
await db.connect();
const app = await loadAppModule('/src/dashboards/columns.ts');
const { decodeDashboardMetrics, decodeFinanceMetrics, decodeModelSeries } = app.module;
try {
  await db.query(beforeFunction('75_dashboard_metrics.sql', 'dashboard_metrics'));
  await db.query(beforeFunction('76_finance_metrics.sql', 'finance_metrics'));
  await db.query(`grant execute on function public.dashboard_metrics_before(date, date, text, text),
                    public.finance_metrics_before(date, date, text) to authenticated`);
  console.log(`PostgREST ${reloadPostgrest()} reloads its schema cache`);
  await new Promise((r) => setTimeout(r, 3000));

  const {
    rows: [{ id: userId }],
  } = await db.query(`select id from auth.users where email = 'support@bench.creditdesk.dev'`);
  const email = 'support@bench.creditdesk.dev';
  const token = await staffToken({ jwtSecret: JWT_SECRET, userId, email });
  const headers = {
    apikey: ANON_KEY,
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  };
  const claims = JSON.stringify({ sub: userId, role: 'authenticated', email, session_id: userId });

  // Rows either way, through the app's decoder: both answers are columnar since 20261204400000
  // (a <rev> from before that sent rows, and the answers will not compare equal).
  const asRows = {
    dashboard_metrics: (a, args) =>
      args.p_models_of ? decodeModelSeries(a) : decodeDashboardMetrics(a),
    finance_metrics: decodeFinanceMetrics,
  };
  const call = async (fn, args) => {
    const t = performance.now();
    const r = await fetch(`${gateway}/rest/v1/rpc/${fn}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(args),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${fn} ${r.status}: ${text.slice(0, 300)}`);
    const base = fn.replace(/_before$/, '');
    const parsed = JSON.parse(text);
    const rows = asRows[base](parsed, args);
    return { ms: performance.now() - t, bytes: Buffer.byteLength(text), rows };
  };
  // In SQL, as PostgREST's role and claims, in one transaction: the call's own time (the
  // client round trip of the answer's text included).
  const sqlCall = async (fn, args) => {
    const names = Object.keys(args);
    const t = performance.now();
    await db.query(
      `select public.${fn}(${names.map((n, i) => `${n} => $${i + 1}`).join(', ')})::text`,
      names.map((n) => args[n]),
    );
    return performance.now() - t;
  };

  const today = isoDay(new Date());
  const cases = [];
  for (const days of [30, 180]) {
    const from = addDays(today, -(days - 1));
    cases.push({
      what: `dashboard_metrics, ${days} days`,
      fn: 'dashboard_metrics',
      args: { p_from: from, p_to: today },
    });
    cases.push({
      what: `finance_metrics, ${days} days`,
      fn: 'finance_metrics',
      args: { p_from: from, p_to: today },
    });
  }
  {
    const full = await call('dashboard_metrics', cases[2].args);
    const cost = {};
    for (const r of full.rows.by_provider_model)
      cost[r.provider] = (cost[r.provider] ?? 0) + Number(r.cost_usd);
    const top = Object.keys(cost).sort((a, b) => cost[b] - cost[a])[0];
    cases.push({
      what: `drill-down (${top}), 180 days`,
      fn: 'dashboard_metrics',
      args: { ...cases[2].args, p_models_of: top },
    });
  }

  const loadStart = os.loadavg();
  const report = [];
  for (const c of cases) {
    const pair = [`${c.fn}_before`, c.fn];
    for (let i = 0; i < 5; i++) for (const fn of pair) await call(fn, c.args);
    const http = { [pair[0]]: [], [pair[1]]: [] };
    const sql = { [pair[0]]: [], [pair[1]]: [] };
    let last = {};
    for (let i = 0; i < RUNS; i++)
      for (const fn of i % 2 ? pair : [...pair].reverse()) {
        const r = await call(fn, c.args);
        http[fn].push(r.ms);
        last[fn] = r;
      }
    await db.query('begin');
    await db.query(
      `select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`,
      [claims],
    );
    for (let i = 0; i < 3; i++) for (const fn of pair) await sqlCall(fn, c.args);
    for (let i = 0; i < 21; i++)
      for (const fn of i % 2 ? pair : [...pair].reverse()) sql[fn].push(await sqlCall(fn, c.args));
    await db.query('commit');
    const same = JSON.stringify(last[pair[0]].rows) === JSON.stringify(last[pair[1]].rows);
    report.push({ c, pair, http, sql, last, same });
  }
  const loadEnd = os.loadavg();

  console.log(
    `\n${rev} (before) and this tree (after), alternately, ${RUNS} HTTP calls each (fetch + JSON.parse + decode) and 21 in SQL;` +
      ` load average (1/5 min) ${loadStart[0].toFixed(1)}/${loadStart[1].toFixed(1)} → ${loadEnd[0].toFixed(1)}/${loadEnd[1].toFixed(1)} on ${os.cpus().length} cores`,
  );
  console.log(
    'call                              | HTTP median / p95 before | after            | SQL median before → after | kB before → after | same rows',
  );
  const f = (xs) => `${median(xs).toFixed(1)} / ${percentile(xs, 0.95).toFixed(1)} ms`;
  for (const { c, pair, http, sql, last, same } of report)
    console.log(
      `${c.what.padEnd(34)}| ${f(http[pair[0]]).padEnd(25)}| ${f(http[pair[1]]).padEnd(17)}| ${median(sql[pair[0]]).toFixed(1)} → ${median(sql[pair[1]]).toFixed(1)} ms`.padEnd(
        110,
      ) +
        `| ${(last[pair[0]].bytes / 1000).toFixed(1)} → ${(last[pair[1]].bytes / 1000).toFixed(1)} | ${same ? 'yes' : 'NO'}`,
    );
  if (report.some((r) => !r.same)) process.exitCode = 1;
} finally {
  await db.query('rollback').catch(() => {});
  await db
    .query(
      'drop function if exists public.dashboard_metrics_before(date, date, text, text), public.finance_metrics_before(date, date, text)',
    )
    .catch(() => {});
  await db.end();
  await app.close();
}

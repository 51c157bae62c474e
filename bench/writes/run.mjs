// npm run bench:writes — the product backend's write path under concurrency, on a throwaway
// native Postgres behind the real PostgREST (bench/seed at a moderate scale). The path is
// what the backend does for every generation, both ways it can: the lifecycle functions
// (start_generation charges and inserts the generation pending, finish_generation records the
// result and refunds a failed one) and the older insert as the service role plus
// consume_credits; in the mix, one in ten generations fails and is refunded while a staff
// member reads the dashboard. Measured as:
//   sql             one transaction per generation through a pg pool (begin, insert, consume,
//                   commit); a failure is a second one (status update + refund_credits);
//   http            through PostgREST with the service key, as supabase-js sends it:
//                   POST /generations, then POST /rpc/consume_credits (each its own transaction);
//   sql-lifecycle   start_generation, then finish_generation, each its own transaction through
//                   the pool (the backend finishes when the provider answers);
//   http-lifecycle  POST /rpc/start_generation, then POST /rpc/finish_generation.
// Every scenario runs with the rollup triggers on and again with them disabled (bench-only,
// on this cluster), and pgbench's TPC-B at 16 and 64 clients runs on the same cluster as the
// yardstick of what this machine does. Loopback only; everything it starts it stops.
import crypto from 'node:crypto';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { isoDay, log, percentile, sqlSections, staffToken, startBudget } from '../lib/common.mjs';
import { serviceTransaction } from '../../test/support/service-transaction.mjs';
import { foldStatsOf } from './fold-stats.mjs';

const env = process.env;
// A moderate data set (the dashboard figures at full scale are bench:dashboard's): writes
// touch one day's rollups and the bench's own customers, so the size only has to be real.
env.BENCH_CUSTOMERS ||= '20000';
env.BENCH_GENERATIONS ||= '200000';
env.BENCH_LEDGER ||= '300000';
env.BENCH_AUDIT ||= '20000';
const { seedBench } = await import('../seed/seed.mjs');

const SECONDS = Number(env.BENCH_WRITES_SECONDS || 8);
// BENCH_ONLY=shared: only the scenarios whose name contains it (case-insensitive).
const ONLY = (env.BENCH_ONLY || '').toLowerCase();
const TRANSPORTS = (env.BENCH_TRANSPORTS || 'sql,http,sql-lifecycle,http-lifecycle').split(',');
const FAIL_SHARE = 0.1;
// Runs per side and scenario, in ABBA order (on, off, off, on for 2; on, off for 1).
const ROUNDS = Math.max(1, Number(env.BENCH_WRITES_ROUNDS || 2));
// BENCH_FOLD_STATS=1: pg_stat_statements (every statement, nested ones too) and the delta
// tables' vacuum counters per scenario, printed after its runs: what the fold costs meanwhile.
// A measurement arm: tracking every statement slows both sides.
const FOLD_STATS = env.BENCH_FOLD_STATS === '1';
const sql = sqlSections(path.join(import.meta.dirname, 'bench.sql'));

/** clients, and how many of them share one customer; mix = failures refunded + dashboard reads. */
const SCENARIOS = [
  { name: 'distinct 1', clients: 1, perCustomer: 1, mix: false },
  { name: 'distinct 16', clients: 16, perCustomer: 1, mix: false },
  { name: 'distinct 64', clients: 64, perCustomer: 1, mix: false },
  { name: 'shared 16', clients: 16, perCustomer: 4, mix: false },
  { name: 'shared 64', clients: 64, perCustomer: 4, mix: false },
  { name: 'mix 16', clients: 16, perCustomer: 4, mix: true },
  { name: 'mix 64', clients: 64, perCustomer: 4, mix: true },
].filter((s) => !ONLY || s.name.includes(ONLY));

const PROVIDERS = ['wavespeed', 'fal', 'replicate', 'openai'];
const MODELS = ['flux-dev', 'flux-schnell', 'sdxl', 'kling-v2'];
// The 1-minute load average, sampled after every run: on a machine shared with other work the
// figures mean little without it.
const loads = [];
const load = () => {
  const l = os.loadavg()[0];
  loads.push(l);
  return `load ${l.toFixed(1)}`;
};
const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];
const customerId = (i) => `bench-${String(i + 1).padStart(4, '0')}`;

/** One generation as the backend writes it. */
function newGeneration(customer, failing) {
  return {
    failing,
    id: crypto.randomUUID(),
    customer_id: customer,
    provider: pick(PROVIDERS),
    model: pick(MODELS),
    status: failing ? 'processing' : 'succeeded',
    latency_ms: failing ? null : 500 + Math.floor(Math.random() * 5000),
    cost_usd: Number((Math.random() * 0.05).toFixed(6)),
  };
}

// ---- the transports: each returns { charge(gen), fail(gen) }. On the lifecycle paths charge
// is the whole generation (start, then finish as succeeded or failed, the refund included) and
// fail is never called: a failed generation's refund is part of its finish. ----

function sqlTransport(pool) {
  const inTx = serviceTransaction(pool);
  return {
    charge: (g) =>
      inTx(async (c) => {
        await c.query(
          `insert into public.generations (id, customer_id, provider, model, status, latency_ms, cost_usd)
           values ($1, $2, $3, $4, $5, $6, $7)`,
          [g.id, g.customer_id, g.provider, g.model, g.status, g.latency_ms, g.cost_usd],
        );
        await c.query('select public.consume_credits($1, 1, $2, null, null, $3, $4)', [
          g.customer_id,
          g.id,
          g.provider,
          g.cost_usd,
        ]);
      }),
    fail: (g) =>
      inTx(async (c) => {
        await c.query(
          "update public.generations set status = 'failed', error = 'bench: provider failed' where id = $1",
          [g.id],
        );
        await c.query('select public.refund_credits($1, null, $2)', [g.customer_id, g.id]);
      }),
  };
}

/** The finish the backend reports for a generation (what a provider answered). */
const finishArgs = (g) => [
  g.id,
  g.failing ? 'failed' : 'succeeded',
  g.failing ? null : `https://cdn.bench.creditdesk.dev/${g.id}.png`,
  g.failing ? null : 'image/png',
  g.latency_ms,
  g.cost_usd,
  g.failing ? 'bench: provider failed' : null,
];

function sqlLifecycleTransport(pool) {
  const inTx = serviceTransaction(pool);
  return {
    charge: async (g) => {
      await inTx(async (c) => {
        const { rows } = await c.query(
          "select public.start_generation($1, 'bench_image', $2, $3, 'a bench prompt', $4) as r",
          [g.customer_id, g.provider, g.model, `bench:${g.id}`],
        );
        g.id = rows[0].r.generation_id;
      });
      await inTx((c) =>
        c.query('select public.finish_generation($1, $2, $3, $4, $5, $6, $7)', finishArgs(g)),
      );
    },
  };
}

function httpLifecycleTransport(stack) {
  const send = restSender(stack);
  return {
    charge: async (g) => {
      const started = await send('POST', '/rpc/start_generation', {
        p_customer_id: g.customer_id,
        p_type: 'bench_image',
        p_provider: g.provider,
        p_model: g.model,
        p_prompt: 'a bench prompt',
        p_idempotency_key: `bench:${g.id}`,
      });
      g.id = started.generation_id;
      const [id, status, url, type, latency, cost, error] = finishArgs(g);
      await send('POST', '/rpc/finish_generation', {
        p_generation_id: id,
        p_status: status,
        p_output_url: url,
        p_content_type: type,
        p_latency_ms: latency,
        p_cost_usd: cost,
        p_error: error,
      });
    },
  };
}

/** A request to PostgREST with the service key; its JSON answer, or a thrown error with code. */
function restSender(stack) {
  const rest = `${stack.url}/rest/v1`;
  const headers = {
    apikey: stack.serviceRoleKey,
    authorization: `Bearer ${stack.serviceRoleKey}`,
    'content-type': 'application/json',
    prefer: 'return=minimal',
  };
  return async (method, url, body) => {
    const r = await fetch(`${rest}${url}`, { method, headers, body: JSON.stringify(body) });
    const text = await r.text();
    if (!r.ok) {
      let j = {};
      try {
        j = JSON.parse(text);
      } catch {
        /* not JSON: the status says enough */
      }
      throw Object.assign(new Error(j.message || `${r.status} ${text.slice(0, 200)}`), {
        code: j.code || `HTTP ${r.status}`,
      });
    }
    return text ? JSON.parse(text) : null;
  };
}

function httpTransport(stack) {
  const send = restSender(stack);
  return {
    charge: async (g) => {
      const row = { ...g };
      delete row.failing; // the bench's own flag, not a column
      await send('POST', '/generations', row);
      await send('POST', '/rpc/consume_credits', {
        p_customer_id: g.customer_id,
        p_amount: 1,
        p_generation_id: g.id,
        p_provider: g.provider,
        p_cost_usd: g.cost_usd,
      });
    },
    fail: async (g) => {
      await send('PATCH', `/generations?id=eq.${g.id}`, {
        status: 'failed',
        error: 'bench: provider failed',
      });
      await send('POST', '/rpc/refund_credits', {
        p_customer_id: g.customer_id,
        p_amount: null,
        p_generation_id: g.id,
      });
    },
  };
}

// ---- one measured run ----

async function run({ scenario, transport, db, dashboard }) {
  await db.query('truncate bench.lock_hold');
  const customers = Math.max(1, scenario.clients / scenario.perCustomer);
  const latencies = [];
  const failures = new Map(); // code: message -> count
  let deadlocks = 0;
  const fail = (e) => {
    const code = e.code ?? 'error';
    if (code === '40P01' || /deadlock/i.test(e.message)) deadlocks++;
    const k = `${code}: ${String(e.message).split('\n')[0].slice(0, 120)}`;
    failures.set(k, (failures.get(k) ?? 0) + 1);
  };
  const deadline = performance.now() + SECONDS * 1000;
  const client = async (i) => {
    const customer = customerId(i % customers);
    while (performance.now() < deadline) {
      const failing = scenario.mix && Math.random() < FAIL_SHARE;
      const g = newGeneration(customer, failing);
      let t = performance.now();
      try {
        await transport.charge(g);
        latencies.push(performance.now() - t);
      } catch (e) {
        fail(e);
        continue;
      }
      if (!failing || !transport.fail) continue;
      t = performance.now();
      try {
        await transport.fail(g);
        latencies.push(performance.now() - t);
      } catch (e) {
        fail(e);
      }
    }
  };
  const reads = [];
  const reader = async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      try {
        await dashboard();
        reads.push(performance.now() - t);
      } catch (e) {
        fail(e);
      }
    }
  };
  const t0 = performance.now();
  await Promise.all([
    ...Array.from({ length: scenario.clients }, (_, i) => client(i)),
    ...(scenario.mix ? [reader()] : []),
  ]);
  const seconds = (performance.now() - t0) / 1000;
  const { rows } = await db.query('select held_us from bench.lock_hold');
  return {
    seconds,
    latencies,
    holds: rows.map((r) => Number(r.held_us)),
    reads,
    deadlocks,
    failures,
  };
}

/** The runs of one side (rollups on, or off) as one: their transactions over their seconds. */
function summarize(runs) {
  const latencies = runs.flatMap((r) => r.latencies);
  const holds = runs.flatMap((r) => r.holds);
  const reads = runs.flatMap((r) => r.reads);
  const failures = new Map();
  for (const r of runs)
    for (const [k, n] of r.failures) failures.set(k, (failures.get(k) ?? 0) + n);
  return {
    tps: latencies.length / runs.reduce((a, r) => a + r.seconds, 0),
    runs: runs.map((r) => r.latencies.length / r.seconds),
    committed: latencies.length,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    deadlocks: runs.reduce((a, r) => a + r.deadlocks, 0),
    failed: [...failures.values()].reduce((a, b) => a + b, 0),
    failures,
    holdP50: holds.length ? percentile(holds, 0.5) / 1000 : null,
    holdP99: holds.length ? percentile(holds, 0.99) / 1000 : null,
    reads: reads.length
      ? { n: reads.length, p50: percentile(reads, 0.5), p95: percentile(reads, 0.95) }
      : null,
  };
}

/**
 * `clients` at once run the path a few times (one failed generation refunded each), untimed,
 * so every pooled connection the runs use has compiled the functions and cached the
 * catalogs before any run is measured (pool comment in main).
 */
async function warmUp(transport, clients) {
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      for (let k = 0; k < 3; k++) {
        const g = newGeneration(customerId(i), k === 0);
        await transport.charge(g);
        if (g.failing && transport.fail) await transport.fail(g);
      }
    }),
  );
}

// ---- bench-only switches on the throwaway cluster ----

async function setRollups(db, on) {
  const { rows } = await db.query(sql('rollup_triggers'));
  for (const t of rows)
    await db.query(`alter table ${t.tbl} ${on ? 'enable' : 'disable'} trigger ${t.name}`);
  return rows.map((t) => `${t.tbl}.${t.name}`);
}

/** Does inserting a generation already hold the customer row against FOR NO KEY UPDATE? */
async function probeGenerationLock(db, url) {
  const other = new pg.Client({ connectionString: url });
  await other.connect();
  try {
    await db.query('begin');
    await db.query(
      "insert into public.generations (customer_id, provider, status) values ('bench-0001', 'fal', 'pending')",
    );
    try {
      await other.query(
        "select 1 from public.customers where id = 'bench-0001' for no key update nowait",
      );
      return false;
    } catch (e) {
      if (e.code === '55P03') return true;
      throw e;
    }
  } finally {
    await db.query('rollback');
    await other.end();
  }
}

function pgbench(url, clients) {
  // At least 10 s: 64 connections take a while to open on a loaded 2-core machine.
  const seconds = String(Math.max(10, SECONDS));
  const r = spawnSync(
    path.join(pgBinDir(), 'pgbench'),
    ['-c', String(clients), '-j', '2', '-T', seconds, '-n', url],
    { encoding: 'utf8' },
  );
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(r.stdout);
  if (!m) throw new Error(`pgbench failed: ${r.stderr || r.stdout}`);
  return Number(m[1]);
}

function pgBinDir() {
  if (env.PG_BIN) return env.PG_BIN;
  const r = spawnSync('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'], {
    encoding: 'utf8',
  });
  return r.stdout.trim();
}

// ---- report ----

const f1 = (x) => (x == null ? '-' : x.toFixed(1));
const f2 = (x) => (x == null ? '-' : x.toFixed(2));

function printTable(results, pgb) {
  console.log(
    `\nbench:writes — ${SECONDS} s per run, ${ROUNDS} run(s) per side and scenario in ABBA order (on, off, off, on), each side's tx/s its transactions over its seconds; tx = one generation charged (sql/http: insert + consume_credits) or one failed generation refunded (status update + refund_credits); on the -lifecycle rows one generation started and finished (start_generation, then finish_generation: two transactions, a failed one's refund inside its finish)`,
  );
  console.log(
    '| transport | scenario | clients | customers | tx/s | p50 ms | p95 ms | p99 ms | deadlocks | other failed | lock hold p50 / p99 ms | tx/s rollups off | ratio on/off | dashboard reads p50 / p95 ms |',
  );
  console.log(
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |',
  );
  for (const r of results) {
    const { on, off } = r;
    console.log(
      `| ${r.transport} | ${r.scenario.name} | ${r.scenario.clients} | ${Math.max(1, r.scenario.clients / r.scenario.perCustomer)} | ${f1(on.tps)} | ${f1(on.p50)} | ${f1(on.p95)} | ${f1(on.p99)} | ${on.deadlocks} | ${on.failed - on.deadlocks} | ${f2(on.holdP50)} / ${f2(on.holdP99)} | ${f1(off?.tps)} | ${off ? f2(on.tps / off.tps) : '-'} | ${on.reads ? `${f1(on.reads.p50)} / ${f1(on.reads.p95)} (${on.reads.n})` : '-'} |`,
    );
  }
  if (loads.length)
    console.log(
      `\nload average (1 min, after each run): ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} on ${os.cpus().length} cores`,
    );
  if (pgb.length)
    console.log(
      `\npgbench TPC-B (scale 16, same cluster): ${pgb.map((p) => `${p.clients} clients ${p.tps.toFixed(0)} tx/s`).join(', ')}; 64/16 = ${pgb.length === 2 ? (pgb[1].tps / pgb[0].tps).toFixed(2) : '-'}`,
    );
  const failures = new Map();
  for (const r of results)
    for (const side of ['on', 'off'])
      for (const [k, n] of r[side]?.failures ?? [])
        failures.set(`${r.transport} ${r.scenario.name} rollups ${side}: ${k}`, n);
  if (failures.size) {
    console.log('\nfailures:');
    for (const [k, n] of failures) console.log(`  ${n} × ${k}`);
  }

  console.log('\ntargets:');
  const at = (t, name) => results.find((r) => r.transport === t && r.scenario.name === name);
  for (const t of TRANSPORTS) {
    const checks = [];
    const all = results.filter((r) => r.transport === t);
    checks.push([
      '0 deadlocks and 0 failed tx in every scenario',
      all.every((r) => r.on.failed === 0 && (r.off?.failed ?? 0) === 0),
    ]);
    const d16 = at(t, 'distinct 16');
    const d64 = at(t, 'distinct 64');
    const s64 = at(t, 'shared 64');
    if (d16 && d64)
      checks.push([
        `tx/s 64 ≥ 0.75 × tx/s 16 (distinct: ${f2(d64.on.tps / d16.on.tps)})`,
        d64.on.tps >= 0.75 * d16.on.tps,
      ]);
    for (const r of [d16, d64].filter(Boolean))
      if (r.off)
        checks.push([
          `rollups ≥ 0.8 × no rollups at ${r.scenario.clients} (${f2(r.on.tps / r.off.tps)})`,
          r.on.tps >= 0.8 * r.off.tps,
        ]);
    if (s64 && d64)
      checks.push([
        `four per customer ≥ 0.5 × distinct at 64 (${f2(s64.on.tps / d64.on.tps)})`,
        s64.on.tps >= 0.5 * d64.on.tps,
      ]);
    for (const [what, ok] of checks) console.log(`  ${t}: ${ok ? 'met    ' : 'NOT met'} ${what}`);
  }
}

async function main() {
  startBudget('bench:writes', 30);
  const seeded = await seedBench({
    settings: [
      'max_connections=250',
      'max_locks_per_transaction=128',
      ...(FOLD_STATS
        ? ["shared_preload_libraries='pg_stat_statements'", 'pg_stat_statements.track=all']
        : []),
    ],
  });
  const { stack, db, userId, postgres } = seeded;
  try {
    await db.query(sql('setup'));
    if (FOLD_STATS) await db.query('create extension if not exists pg_stat_statements');
    const foldStats = foldStatsOf(db, load);
    const customerCount = Math.max(...SCENARIOS.map((s) => s.clients));
    await db.query(sql('customers', { count: customerCount }));
    const generationLocks = await probeGenerationLock(db, postgres.url);
    await db.query(
      `alter database postgres set bench.generation_locks = '${generationLocks ? 'on' : 'off'}'`,
    );
    log(
      `lock hold measured from ${generationLocks ? 'the generation insert (it takes the customer lock)' : 'the ledger insert (apply_credit_change locks, then inserts)'} to commit`,
    );

    // Idle connections are kept (pg.Pool closes them after 10 s by default): a backend's first
    // transactions compile every PL/pgSQL function and load the catalog entries of ~60
    // relations, and with the default every 16- or 64-client "rollups on" run opened most of
    // its connections anew, while the "off" run right after reused them warm. That measured
    // backend start-up as the rollups' price (one 64-client run: 77 tx/s cold vs 332 warm,
    // rollups on both). A backend's pool keeps its connections the same way.
    const pool = new pg.Pool({ connectionString: postgres.url, max: 70, idleTimeoutMillis: 0 });
    const token = await staffToken({
      jwtSecret: stack.jwtSecret,
      userId,
      email: 'support@bench.creditdesk.dev',
    });
    const today = isoDay(new Date());
    const from = isoDay(new Date(Date.now() - 29 * 86_400_000));
    const dashboard = async (f = from, t = today) => {
      const r = await fetch(`${stack.url}/rest/v1/rpc/dashboard_metrics`, {
        method: 'POST',
        headers: {
          apikey: stack.anonKey,
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ p_from: f, p_to: t }),
      });
      const text = await r.text();
      if (!r.ok) throw Object.assign(new Error(text.slice(0, 200)), { code: `HTTP ${r.status}` });
      return JSON.parse(text);
    };
    const transports = {
      sql: sqlTransport(pool),
      http: httpTransport(stack),
      'sql-lifecycle': sqlLifecycleTransport(pool),
      'http-lifecycle': httpLifecycleTransport(stack),
    };

    // Rollups on and off back to back for each scenario, not all "on" runs and then all "off"
    // runs: on a machine shared with other work the load drifts over minutes, and a ratio of
    // two runs minutes apart measured the drift. And in ABBA order (on, off, off, on with the
    // default BENCH_WRITES_ROUNDS=2), each side's transactions summed over its runs: with a
    // fixed on-then-off order the drift within a pair always fell on one side, and so did the
    // fold of the "on" run's last seconds of deltas, which runs during the "off" run after it.
    // What an "off" run writes reaches no rollup, so the check is on each "on" run's increase:
    // today's generations on the dashboard grew by exactly as many as the raw rows.
    const todayCounts = async () => {
      const raw = await db.query(
        `select count(*)::int as n from public.generations
          where (created_at at time zone 'UTC')::date = (now() at time zone 'UTC')::date`,
      );
      return { raw: raw.rows[0].n, shown: Number((await dashboard(today, today)).generations) };
    };
    const results = [];
    let checkedRows = 0;
    const maxClients = Math.max(...SCENARIOS.map((s) => s.clients));
    for (const t of TRANSPORTS) {
      await warmUp(transports[t], maxClients);
      log(`${t}: ${maxClients} connections warmed up (not measured), ${load()}`);
      for (const scenario of SCENARIOS) {
        const stats = FOLD_STATS ? await foldStats.start() : null;
        const sides = { on: [], off: [] };
        for (let round = 0; round < ROUNDS; round++)
          for (const side of round % 2 ? ['off', 'on'] : ['on', 'off']) {
            const before = side === 'on' ? await todayCounts() : null;
            if (side === 'off') await setRollups(db, false);
            let r;
            try {
              r = await run({ scenario, transport: transports[t], db, dashboard });
            } finally {
              if (side === 'off') await setRollups(db, true);
            }
            sides[side].push(r);
            if (stats) await stats.afterRun(side, r);
            const failed = [...r.failures.values()].reduce((x, y) => x + y, 0);
            log(
              `${t} ${scenario.name} rollups ${side}: ${(r.latencies.length / r.seconds).toFixed(1)} tx/s, ${failed} failed, ${load()} ${[...r.failures.keys()].slice(0, 3).join(' | ')}`,
            );
            if (side === 'off') continue;
            // Rollups and ledger still agree with the raw rows after all that concurrency.
            const after = await todayCounts();
            checkedRows += after.raw - before.raw;
            if (after.shown - before.shown !== after.raw - before.raw) {
              log(
                `rollup check, ${t} ${scenario.name}: ${after.raw - before.raw} generations written, the dashboard grew by ${after.shown - before.shown}`,
              );
              console.log('ROLLUPS DO NOT MATCH THE RAW ROWS');
              process.exitCode = 1;
            }
          }
        if (stats) await stats.report(`${t} ${scenario.name}`);
        results.push({
          transport: t,
          scenario,
          on: summarize(sides.on),
          off: summarize(sides.off),
        });
      }
    }
    log(
      `rollup check: the rollups-on runs wrote ${checkedRows} generations; the dashboard's count for today ${process.exitCode ? 'DIFFERED' : 'grew by exactly as many in each'}`,
    );
    const inv = (await db.query(sql('invariant'))).rows[0];
    const genInv = (await db.query(sql('generation_invariant'))).rows[0];
    log(
      `ledger invariant: ${inv.broken} of ${inv.customers} bench customers broken; generations charged/refunded wrongly: ${genInv.broken}`,
    );

    await pool.end();
    const pgb = [];
    if (!ONLY || 'pgbench'.includes(ONLY) || env.BENCH_PGBENCH === '1') {
      await db.query('create database pgbench');
      const url = postgres.url.replace(/\/postgres$/, '/pgbench');
      const init = spawnSync(path.join(pgBinDir(), 'pgbench'), ['-i', '-s', '16', '-q', url], {
        encoding: 'utf8',
      });
      if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);
      for (const clients of [16, 64]) {
        pgb.push({ clients, tps: pgbench(url, clients) });
        load();
      }
    }
    printTable(results, pgb);
    if (Number(inv.broken) || Number(genInv.broken)) {
      console.log('LEDGER INVARIANT BROKEN');
      process.exitCode = 1;
    }
  } finally {
    await seeded.stop();
  }
}

await main();

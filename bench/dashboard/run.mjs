// npm run bench:dashboard — dashboard_metrics over HTTP against the naive way (rows fetched
// through PostgREST, aggregated in Node), on 2M generations and 3M ledger rows in a native
// Postgres behind the real PostgREST. Loopback only; everything it starts it stops.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { SignJWT } from 'jose';
// @ts-expect-error plain ESM module of the embedded stack
import { startStack } from '../../supabase/local/stack.mjs';
import { startPostgres } from './postgres.mjs';
import { naiveMetrics } from './naive.mjs';

const env = process.env;
const GENERATIONS = Number(env.BENCH_GENERATIONS || 2_000_000);
const LEDGER = Number(env.BENCH_LEDGER || 3_000_000);
const CUSTOMERS = Number(env.BENCH_CUSTOMERS || 20_000);
const RUNS = Number(env.BENCH_RUNS || 41);
const NAIVE_RUNS = Number(env.BENCH_NAIVE_RUNS || 3);
const CHUNK = 250_000;

const log = (s) =>
  console.log(`[bench ${(performance.now() / 1000).toFixed(1).padStart(6)}s] ${s}`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const isoDay = (d) => d.toISOString().slice(0, 10);
const addDays = (day, n) => isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000));

const sections = Object.fromEntries(
  fs
    .readFileSync(path.join(import.meta.dirname, 'load.sql'), 'utf8')
    .split(/^-- @/m)
    .slice(1)
    .map((s) => [s.slice(0, s.indexOf('\n')).trim(), s.slice(s.indexOf('\n') + 1)]),
);
const sql = (name, vars) => sections[name].replace(/\{\{(\w+)\}\}/g, (_, k) => String(vars[k]));

async function load(db, userId) {
  const t0 = performance.now();
  await db.query(sql('customers', { customers: CUSTOMERS }));
  await db.query(sql('staff', { user_id: userId }));
  for (const [name, total] of [
    ['generations', GENERATIONS],
    ['ledger', LEDGER],
  ]) {
    for (let lo = 1; lo <= total; lo += CHUNK) {
      const hi = Math.min(total, lo + CHUNK - 1);
      // Each chunk is one statement, so the rollup triggers see it as one bulk backfill.
      await db.query(sql(name, { customers: CUSTOMERS, lo, hi }));
      log(`loaded ${name} ${hi.toLocaleString('en')} / ${total.toLocaleString('en')}`);
    }
  }
  await db.query('vacuum analyze');
  log(`load + vacuum analyze took ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

/** The rollups must equal the raw rows, or the speed-up means nothing. */
async function checkRollups(db) {
  const { rows } = await db.query(`
    select (select count(*) from public.generations) as raw_generations,
           (select sum(calls) from public.generation_daily_stats) as rollup_generations,
           (select count(*) from public.credit_transactions) as raw_ledger,
           (select sum(entries) from public.ledger_daily_stats) as rollup_ledger,
           (select count(*) from public.generation_daily_stats) as stats_rows,
           (select count(*) from public.customer_daily_activity) as activity_rows`);
  const r = rows[0];
  log(`rows: ${JSON.stringify(r)}`);
  if (r.raw_generations !== r.rollup_generations || r.raw_ledger !== r.rollup_ledger) {
    throw new Error('rollups differ from raw row counts');
  }
}

async function main() {
  const budget = setTimeout(() => {
    console.error('bench: over its 15-minute budget, stopping');
    process.exit(2);
  }, 15 * 60_000);
  budget.unref();

  const postgres = await startPostgres({ log });
  let stack;
  const db = new pg.Client({ connectionString: postgres.url });
  try {
    stack = await startStack({ databaseUrl: postgres.url, seed: false, port: 0, quiet: true });
    log(`stack (PostgREST + gateway) at ${stack.url}`);
    await db.connect();
    const userId = crypto.randomUUID();
    await load(db, userId);
    await checkRollups(db);

    const token = await new SignJWT({
      role: 'authenticated',
      aud: 'authenticated',
      email: 'finance@bench.creditdesk.dev',
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuedAt()
      .setExpirationTime('2h')
      .sign(new TextEncoder().encode(stack.jwtSecret));
    const headers = {
      apikey: stack.anonKey,
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    };
    const rest = `${stack.url}/rest/v1`;

    const rpc = async (from, to) => {
      const r = await fetch(`${rest}/rpc/dashboard_metrics`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ p_from: from, p_to: to }),
      });
      const body = await r.text();
      if (!r.ok) throw new Error(`dashboard_metrics ${r.status}: ${body}`);
      return JSON.parse(body);
    };

    const today = isoDay(new Date());
    const results = [];
    for (const days of [30, 180]) {
      const from = addDays(today, -(days - 1));
      for (let i = 0; i < 5; i++) await rpc(from, today); // warm the pool and plan caches
      const times = [];
      let answer;
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        answer = await rpc(from, today);
        times.push(performance.now() - t);
      }
      const naiveTimes = [];
      let naive;
      for (let i = 0; i < NAIVE_RUNS; i++) {
        const t = performance.now();
        naive = await naiveMetrics({ rest, headers, from, to: today });
        naiveTimes.push(performance.now() - t);
        log(
          `naive ${days}-day run ${i + 1}: ${(naiveTimes.at(-1) / 1000).toFixed(1)} s, ${naive.rowsFetched.toLocaleString('en')} rows`,
        );
      }
      const same =
        naive.generations === Number(answer.generations) &&
        naive.active_customers === Number(answer.active_customers) &&
        Math.abs(naive.cost_usd - Number(answer.cost_usd)) < 0.01 &&
        naive.refunds === Number(answer.refunds) &&
        naive.credits_spent === Number(answer.credits_spent);
      results.push({
        range: `${days} days (${from} .. ${today} UTC)`,
        generations: Number(answer.generations),
        rpcMedianMs: median(times),
        rpcP95Ms: [...times].sort((a, b) => a - b)[Math.floor(times.length * 0.95)],
        naiveMedianMs: median(naiveTimes),
        rowsFetched: naive.rowsFetched,
        same,
      });
      if (!same)
        log(`MISMATCH rpc ${JSON.stringify(answer).slice(0, 400)} naive ${JSON.stringify(naive)}`);
    }

    console.log('\ndashboard_metrics over HTTP vs naive (PostgREST rows aggregated in Node)');
    console.log(
      `data: ${GENERATIONS.toLocaleString('en')} generations, ${LEDGER.toLocaleString('en')} ledger rows, ${CUSTOMERS.toLocaleString('en')} customers`,
    );
    console.log(
      'range                               generations  rpc median  rpc p95   naive median  rows fetched  ratio   same figures',
    );
    for (const r of results) {
      console.log(
        `${r.range.padEnd(36)}${r.generations.toLocaleString('en').padStart(11)}  ${r.rpcMedianMs.toFixed(1).padStart(7)} ms ${r.rpcP95Ms.toFixed(1).padStart(6)} ms ${(r.naiveMedianMs / 1000).toFixed(2).padStart(9)} s  ${r.rowsFetched.toLocaleString('en').padStart(12)}  ${Math.round(
          r.naiveMedianMs / r.rpcMedianMs,
        )
          .toString()
          .padStart(5)}×  ${r.same ? 'yes' : 'NO'}`,
      );
    }
    const thirty = results[0];
    const pass =
      thirty.rpcMedianMs < 20 &&
      thirty.naiveMedianMs / thirty.rpcMedianMs >= 200 &&
      results.every((r) => r.same);
    console.log(
      `target (30-day median < 20 ms, ≥ 200× naive, same figures): ${pass ? 'met' : 'NOT met'}`,
    );
    process.exitCode = pass ? 0 : 1;
  } finally {
    await db.end().catch(() => {});
    await stack?.stop().catch(() => {});
    postgres.stop();
  }
}

await main();

// npm run bench:seed — loads the bench data set (200,000 customers, 2 million generations over
// 180 days, 3 million ledger rows keeping the ledger invariant with the credit blocks and
// draws behind them, an audit trail) into a
// throwaway native Postgres behind the real PostgREST, verifies it, prints the timings and
// stops everything. `npm run bench` calls seedBench() itself and measures on the same cluster,
// so no cluster outlives a command. Loopback only.
import crypto from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
// @ts-expect-error plain ESM module of the embedded stack
import { startStack } from '../../supabase/local/stack.mjs';
import { startPostgres } from '../lib/postgres.mjs';
import { log, sqlSections, startBudget } from '../lib/common.mjs';

const env = process.env;
export const sizes = {
  customers: Number(env.BENCH_CUSTOMERS || 200_000),
  generations: Number(env.BENCH_GENERATIONS || 2_000_000),
  ledger: Number(env.BENCH_LEDGER || 3_000_000),
  audit: Number(env.BENCH_AUDIT || 500_000),
  days: Number(env.BENCH_DAYS || 180),
};
const CHUNK = 250_000;
const sql = sqlSections(path.join(import.meta.dirname, 'load.sql'));

/**
 * Starts native Postgres (extra postgresql.conf `settings`) and the stack (which applies
 * bootstrap + migrations), then loads and verifies.
 * @returns {Promise<{ postgres, stack, db: pg.Client, userId: string, stop(): Promise<void> }>}
 */
export async function seedBench({ settings = [] } = {}) {
  const postgres = await startPostgres({ log, settings });
  let stack;
  const db = new pg.Client({ connectionString: postgres.url });
  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      await db.end().catch(() => {});
      await stack?.stop().catch(() => {});
      postgres.stop();
    })());
  // Ctrl-C or a kill must not leave the cluster (a pg_ctl daemon) or PostgREST behind.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      console.error(`bench: ${signal}, stopping`);
      stop().finally(() => process.exit(130));
    });
  }
  try {
    const t0 = performance.now();
    stack = await startStack({ databaseUrl: postgres.url, seed: false, port: 0, quiet: true });
    log(`schema applied; PostgREST + gateway at ${stack.url}`);
    await db.connect();
    const userId = crypto.randomUUID();
    await load(db, userId);
    await verify(db);
    log(`seed took ${((performance.now() - t0) / 1000).toFixed(0)} s in all`);
    return { postgres, stack, db, userId, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function step(name, fn) {
  const t = performance.now();
  await fn();
  log(`${name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

async function load(db, userId) {
  const vars = { ...sizes, user_id: userId };
  await db.query(sql('session'));
  await step(`${sizes.customers.toLocaleString('en')} customers`, () =>
    db.query(sql('customers', vars)),
  );
  await db.query(sql('staff', vars));
  await step(`${sizes.generations.toLocaleString('en')} generations`, async () => {
    for (let lo = 1; lo <= sizes.generations; lo += CHUNK) {
      const hi = Math.min(sizes.generations, lo + CHUNK - 1);
      await db.query(sql('generations', { ...vars, lo, hi }));
    }
  });
  await step('ledger plan (running balances, credit blocks and draws)', () =>
    db.query(sql('ledger_stage', vars)),
  );
  // The planned entries and the expiry entries the blocks made.
  const {
    rows: [{ n }],
  } = await db.query('select count(*)::int as n from bench_ledger');
  await step(`${n.toLocaleString('en')} ledger rows`, async () => {
    for (let lo = 1; lo <= n; lo += CHUNK) {
      const hi = Math.min(n, lo + CHUNK - 1);
      await db.query(sql('ledger', { ...vars, lo, hi }));
    }
  });
  await step('credit blocks', () => db.query(sql('blocks', vars)));
  await step('credit block draws', () => db.query(sql('draws', vars)));
  await step('balances and last_active', () => db.query(sql('balances', vars)));
  await step(`${sizes.audit.toLocaleString('en')} audit rows`, () => db.query(sql('audit', vars)));
  await step('dashboard rollups rebuilt', () => db.query(sql('rollups', vars)));
  await step('vacuum analyze', () => db.query('vacuum analyze'));
}

/** The ledger invariant for every customer and the rollups against raw rows, or it throws. */
async function verify(db) {
  const t = performance.now();
  const { rows } = await db.query(sql('verify'));
  const r = rows[0];
  const ok =
    Number(r.ledger_mismatches) === 0 &&
    Number(r.negative_balances) === 0 &&
    Number(r.broken_chain) === 0 &&
    Number(r.block_balance_mismatches) === 0 &&
    Number(r.block_draw_mismatches) === 0 &&
    Number(r.overdue_blocks) === 0 &&
    r.finance_revenue_ok === true &&
    r.customer_revenue_ok === true &&
    r.rollup_generations === r.generations &&
    r.rollup_provider_generations === r.generations &&
    r.rollup_ledger === r.ledger &&
    r.active_customers_ok === true;
  log(
    `verified in ${((performance.now() - t) / 1000).toFixed(1)} s: ${JSON.stringify(r)} → ${ok ? 'consistent' : 'INCONSISTENT'}`,
  );
  if (!ok) throw new Error('bench data breaks the ledger invariant or the rollups');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  startBudget('bench:seed', 15);
  const { stop } = await seedBench();
  await stop();
}

// database_health and ledger_integrity on a native Postgres, where raw SQL can put the
// drift of seeds 000/001/003 into `public` and break a customer's ledger on purpose.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO, signedIn } from '../support/db';

const databaseUrl = inject('databaseUrl');
const fixture = (name: string) =>
  fs.readFileSync(path.resolve('test/fixtures/legacy', name), 'utf8');

interface HealthTable {
  name: string;
  category: 'creditdesk' | 'legacy' | 'unknown';
  used_by_creditdesk: boolean;
  flags: string[];
  reason: string | null;
  exact_rows: number | null;
  rls_enabled: boolean;
  policy_count: number;
  has_primary_key: boolean;
  unused_indexes: { name: string }[];
}
interface Health {
  tables: HealthTable[];
  summary: Record<string, number>;
  proposal: { backup_command: string | null; sql: string | null };
}

const DRIFT = [
  'admin_allowlist',
  'mina_admin_allowlist',
  'runtime_config_flat',
  'mina_runtime_config',
  'users_profile',
  'feedbacks',
  'credit_pools',
  'credit_purchase_requests',
  'api_providers',
  'MEGA_CUSTOMERS',
  'mg_customers',
];

describe.skipIf(!databaseUrl)('database health with legacy drift in public', () => {
  let db: pg.Client;
  let health: Health;

  beforeAll(async () => {
    db = new pg.Client({ connectionString: databaseUrl! });
    await db.connect();
    await db.query(fixture('003_public_drift.sql'));
    const { data, error } = await (await signedIn(DEMO.admin)).rpc('database_health');
    if (error) throw new Error(error.message);
    health = data as unknown as Health;
  });

  afterAll(async () => {
    // Leaves public as the migrations made it (migrations-native checks every table has RLS).
    await db?.query(fixture('900_drop_public_drift.sql'));
    await db?.end();
  });

  const table = (name: string) => health.tables.find((t) => t.name === name)!;

  it('flags every duplicate and obsolete table of the seeds, with its reason', () => {
    for (const name of DRIFT) {
      expect(table(name), name).toMatchObject({ category: 'legacy', used_by_creditdesk: false });
      expect(table(name).reason, name).toBeTruthy();
    }
    expect(table('feedbacks').flags).toContain('duplicate');
    expect(table('feedbacks').reason).toMatch(/twin of feedback/);
    expect(table('credit_pools').flags).toEqual(
      expect.arrayContaining(['obsolete', 'rls_disabled']),
    );
    expect(table('credit_pools').exact_rows).toBe(2);
    expect(table('MEGA_CUSTOMERS').flags).toEqual(expect.arrayContaining(['legacy', 'empty']));
    expect(table('mg_customers').reason).toMatch(/twin of customers/);
    expect(table('mina_admin_allowlist').flags).toContain('no_primary_key');
  });

  it('tells an unknown table from ours, with RLS, policies and unused indexes', () => {
    expect(table('enhancement_tasks')).toMatchObject({
      category: 'unknown',
      has_primary_key: false,
      rls_enabled: false,
    });
    expect(table('enhancement_tasks').flags).toEqual(
      expect.arrayContaining(['not_used', 'rls_disabled', 'no_primary_key', 'unused_indexes']),
    );
    expect(table('enhancement_tasks').unused_indexes.map((i) => i.name)).toContain(
      'enhancement_tasks_status_idx',
    );
    expect(table('customers')).toMatchObject({
      category: 'creditdesk',
      rls_enabled: true,
      has_primary_key: true,
    });
    expect(table('customers').policy_count).toBeGreaterThanOrEqual(2);
    expect(table('customers').flags).not.toContain('not_used');
  });

  it('proposes a backup and DROP statements with reasons, and drops nothing', async () => {
    const { backup_command, sql } = health.proposal;
    expect(backup_command).toMatch(/^pg_dump /);
    expect(backup_command).toContain(`--table='public."MEGA_CUSTOMERS"'`);
    expect(backup_command).toContain(`--table='public.credit_pools'`);
    expect(sql).toContain('drop table public.feedbacks;');
    expect(sql).toContain('drop table public."MEGA_CUSTOMERS";');
    expect(sql).toMatch(/-- credit_pools: Pre-purchased provider credit pools.*Holds 2 rows/);
    // Seed 003 calls dropping api_providers optional: proposed, commented out.
    expect(sql).toContain('-- optional: drop table public.api_providers;');
    expect(sql).not.toMatch(/drop table public\.(customers|feedback|enhancement_tasks);/);
    expect(sql).not.toMatch(/cascade/i);

    const { rows } = await db.query(
      "select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relname = any($1)",
      [DRIFT],
    );
    expect(rows[0].n).toBe(DRIFT.length);
  });
});

describe.skipIf(!databaseUrl)('ledger integrity on a deliberately broken customer', () => {
  let db: pg.Client;
  beforeAll(async () => {
    db = new pg.Client({ connectionString: databaseUrl! });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
  });

  // Everything happens in one transaction that is rolled back: the ledger is immutable, so
  // a broken customer could not be removed again without bypassing its triggers.
  async function inBrokenWorld<T>(
    check: (integrity: (stale: string) => Promise<IntegrityReport>) => Promise<T>,
  ) {
    await db.query('begin');
    try {
      await db.query(`select set_config('creditdesk.ledger_write', 'on', true)`);
      await db.query(
        `insert into public.customers (id, email) values ('health-broken', 'broken@example.com')`,
      );
      await db.query(`insert into public.credit_transactions (customer_id, type, delta, balance_after, reason, source)
                      values ('health-broken', 'grant', 100, 100, 'test', 'manual'),
                             ('health-broken', 'spend', -10, 95, 'test', 'manual')`);
      await db.query(
        `update public.customer_balances set credits = 80 where customer_id = 'health-broken'`,
      );
      await db.query(`insert into public.generations (id, customer_id, status, credits_charged, created_at)
                      values ('health-stuck', 'health-broken', 'pending', 5, now() - interval '2 hours')`);
      await db.query(`select set_config('request.jwt.claims', '{"role":"service_role"}', true)`);
      return await check(async (stale) => {
        const { rows } = await db.query('select public.ledger_integrity($1::interval) as r', [
          stale,
        ]);
        return rows[0].r as IntegrityReport;
      });
    } finally {
      await db.query('rollback');
    }
  }

  it('finds the balance mismatch, the broken chain and the stuck generation', async () => {
    await inBrokenWorld(async (integrity) => {
      const report = await integrity('1 hour');
      expect(report.balance_mismatches.rows).toContainEqual(
        expect.objectContaining({
          customer_id: 'health-broken',
          credits: 80,
          ledger_sum: 90,
          latest_balance_after: 95,
        }),
      );
      expect(report.broken_chain.rows).toContainEqual(
        expect.objectContaining({
          customer_id: 'health-broken',
          balance_after: 95,
          expected_balance_after: 90,
        }),
      );
      expect(
        report.broken_chain.rows.filter((r) => r.customer_id === 'health-broken'),
      ).toHaveLength(1);
      expect(report.unsettled_generations.rows).toContainEqual(
        expect.objectContaining({
          generation_id: 'health-stuck',
          problem: 'still pending',
          credits_charged: 5,
        }),
      );
      // Younger than the threshold: not yet unsettled.
      const patient = await integrity('3 hours');
      expect(patient.unsettled_generations.rows.map((r) => r.generation_id)).not.toContain(
        'health-stuck',
      );
    });
  });

  it('is refused to anyone without a staff role or the service role', async () => {
    await db.query('begin');
    try {
      await db.query(
        `select set_config('request.jwt.claims', '{"role":"authenticated","sub":"a0000000-0000-4000-8000-000000000004"}', true)`,
      );
      await expect(db.query(`select public.ledger_integrity()`)).rejects.toThrow(
        /Only CreditDesk staff/,
      );
    } finally {
      await db.query('rollback');
    }
  });
});

interface IntegrityReport {
  balance_mismatches: { count: number; rows: { customer_id: string }[] };
  broken_chain: { count: number; rows: { customer_id: string; balance_after: number }[] };
  unsettled_generations: { count: number; rows: { generation_id: string; problem: string }[] };
}

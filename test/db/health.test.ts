// database_health and ledger_integrity through PostgREST on the embedded stack (PGlite):
// who may call them, and what they say about the clean demo seed.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { anonClient, DEMO, serviceClient, signedIn } from '../support/db';

// Every table CreditDesk creates, read from supabase/schemas (each defined once there), so a
// new table that the health page does not know as CreditDesk's fails here.
const SCHEMAS = path.resolve(import.meta.dirname, '../../supabase/schemas');
const OURS = [
  ...new Set(
    fs
      .readdirSync(SCHEMAS)
      .filter((f) => f.endsWith('.sql'))
      .flatMap((f) =>
        [
          ...fs
            .readFileSync(path.join(SCHEMAS, f), 'utf8')
            .matchAll(/create table (?:if not exists )?public\.(\w+)/gi),
        ].map((m) => m[1]),
      ),
  ),
].sort();

const APPEND_ONLY = [
  'generation_daily_deltas',
  'ledger_daily_deltas',
  'customer_activity_changes',
  'finance_daily_deltas',
];

interface HealthTable {
  name: string;
  category: string;
  used_by_creditdesk: boolean;
  flags: string[];
  rls_enabled: boolean;
  has_primary_key: boolean;
  total_bytes: number;
  exact_rows: number | null;
}

describe('database_health', () => {
  it('lists every CreditDesk table with RLS on, a primary key (the append-only deltas none, unflagged) and no legacy flag', async () => {
    const { data, error } = await (await signedIn(DEMO.admin)).rpc('database_health');
    expect(error).toBeNull();
    const report = data as unknown as { tables: HealthTable[]; proposal: { sql: string | null } };
    expect(OURS.length).toBeGreaterThanOrEqual(17);
    const ours = report.tables.filter((t) => OURS.includes(t.name));
    expect(ours.map((t) => t.name).sort()).toEqual(OURS);
    for (const t of ours) {
      expect(t, t.name).toMatchObject({
        category: 'creditdesk',
        used_by_creditdesk: true,
        rls_enabled: true,
        // The delta tables are heaps without key or index on purpose (70_rollups.sql,
        // "Append points").
        has_primary_key: !APPEND_ONLY.includes(t.name),
      });
      // Each flag on its own (a negated arrayContaining of several passes unless all are there).
      for (const flag of ['duplicate', 'obsolete', 'legacy', 'rls_disabled', 'no_primary_key'])
        expect(t.flags, `${t.name}: ${flag}`).not.toContain(flag);
    }
    expect(ours.find((t) => t.name === 'customers')!.exact_rows).toBeGreaterThan(200);
    // Nothing of ours is ever proposed for dropping.
    expect(report.proposal.sql ?? '').not.toMatch(
      /drop table public\.(customers|feedback|generations)/,
    );
  });

  it('is refused to support, finance and non-staff (403) and to anon (401)', async () => {
    for (const email of [DEMO.support, DEMO.finance, DEMO.customer]) {
      const { error, status } = await (await signedIn(email)).rpc('database_health');
      expect(status, email).toBe(403);
      expect(error?.code).toBe('42501');
    }
    expect((await anonClient().rpc('database_health')).status).toBe(401);
  });
});

describe('ledger_integrity', () => {
  it('finds no balance mismatch or broken chain in the seed, for admin, support and finance', async () => {
    for (const email of [DEMO.admin, DEMO.support, DEMO.finance]) {
      const { data, error } = await (await signedIn(email)).rpc('ledger_integrity', {});
      expect(error, email).toBeNull();
      const report = data as unknown as Record<string, { count: number }>;
      expect(report.balance_mismatches.count, email).toBe(0);
      expect(report.broken_chain.count, email).toBe(0);
    }
  });

  // The seed models a real product: about three in ten failed generations were never
  // refunded and some pending ones are stuck, so "unsettled" is not empty; it must match a
  // direct count of the same rule.
  it('counts unsettled generations exactly as a direct query does', async () => {
    const cutoff = new Date(Date.now() - 60 * 60 * 1000).toISOString();
    const service = serviceClient();
    const stuck = await service
      .from('generations')
      .select('id', { count: 'exact', head: true })
      .gt('credits_charged', 0)
      .lt('created_at', cutoff)
      .in('status', ['pending', 'processing']);
    const unrefunded = await service
      .from('generations')
      .select('id', { count: 'exact', head: true })
      .gt('credits_charged', 0)
      .lt('created_at', cutoff)
      .in('status', ['failed', 'cancelled'])
      .is('refunded_at', null);
    const { data } = await (
      await signedIn(DEMO.finance)
    ).rpc('ledger_integrity', { p_stale_after: '1 hour' });
    const report = data as unknown as {
      unsettled_generations: { count: number; rows: unknown[] };
      row_limit: number;
    };
    expect(report.unsettled_generations.count).toBe((stuck.count ?? 0) + (unrefunded.count ?? 0));
    expect(report.unsettled_generations.rows.length).toBe(
      Math.min(report.unsettled_generations.count, report.row_limit),
    );
  });

  it('is refused to non-staff (403) and anon (401), and rejects a negative interval (400)', async () => {
    expect((await (await signedIn(DEMO.customer)).rpc('ledger_integrity', {})).status).toBe(403);
    expect((await anonClient().rpc('ledger_integrity', {})).status).toBe(401);
    const bad = await (
      await signedIn(DEMO.admin)
    ).rpc('ledger_integrity', { p_stale_after: '-1 hour' });
    expect(bad.status).toBe(400);
  });

  it('import_legacy with no legacy tables imports nothing and says which sources are missing', async () => {
    const { data, error } = await serviceClient().rpc('import_legacy', { p_dry_run: true });
    expect(error).toBeNull();
    const report = data as unknown as { totals: { imported: number }; missing_sources: string[] };
    expect(report.totals.imported).toBe(0);
    expect(report.missing_sources).toEqual(
      expect.arrayContaining(['customers', 'feedbacks', 'MEGA_CUSTOMERS']),
    );
    expect((await anonClient().rpc('import_legacy', { p_dry_run: true })).status).toBe(401);
  });
});

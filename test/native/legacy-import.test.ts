// The legacy import on a native Postgres: the fixtures create seed 000's fragmented tables
// and seed 001's MEGA_* tables in schema `legacy` with raw SQL (PGlite is owned by PostgREST,
// so this needs the native project), then public.import_legacy brings them over.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LegacyImportReport as Report } from '@/providers/rpcTypes';
import { DEMO, ledgerViolations, serviceClient, signedIn, stack } from '../support/db';

const databaseUrl = inject('databaseUrl');
const fixture = (name: string) =>
  fs.readFileSync(path.resolve('test/fixtures/legacy', name), 'utf8');

const IMPORTED_CUSTOMERS = {
  pass_aaa111: { credits: 120, source_system: 'legacy' },
  '8f1c2d3e-4b5a-4c6d-8e7f-901234567890': { credits: 75, source_system: 'legacy' },
  '4242': { credits: 10, source_system: 'legacy' },
  pass_dip: { credits: 5, source_system: 'legacy' },
  pass_shop2: { credits: 0, source_system: 'legacy' },
  pass_ccb: { credits: 33, source_system: 'legacy' },
  pass_differ: { credits: 50, source_system: 'legacy' },
  pass_negative: { credits: 0, source_system: 'legacy' },
  pass_mega1: { credits: 40, source_system: 'mega' },
  pass_mega2: { credits: 15, source_system: 'mega' },
  pass_mega_del: { credits: 0, source_system: 'mega' },
} as const;
const ids = Object.keys(IMPORTED_CUSTOMERS);

describe.skipIf(!databaseUrl)('legacy import', () => {
  let db: pg.Client;

  /** Runs the import as the service role from SQL, the way scripts/import-legacy.mjs does. */
  async function importAsService(dryRun: boolean): Promise<Report> {
    await db.query('begin');
    try {
      await db.query(`select set_config('request.jwt.claims', '{"role":"service_role"}', true)`);
      const { rows } = await db.query('select public.import_legacy($1) as report', [dryRun]);
      await db.query('commit');
      return rows[0].report as Report;
    } catch (e) {
      await db.query('rollback');
      throw e;
    }
  }

  const counts = async () => {
    const { rows } = await db.query(`
      select (select count(*) from public.customers)::int as customers,
             (select count(*) from public.credit_transactions)::int as ledger,
             (select count(*) from public.sessions)::int as sessions,
             (select count(*) from public.generations)::int as generations,
             (select count(*) from public.feedback)::int as feedback,
             (select count(*) from public.runtime_config)::int as runtime_config,
             (select count(*) from public.app_config)::int as app_config,
             (select count(*) from public.admin_sessions)::int as admin_sessions,
             (select count(*) from public.admin_audit)::int as admin_audit,
             (select md5(string_agg(c::text, ',' order by id)) from public.customers c) as customers_hash`);
    return rows[0];
  };

  let first: Report;
  let before: Awaited<ReturnType<typeof counts>>;

  beforeAll(async () => {
    db = new pg.Client({ connectionString: databaseUrl! });
    await db.connect();
    await db.query(fixture('001_fragmented.sql'));
    await db.query(fixture('002_mega.sql'));
    before = await counts();
  });

  afterAll(async () => {
    await db?.end();
  });

  it('a dry run reports what it would do and changes nothing', async () => {
    const report = await importAsService(true);
    expect(report.dry_run).toBe(true);
    expect(report.totals.imported).toBeGreaterThan(30);
    expect(report.ledger.customers).toBe(ids.length);
    expect(await counts()).toEqual(before);
  });

  it('is refused to support and finance staff, and to anon', async () => {
    for (const email of [DEMO.support, DEMO.finance]) {
      const { error, status } = await (
        await signedIn(email)
      ).rpc('import_legacy', { p_dry_run: true });
      expect(status).toBe(403);
      expect(error?.message).toMatch(/admins/);
    }
    const anon = await signedIn(DEMO.customer);
    expect((await anon.rpc('import_legacy', { p_dry_run: true })).status).toBe(403);
  });

  it('imports every legacy shape as an admin, keeping ids and setting source_system', async () => {
    const admin = await signedIn(DEMO.admin);
    const { data, error } = await admin.rpc('import_legacy', { p_dry_run: false });
    expect(error).toBeNull();
    first = data as unknown as Report;
    expect(first.dry_run).toBe(false);
    expect(first.missing_sources).toEqual([]);

    const { rows: customers } = await db.query(
      'select id, credits, source_system, email, shopify_customer_id, meta, deleted_at, auto_topup_enabled, auto_topup_monthly_limit_packs, topup_default_packs, verification_method from public.customers where id = any($1) order by id',
      [ids],
    );
    expect(
      Object.fromEntries(
        customers.map((c) => [c.id, { credits: c.credits, source_system: c.source_system }]),
      ),
    ).toEqual(IMPORTED_CUSTOMERS);
    const byId = Object.fromEntries(customers.map((c) => [c.id, c]));
    expect(byId.pass_aaa111).toMatchObject({
      email: 'alice@example.com',
      shopify_customer_id: '1001',
      auto_topup_enabled: true,
      auto_topup_monthly_limit_packs: 4,
    });
    expect(byId.pass_aaa111.meta).toMatchObject({
      plan: 'plus',
      legacy_profile_id: 'b1b1b1b1-0000-4000-8000-000000000001',
    });
    expect(byId['4242']).toMatchObject({ email: null, shopify_customer_id: '1002' });
    expect(byId['4242'].meta.legacy_email).toBe('not-an-email');
    expect(byId.pass_shop2.shopify_customer_id).toBeNull();
    expect(byId['8f1c2d3e-4b5a-4c6d-8e7f-901234567890'].email).toBeNull();
    expect(byId.pass_mega_del.deleted_at).not.toBeNull();
    expect(byId.pass_mega2).toMatchObject({ topup_default_packs: 3, verification_method: null });
    expect(byId.pass_mega1.meta).toMatchObject({
      legacy_source_system: 'mina_app',
      legacy_verification_keynumber: 'K-1',
    });

    const { rows: gens } = await db.query(
      "select id, customer_id, session_id, status, provider, latency_ms, source_system, meta from public.generations where id in ('gen-legacy-1','gen-legacy-2','gen-legacy-3','gen-legacy-4','mgen-1','mgen-del') order by id",
    );
    expect(gens.map((g) => g.id)).toEqual([
      'gen-legacy-1',
      'gen-legacy-2',
      'gen-legacy-3',
      'mgen-1',
    ]);
    const gen = Object.fromEntries(gens.map((g) => [g.id, g]));
    expect(gen['gen-legacy-1']).toMatchObject({
      status: 'succeeded',
      session_id: 'ses-1',
      source_system: 'legacy',
    });
    // Named only by its Shopify id; no provider and a negative latency in the legacy row.
    expect(gen['gen-legacy-2']).toMatchObject({
      customer_id: 'pass_aaa111',
      provider: 'unknown',
      latency_ms: null,
    });
    expect(gen['gen-legacy-3']).toMatchObject({ status: 'failed', session_id: null });
    expect(gen['gen-legacy-3'].meta.legacy_session_id).toBe('ses-missing');
    expect(gen['mgen-1']).toMatchObject({
      customer_id: 'pass_mega1',
      session_id: 'mses-1',
      source_system: 'mega',
    });

    const { rows: sessions } = await db.query(
      "select id, source_system from public.sessions where id in ('ses-1','ses-2','ses-x','mses-1') order by id",
    );
    expect(sessions).toEqual([
      { id: 'mses-1', source_system: 'mega' },
      { id: 'ses-1', source_system: 'legacy' },
      { id: 'ses-2', source_system: 'legacy' },
    ]);

    // feedback and feedbacks overlap: fb-1 by id, fbs-9 by content; each comes over once.
    const { rows: feedback } = await db.query(
      "select id, customer_id, source_system from public.feedback where id in ('fb-1','fb-2','fbs-9','fbs-10','mfb-1') order by id",
    );
    expect(feedback).toEqual([
      { id: 'fb-1', customer_id: 'pass_aaa111', source_system: 'legacy' },
      { id: 'fb-2', customer_id: null, source_system: 'legacy' },
      { id: 'fbs-10', customer_id: null, source_system: 'legacy' },
      { id: 'mfb-1', customer_id: 'pass_mega1', source_system: 'mega' },
    ]);

    const { rows: config } = await db.query(`
      select 'runtime' as t, key, value from public.runtime_config where key in ('generation_enabled','legacy_max_jobs','mega.max_parallel_jobs','generation.enabled')
      union all select 'app', key, value from public.app_config where key in ('banner','legacy.pricing_copy','links.status_page')
      order by 1, 2`);
    expect(config).toEqual([
      { t: 'app', key: 'banner', value: { enabled: false, text: '', level: 'info' } }, // CreditDesk's value wins
      { t: 'app', key: 'legacy.pricing_copy', value: '3 packs for $9' },
      { t: 'app', key: 'links.status_page', value: 'https://status.example.com' },
      { t: 'runtime', key: 'generation.enabled', value: true },
      { t: 'runtime', key: 'generation_enabled', value: true },
      { t: 'runtime', key: 'legacy_max_jobs', value: 4 },
      { t: 'runtime', key: 'mega.max_parallel_jobs', value: 3 },
    ]);

    const { rows: adminRows } = await db.query(`
      select (select count(*) from public.admin_sessions where session_hash in ('legacy-hash-1','legacy-hash-2','mega-hash-1'))::int as sessions,
             (select count(*) from public.admin_audit where details ? 'legacy_id')::int as audit,
             (select count(*) from public.admin_audit where action = 'legacy.import')::int as import_audit`);
    expect(adminRows[0]).toEqual({ sessions: 2, audit: 3, import_audit: 1 });
  });

  it('rebuilds a ledger where credits = sum(delta) = latest balance_after, with opening balances', async () => {
    expect(await ledgerViolations(ids)).toEqual([]);
    const { rows } = await db.query(
      `select customer_id, type, delta, balance_after, source, reason from public.credit_transactions
        where customer_id = any($1) order by customer_id, id`,
      [ids],
    );
    const of = (id: string) =>
      rows.filter((r) => r.customer_id === id).map((r) => [r.type, r.delta, r.balance_after]);
    // History adds up: no opening entry. tx-3 came through the profile's auth user id.
    expect(of('pass_aaa111')).toEqual([
      ['purchase', 200, 200],
      ['spend', -50, 150],
      ['spend', -30, 120],
    ]);
    // No history at all: the whole balance is the opening entry.
    expect(of('8f1c2d3e-4b5a-4c6d-8e7f-901234567890')).toEqual([['adjustment', 75, 75]]);
    // History larger than the balance: a closing adjustment brings it back.
    expect(of('4242')).toEqual([
      ['grant', 40, 40],
      ['adjustment', -30, 10],
    ]);
    // History that starts with a spend: the opening covers the dip, the closing restores 5.
    expect(of('pass_dip')).toEqual([
      ['adjustment', 20, 20],
      ['spend', -20, 0],
      ['purchase', 25, 25],
      ['adjustment', -20, 5],
    ]);
    // MEGA transactions carry no type; the source says it was a purchase.
    expect(of('pass_mega2')).toEqual([['purchase', 15, 15]]);
    const opening = rows.find((r) => r.customer_id === 'pass_mega1');
    expect(opening).toMatchObject({
      source: 'legacy_import',
      reason: 'Opening balance from mega',
      delta: 40,
    });
    expect(of('pass_negative')).toEqual([]);
  });

  it('lists the rows it could not map, with the reason', async () => {
    const has = (target: string, id: string | null, reason: RegExp, outcome = 'skipped') =>
      expect(first.issues).toContainEqual(
        expect.objectContaining({ target, id, outcome, reason: expect.stringMatching(reason) }),
      );
    has('customers', null, /no customer id/);
    has('customers', 'pass_aaa111', /duplicate customer id/);
    has(
      'customers',
      'pass_aaa111',
      /duplicate customer id.*MEGA_CUSTOMERS|first seen in legacy\.customers/,
    );
    has('customers', '4242', /invalid email 'not-an-email'/, 'warning');
    has('customers', 'pass_shop2', /Shopify id '1001' already belongs/, 'warning');
    has('customers', 'pass_differ', /differ/, 'warning');
    has('customers', 'pass_negative', /negative legacy balance -5/, 'warning');
    has('customer_credits', 'pass_ghost', /no customer 'pass_ghost'/);
    has('profiles', 'b1b1b1b1-0000-4000-8000-000000000002', /no customer matches/);
    has('credit_transactions', 'tx-7', /no customer 'pass_nobody'/);
    has('credit_transactions', 'tx-8', /no credit change/);
    has('credit_transactions', 'tx-9', /status 'failed'/);
    has('credit_transactions', 'tx-1', /duplicate of legacy\.credit_transactions row tx-1/);
    has('sessions', 'ses-x', /no customer 'pass_nobody'/);
    has('generations', 'gen-legacy-4', /no customer 'pass_nobody'/);
    has('generations', 'mgen-del', /soft-deleted/);
    has('feedback', 'fb-1', /duplicate of legacy\.feedback row fb-1 \(same id\)/);
    has('feedback', 'fbs-9', /duplicate of legacy\.feedback row fb-1 \(same customer/);
    has('feedback', 'fbs-10', /no customer 'pass_nobody'; imported without a customer/, 'warning');
    has('unknown', 'mweird-1', /unknown mg_record_type 'thumbnail'/);
    has('app_config', 'bad key!', /not a valid config key/);
    has('admin_sessions', 'legacy-hash-2', /no auth user for 'former-admin@example.com'/);
    has('admin_audit', '2', /duplicate audit id/);

    const feedbacks = first.sources.find((s) => s.source === 'legacy.feedbacks');
    expect(feedbacks).toMatchObject({ target: 'feedback', rows: 3, imported: 1, skipped: 2 });
    const customers = first.sources.find((s) => s.source === 'legacy.customers');
    expect(customers).toMatchObject({ rows: 10, imported: 8, skipped: 2, warnings: 4 });
    const mega = first.sources.find((s) => s.source === 'legacy."MEGA_CUSTOMERS"');
    expect(mega).toMatchObject({ rows: 4, imported: 3, skipped: 1 });
  });

  it('a second run changes nothing', async () => {
    const after = await counts();
    const again = await importAsService(false);
    expect(again.totals.imported).toBe(0);
    expect(again.totals.present).toBeGreaterThan(30);
    expect(again.ledger).toMatchObject({ customers: 0, entries: 0 });
    expect(await counts()).toEqual(after);
  });

  it('leaves a ledger the integrity check finds clean', async () => {
    const { data, error } = await serviceClient().rpc('ledger_integrity', {});
    expect(error).toBeNull();
    const report = data as {
      balance_mismatches: { count: number };
      broken_chain: { count: number };
    };
    expect(report.balance_mismatches.count).toBe(0);
    expect(report.broken_chain.count).toBe(0);
  });

  it('scripts/import-legacy.mjs runs it through PostgREST and through DATABASE_URL', async () => {
    const run = (env: Record<string, string>, argv: string[]) =>
      new Promise<{ code: number; stdout: string }>((resolve) => {
        execFile(
          'node',
          ['scripts/import-legacy.mjs', ...argv],
          { env: { PATH: process.env.PATH, ...env } },
          (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }),
        );
      });
    const rest = await run(
      { SUPABASE_URL: stack().url, SUPABASE_SERVICE_ROLE_KEY: stack().serviceRoleKey },
      ['--dry-run'],
    );
    expect(rest.code).toBe(0);
    expect(rest.stdout).toContain('DRY RUN');
    expect(rest.stdout).toMatch(/legacy\.feedbacks\s+feedback\s+3\s+0\s+1\s+2\s+0/);
    expect(rest.stdout).toContain('ledger integrity: 0 balance mismatches, 0 broken chain rows');
    const direct = await run({ DATABASE_URL: databaseUrl! }, ['--json']);
    expect(direct.code).toBe(0);
    const parsed = JSON.parse(direct.stdout) as { report: Report };
    expect(parsed.report.totals.imported).toBe(0);
  });
});

// public.database_advisor (issue 17.7), Supabase's advisor lints as our own SQL, through the
// real PostgREST with real JWTs on the native stack: only admins read it; it is clean on the
// schema the migrations make; and each lint fires on an object broken on purpose by raw SQL
// (test/fixtures/advisor/broken.sql), which the test then drops again.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { anonClient, DEMO, signedIn } from '../support/db';
import type { DatabaseAdvisor } from '@/providers/rpcTypes';

const databaseUrl = inject('databaseUrl');
const fixture = (name: string) =>
  fs.readFileSync(path.resolve('test/fixtures/advisor', name), 'utf8');

async function advisor(): Promise<DatabaseAdvisor> {
  const { data, error } = await (await signedIn(DEMO.admin)).rpc('database_advisor');
  if (error) throw new Error(error.message);
  return data as unknown as DatabaseAdvisor;
}
const found = (report: DatabaseAdvisor) =>
  report.lints.map((l) => `${l.name} ${l.level} ${l.object}`).sort();

describe.skipIf(!databaseUrl)('database_advisor', () => {
  let db: pg.Client;

  beforeAll(async () => {
    db = new pg.Client({ connectionString: databaseUrl! });
    await db.connect();
  });
  afterAll(async () => {
    await db?.query(fixture('drop-broken.sql'));
    await db?.end();
  });

  it('is refused to support, finance and a signed-in non-staff user (403) and to anon (401)', async () => {
    for (const email of [DEMO.support, DEMO.finance, DEMO.customer]) {
      const { error, status } = await (await signedIn(email)).rpc('database_advisor');
      expect(status, email).toBe(403);
      expect(error?.code, email).toBe('42501');
    }
    const { status } = await anonClient().rpc('database_advisor');
    expect(status).toBe(401);
  });

  it('finds nothing on the schema the migrations make', async () => {
    const report = await advisor();
    expect(report.exposed_schemas).toContain('public');
    expect(found(report)).toEqual([]);
    expect(report.summary).toEqual({ errors: 0, warnings: 0, info: 0 });
  });

  it('flags each broken object with its lint, and only those', async () => {
    await db.query(fixture('broken.sql'));
    const report = await advisor();
    console.log(`database_advisor on broken objects:\n  ${found(report).join('\n  ')}`);
    expect(found(report)).toEqual(
      [
        'auth_rls_initplan WARN public.advisor_probe_child (policy advisor_probe_own)',
        'auth_rls_initplan WARN public.advisor_probe_child (policy advisor_probe_staff)',
        'duplicate_index WARN public.advisor_probe_child',
        'function_search_path_mutable WARN private.advisor_probe_mutable()',
        'policy_exists_rls_disabled ERROR public.advisor_probe_policy',
        'rls_disabled_in_public ERROR public.advisor_probe_open',
        'rls_disabled_in_public ERROR public.advisor_probe_policy',
        'security_definer_function_executable ERROR public.advisor_probe_definer_anon()',
        'security_definer_function_executable WARN public.advisor_probe_definer_signed_in()',
        'sensitive_columns_exposed ERROR public.advisor_probe_open',
        'unindexed_foreign_keys INFO public.advisor_probe_child (advisor_probe_child_parent_id_fkey)',
      ].sort(),
    );
    expect(report.summary).toEqual({ errors: 5, warnings: 5, info: 1 });
    const lint = (name: string, object: string) =>
      report.lints.find((l) => l.name === name && l.object === object)!;
    // Each says what is wrong with what, and how to put it right.
    expect(lint('sensitive_columns_exposed', 'public.advisor_probe_open').detail).toMatch(
      /api_key/,
    );
    expect(lint('duplicate_index', 'public.advisor_probe_child').detail).toMatch(
      /advisor_probe_label_a, advisor_probe_label_b/,
    );
    expect(
      lint(
        'unindexed_foreign_keys',
        'public.advisor_probe_child (advisor_probe_child_parent_id_fkey)',
      ).remediation,
    ).toBe('create index on public.advisor_probe_child (parent_id);');
    expect(
      lint('security_definer_function_executable', 'public.advisor_probe_definer_anon()').detail,
    ).toMatch(/anon/);
    for (const l of report.lints) {
      expect(['SECURITY', 'PERFORMANCE'], l.name).toContain(l.category);
      expect(l.remediation, l.name).toBeTruthy();
    }

    // Put right, each lint goes away.
    await db.query(`
      alter table public.advisor_probe_open enable row level security;
      alter table public.advisor_probe_policy enable row level security;
      revoke all on function public.advisor_probe_definer_anon() from public, anon, authenticated;
      revoke all on function public.advisor_probe_definer_signed_in() from authenticated;
      alter function private.advisor_probe_mutable() set search_path = '';
      create index on public.advisor_probe_child (parent_id);
      drop index public.advisor_probe_label_b;
      alter policy advisor_probe_own on public.advisor_probe_child using (owner = (select auth.uid()));
      alter policy advisor_probe_staff on public.advisor_probe_child
        with check ((select private.has_role('admin')));`);
    expect(found(await advisor())).toEqual([]);

    await db.query(fixture('drop-broken.sql'));
    expect(found(await advisor())).toEqual([]);
  });
});

// The same migrations and seed on a native Postgres: they apply, and the ledger holds.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { DEMO, ledgerViolations, signedIn } from '../support/db';

const databaseUrl = inject('databaseUrl');

describe.skipIf(!databaseUrl)('migrations on a native Postgres', () => {
  it('every migration is recorded as applied, in order', async () => {
    const client = new pg.Client({ connectionString: databaseUrl! });
    await client.connect();
    try {
      const { rows } = await client.query(
        'select version from supabase_migrations.schema_migrations order by version',
      );
      const files = fs
        .readdirSync(path.resolve('supabase/migrations'))
        .filter((f) => f.endsWith('.sql'))
        .sort();
      expect(rows.map((r) => r.version)).toEqual(files.map((f) => f.split('_')[0]));
      const { rows: rls } = await client.query(
        "select relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r' and not c.relrowsecurity",
      );
      expect(rls).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it('the seed is consistent and the demo logins work through PostgREST', async () => {
    const admin = await signedIn(DEMO.admin);
    const { data, error } = await admin.from('customers').select('id').limit(1000);
    expect(error).toBeNull();
    expect(data!.length).toBeGreaterThan(200);
    expect((await ledgerViolations(data!.map((c) => c.id))).slice(0, 3)).toEqual([]);
    const customer = await signedIn(DEMO.customer);
    expect((await customer.from('customers').select('id').limit(1)).data).toEqual([]);
  });
});

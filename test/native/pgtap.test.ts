// The pgTAP suite a deployer runs with `supabase test db` (supabase/tests/*.sql), run here on the
// hosted-shaped cluster as postgres, with Debian's postgresql-15-pgtap. Each file is one session
// of TAP output; any "not ok" or plan complaint fails the test, with the lines that say why.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { hasExtension } from '../support/native-postgres.mjs';

const databaseUrl = inject('databaseUrl');
const adminDatabaseUrl = inject('adminDatabaseUrl');
const dir = path.resolve('supabase/tests');
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.sql'))
  .sort();
const hasPgTap: boolean = hasExtension('pgtap');

if (databaseUrl && !hasPgTap && process.env.CI)
  throw new Error('pgTAP is not installed: apt-get install -y postgresql-15-pgtap');

describe.skipIf(!databaseUrl || !hasPgTap)('pgTAP suite (supabase/tests)', () => {
  beforeAll(async () => {
    // As a deployer enables it in the dashboard: pgTAP is not a trusted extension.
    const admin = new pg.Client({ connectionString: adminDatabaseUrl! });
    await admin.connect();
    await admin.query('create extension if not exists pgtap with schema extensions');
    await admin.end();
  });

  it.each(files)('%s passes', async (file) => {
    const db = new pg.Client({ connectionString: databaseUrl! });
    await db.connect();
    try {
      const results = await db.query(fs.readFileSync(path.join(dir, file), 'utf8'));
      const lines = ([] as pg.QueryResult[])
        .concat(results as unknown as pg.QueryResult[])
        .flatMap((r) => r.rows ?? [])
        .map((row) => String(Object.values(row)[0] ?? ''))
        .flatMap((s) => s.split('\n'));
      const passed = lines.filter((l) => /^ok \d+/.test(l));
      const failed = lines.filter((l) =>
        /^not ok \d+|^# Looks like|^#\s+(Failed|got|want|expected|caught)/i.test(l),
      );
      expect(failed).toEqual([]);
      expect(passed.length).toBeGreaterThan(5);
    } finally {
      await db.end();
    }
  });
});

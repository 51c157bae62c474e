// supabase/schemas is the source of truth and supabase/migrations what a database runs: both
// must build the same database. Two in-process PGlite databases, catalogs compared object by
// object (test/support/catalog.ts), so a change made in only one of them fails here by name.
import type { PGlite } from '@electric-sql/pglite';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildDatabase,
  diffSnapshots,
  snapshot,
  sqlFiles,
  type Snapshot,
  type SqlFile,
} from '../support/catalog';

// Each PGlite build costs ~6 s of CPU (mostly PGlite's own start); on a crowded machine that
// can be minutes of wall time, which says nothing about the schema.
const BUILD_TIMEOUT = 600_000;

/** `files` with `from` replaced by `to` in the file named `name`; fails if `from` is not there. */
function drifted(files: SqlFile[], name: string, from: string, to: string): SqlFile[] {
  const file = files.find((f) => f.name === name);
  if (!file?.sql.includes(from))
    throw new Error(`${name} does not contain ${JSON.stringify(from)}`);
  return files.map((f) => (f === file ? { name, sql: f.sql.replace(from, to) } : f));
}

async function snapshotOf(files: SqlFile[]): Promise<Snapshot> {
  const db: PGlite = await buildDatabase(files);
  try {
    return await snapshot(db);
  } finally {
    await db.close();
  }
}

describe('supabase/schemas and supabase/migrations', () => {
  const schemas = sqlFiles('schemas');
  let fromSchemas: Snapshot;
  let fromMigrations: Snapshot;

  beforeAll(async () => {
    [fromSchemas, fromMigrations] = await Promise.all([
      snapshotOf(schemas),
      snapshotOf(sqlFiles('migrations')),
    ]);
  }, BUILD_TIMEOUT);

  it('build the same database (change the schema file and add a migration, in one commit)', () => {
    // A sanity check that both catalogs hold what matters before comparing them.
    for (const s of [fromSchemas, fromMigrations]) {
      expect(
        s.has(
          'function private.apply_credit_change(text,integer,text,text,text,text,text,text,text,text,numeric)',
        ),
      ).toBe(true);
      expect(s.has('policy public.customers."staff read customers"')).toBe(true);
    }
    expect(diffSnapshots(fromMigrations, fromSchemas, ['migrations', 'schemas'])).toEqual([]);
  });

  describe('the comparison itself', () => {
    let drift: string[];

    beforeAll(async () => {
      // One function body and one grant changed in memory, as a change forgotten in one place would be.
      let files = drifted(
        schemas,
        '40_ledger.sql',
        "'Only support and admin staff may adjust credits.'",
        "'Only admins may adjust credits.'",
      );
      files = drifted(
        files,
        '99_grants.sql',
        'grant update (status, admin_note) on public.feedback to authenticated;',
        'grant update (status) on public.feedback to authenticated;',
      );
      drift = diffSnapshots(fromSchemas, await snapshotOf(files), ['schemas', 'drifted']);
      console.log(`schema-drift: a copy drifted in two places reports:\n  ${drift.join('\n  ')}`);
    }, BUILD_TIMEOUT);

    it('names a function whose body differs', () => {
      expect(drift).toContainEqual(
        expect.stringMatching(
          /^function public\.adjust_credits\(text,integer,text,text,timestamp with time zone\): body differs at line \d+ \(schemas: ".*Only support and admin staff may adjust credits.*", drifted: ".*Only admins may adjust credits/,
        ),
      );
    });

    it('names a column whose privileges differ', () => {
      expect(drift).toContainEqual(
        expect.stringMatching(/^column public\.feedback\.admin_note: acl differs/),
      );
      expect(drift).toHaveLength(2);
    });
  });
});

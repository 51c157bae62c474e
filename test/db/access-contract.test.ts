// The access contract's hand-written copies checked against the grants themselves: the
// columns the UI sends on a save (src/providers/editableFields.ts) and the RPC lists of the
// security tests (test/support/access.ts), read from the catalog of a database built from
// supabase/migrations in process (PGlite).
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editableFields } from '@/providers/editableFields';
import { BACKEND_RPCS, BROWSER_RPCS } from '../support/access';
import { buildDatabase, sqlFiles } from '../support/catalog';

let db: PGlite;
// One PGlite build (~6 s of CPU) may take minutes of wall time on a crowded machine.
beforeAll(async () => {
  db = await buildDatabase(sqlFiles('migrations'));
}, 600_000);
afterAll(async () => {
  await db?.close();
});

// Set by the database (defaults and the set_updated_at trigger), never sent by a form.
const BOOKKEEPING = ['created_at', 'updated_at'];

describe('the access contract against the catalog', () => {
  it('editableFields lists, per table, exactly the columns staff may UPDATE', async () => {
    const { rows } = await db.query<{ table: string; updatable: string[]; key: string[] }>(
      `select c.relname as table,
              array_agg(a.attname::text order by a.attname)
                filter (where has_column_privilege('authenticated', c.oid, a.attnum, 'UPDATE')) as updatable,
              (select array_agg(k.attname::text) from pg_index i
                 join pg_attribute k on k.attrelid = i.indrelid and k.attnum = any (i.indkey)
                where i.indrelid = c.oid and i.indisprimary) as key
         from pg_class c
         join pg_namespace n on n.oid = c.relnamespace
         join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        where n.nspname = 'public' and c.relkind = 'r'
        group by c.oid, c.relname
        order by c.relname`,
    );
    const granted = Object.fromEntries(
      rows
        .filter((r) => r.updatable)
        .map((r) => [
          r.table,
          // The data provider leaves the primary key out of an update's body (ra-supabase).
          r.updatable.filter((c) => !r.key.includes(c) && !BOOKKEEPING.includes(c)).sort(),
        ]),
    );
    const sent = Object.fromEntries(
      Object.entries(editableFields).map(([table, columns]) => {
        const key = rows.find((r) => r.table === table)?.key ?? [];
        return [table, columns.filter((c) => !key.includes(c)).sort()];
      }),
    );
    expect(sent).toEqual(granted);
  });

  it('the RPC lists are exactly the functions each role may EXECUTE', async () => {
    const callable = async (role: string) =>
      (
        await db.query<{ name: string }>(
          `select distinct p.proname as name from pg_proc p
             join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = 'public' and has_function_privilege($1, p.oid, 'EXECUTE')
            order by 1`,
          [role],
        )
      ).rows.map((r) => r.name);
    expect(await callable('anon')).toEqual([]);
    expect(await callable('authenticated')).toEqual(BROWSER_RPCS);
    expect(await callable('service_role')).toEqual(BACKEND_RPCS);
  });

  it("database_advisor's contract lists exactly the browser RPCs and the definer role helpers", async () => {
    const { rows } = await db.query<{ schema_name: string; function_name: string }>(
      'select schema_name, function_name from private.client_definer_contract() order by schema_name, function_name collate "C"',
    );
    expect(rows.filter((r) => r.schema_name === 'public').map((r) => r.function_name)).toEqual(
      BROWSER_RPCS,
    );
    // The private ones are the SECURITY DEFINER helpers authenticated may execute (policies).
    const { rows: helpers } = await db.query<{ name: string }>(
      `select p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'private' and p.prosecdef
          and has_function_privilege('authenticated', p.oid, 'EXECUTE') order by 1`,
    );
    expect(rows.filter((r) => r.schema_name === 'private').map((r) => r.function_name)).toEqual(
      helpers.map((h) => h.name),
    );
  });
});

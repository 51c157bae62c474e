// Hosted Supabase loads `safeupdate` for PostgREST's role: any UPDATE or DELETE without WHERE
// in a statement the API reaches, inside a function or trigger too, fails with "UPDATE requires
// a WHERE clause" there and nowhere here. So every function body of ours is read from the
// catalog and checked.
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { DEMO, signedIn } from '../support/db';
import { unguardedDml } from '../support/unguarded-dml';

const databaseUrl = inject('databaseUrl');
const safeupdate = inject('safeupdate');

if (databaseUrl && !safeupdate && process.env.CI)
  throw new Error(
    'safeupdate is not loaded for PostgREST: apt-get install -y postgresql-server-dev-15 (test/support/safeupdate)',
  );

// Debian has no safeupdate package; test/support/safeupdate/safeupdate.c stands in for it, loaded
// for authenticator as hosted loads the real one.
describe.skipIf(!databaseUrl || !safeupdate)('safeupdate for PostgREST, as on hosted', () => {
  it('an UPDATE without WHERE through the API is refused with 21000, one with a filter is not', async () => {
    const admin = await signedIn(DEMO.admin);
    const all = await admin.from('generation_types').update({ display_name: 'everything' });
    expect(all.error).toMatchObject({ code: '21000', message: 'UPDATE requires a WHERE clause' });
    const one = await admin
      .from('generation_types')
      .update({ display_name: 'nothing' })
      .eq('type_key', 'no-such-type');
    expect(one.error).toBeNull();
  });
});

describe('finding UPDATE / DELETE without WHERE', () => {
  it('names the statements safeupdate would refuse', () => {
    const body = `
      begin
        update pg_temp.stage set kind = lower(kind);            -- offender
        update public.t set a = (select b from u where u.id = 1); -- offender: sub-select's WHERE
        delete from public.log;                                  -- offender
        with gone as (delete from public.q returning *) select count(*) from gone; -- offender
        update public.t set a = 1 where true;
        delete from public.log l using public.t t where t.id = l.id;
        insert into public.t (id) values (1) on conflict (id) do update set a = excluded.a;
        perform 1 from public.t for no key update;
        perform 1 from public.t for update skip locked;
        raise notice 'delete from everything; update t set x = 1';
        -- update public.t set a = 2;
        if tg_op = 'UPDATE' then return new; end if;
      end`;
    expect(unguardedDml(body)).toEqual([
      'update pg_temp.stage set kind = lower(kind);            -- offender',
      "update public.t set a = (select b from u where u.id = 1); -- offender: sub-select's WHERE",
      'delete from public.log;                                  -- offender',
      'delete from public.q returning *) select count(*) from gone; -- offender',
    ]);
  });
});

describe.skipIf(!databaseUrl)('functions the API reaches, from the catalog', () => {
  it('no function in public, private or local_auth updates or deletes without WHERE', async () => {
    const db = new pg.Client({ connectionString: databaseUrl! });
    await db.connect();
    try {
      const { rows } = await db.query<{ fn: string; src: string }>(`
        select format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) as fn,
               p.prosrc as src
          from pg_proc p
          join pg_namespace n on n.oid = p.pronamespace
          join pg_language l on l.oid = p.prolang
         where n.nspname in ('public', 'private', 'local_auth') and l.lanname in ('sql', 'plpgsql')
           and not exists (select from pg_depend d where d.objid = p.oid and d.deptype = 'e')`);
      expect(rows.length).toBeGreaterThan(20);
      const offenders = rows.flatMap((r) => unguardedDml(r.src).map((s) => `${r.fn}: ${s}`));
      expect(offenders).toEqual([]);
    } finally {
      await db.end();
    }
  });
});

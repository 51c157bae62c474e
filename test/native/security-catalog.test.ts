// Security properties read from the catalog (a privileged connection to the native database,
// which the PGlite project cannot offer), then confirmed over HTTP where a caller would try.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO, anonClient, signedIn, stack, type Client } from '../support/db';

const databaseUrl = inject('databaseUrl');

// Callable by any signed-in user on purpose, and harmless for one who is not staff.
const OPEN_TO_SIGNED_IN: Record<string, string> = {
  whoami: 'answers role null to a non-staff caller; the app uses it to show "no access"',
  end_admin_session:
    "ends only the caller's own session row, and must work for staff disabled mid-session",
};

describe.skipIf(!databaseUrl)('security, from the catalog', () => {
  let db: pg.Client;
  beforeAll(async () => {
    db = new pg.Client({ connectionString: databaseUrl! });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
  });

  /** Our functions in public and private (not those that extensions own). */
  async function functions() {
    const { rows } = await db.query<{
      schema: string;
      name: string;
      args: string;
      arg_names: string[] | null;
      definer: boolean;
      config: string[] | null;
      trigger: boolean;
      oid: number;
    }>(`
      select n.nspname as schema, p.proname as name, pg_get_function_identity_arguments(p.oid) as args,
             -- Input arguments only: proargnames also names a RETURNS TABLE function's columns.
             (select array_agg(a.name order by a.ord)
                from unnest(p.proargnames, p.proargmodes)
                     with ordinality as a(name, mode, ord)
               where a.name is not null and coalesce(a.mode, 'i') in ('i', 'b', 'v')) as arg_names, p.prosecdef as definer, p.proconfig as config,
             p.prorettype = 'trigger'::regtype as trigger, p.oid::int as oid
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname in ('public', 'private') and p.prokind = 'f'
         and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
       order by 1, 2`);
    return rows;
  }

  it('every SECURITY DEFINER function in public and private pins search_path to empty', async () => {
    const all = await functions();
    const definers = all.filter((f) => f.definer);
    const unpinned = definers.filter((f) => !(f.config ?? []).includes('search_path=""'));
    const invokersUnpinned = all.filter(
      (f) => !f.definer && !(f.config ?? []).some((c) => c.startsWith('search_path=')),
    );
    console.log(
      `security: ${all.length} functions in public/private, ${definers.length} SECURITY DEFINER, ` +
        `${unpinned.length} of them without search_path = ''; invoker functions without a pinned search_path ${invokersUnpinned.length}`,
    );
    expect(unpinned.map((f) => `${f.schema}.${f.name}(${f.args})`)).toEqual([]);
    expect(definers.length).toBeGreaterThan(10);
  });

  it('anon holds no privilege on any table, view, sequence or function in public, nor on private', async () => {
    const { rows: relations } = await db.query(`
      select c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'v', 'm', 'p', 'f', 'S')
         and (case when c.relkind = 'S' then has_sequence_privilege('anon', c.oid, 'USAGE, SELECT, UPDATE')
                   else has_table_privilege('anon', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
                        or has_any_column_privilege('anon', c.oid, 'SELECT, INSERT, UPDATE, REFERENCES') end)`);
    const { rows: routines } = await db.query(`
      select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and has_function_privilege('anon', p.oid, 'EXECUTE')
         and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')`);
    const { rows: grants } = await db.query(`
      select 'table' as kind, table_name as name, privilege_type from information_schema.role_table_grants
       where table_schema = 'public' and grantee in ('anon', 'PUBLIC')
      union all
      select 'routine', routine_name, privilege_type from information_schema.routine_privileges
       where routine_schema = 'public' and grantee in ('anon', 'PUBLIC')`);
    // Hosted Supabase grants USAGE on auth to anon (policies call auth.uid()); what matters
    // there is that no auth table is readable.
    const { rows: schemas } = await db.query(`
      select nspname from pg_namespace
       where nspname not in ('public', 'extensions', 'graphql_public', 'auth', 'pg_catalog', 'information_schema')
         and nspname not like 'pg_%' and has_schema_privilege('anon', oid, 'USAGE')`);
    const { rows: authTables } = await db.query(`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'auth' and c.relkind in ('r', 'v', 'm', 'p')
         and has_table_privilege('anon', c.oid, 'SELECT, INSERT, UPDATE, DELETE')`);
    console.log(
      `security: anon privileges in public: ${relations.length} relations, ${routines.length} functions, ` +
        `${grants.length} grants to anon/PUBLIC; auth tables ${authTables.length}; ` +
        `other schemas anon may use: ${schemas.map((s) => s.nspname).join(', ') || 'none'}`,
    );
    expect(authTables).toEqual([]);
    expect(relations).toEqual([]);
    expect(routines).toEqual([]);
    expect(grants).toEqual([]);
    expect(schemas).toEqual([]);
  });

  it('every public function refuses anon (401) and a signed-in non-staff user (403) over HTTP', async () => {
    const customer: Client = await signedIn(DEMO.customer);
    const anon = anonClient();
    const publicFns = (await functions()).filter((f) => f.schema === 'public' && !f.trigger);
    const results: string[] = [];
    const wrong: string[] = [];
    for (const f of publicFns) {
      // Nulls for every argument: the role check must come before any argument is looked at.
      const args = Object.fromEntries((f.arg_names ?? []).map((n) => [n, null]));
      const asAnon = await anon.rpc(f.name as never, args as never);
      const asCustomer = await customer.rpc(f.name as never, args as never);
      results.push(`${f.name} anon ${asAnon.status} customer ${asCustomer.status}`);
      if (asAnon.status !== 401) wrong.push(`${f.name}: anon got ${asAnon.status}`);
      const allowed = f.name in OPEN_TO_SIGNED_IN;
      if (!allowed && asCustomer.status !== 403)
        wrong.push(`${f.name}: customer got ${asCustomer.status} ${asCustomer.error?.message}`);
      if (allowed && asCustomer.status >= 300)
        wrong.push(`${f.name}: customer got ${asCustomer.status}`);
    }
    console.log(`security: role checks over HTTP: ${results.join('; ')}; wrong ${wrong.length}`);
    expect(wrong).toEqual([]);
    expect(publicFns.length).toBeGreaterThanOrEqual(10);
  });

  it('no client role may update, delete or truncate the audit trail or the ledger, and the guards are on', async () => {
    const { rows: privileges } = await db.query(`
      select r.rolname, c.relname, priv from pg_class c
        cross join (values ('anon'), ('authenticated'), ('service_role'), ('authenticator')) r(rolname)
        cross join (values ('UPDATE'), ('DELETE'), ('TRUNCATE')) p(priv)
       where c.oid in ('public.admin_audit'::regclass, 'public.credit_transactions'::regclass)
         and (has_table_privilege(r.rolname, c.oid, p.priv)
              or (p.priv = 'UPDATE' and has_any_column_privilege(r.rolname, c.oid, 'UPDATE')))`);
    const { rows: triggers } = await db.query(`
      select tgrelid::regclass::text as tbl, tgname, tgenabled from pg_trigger
       where tgrelid in ('public.admin_audit'::regclass, 'public.credit_transactions'::regclass)
         and tgname ~ '_(immutable|no_truncate)$' order by 1, 2`);
    const { rows: insertable } = await db.query(`
      select r.rolname from (values ('anon'), ('authenticated'), ('service_role')) r(rolname)
       where has_table_privilege(r.rolname, 'public.admin_audit', 'INSERT')
          or has_table_privilege(r.rolname, 'public.credit_transactions', 'INSERT')`);
    console.log(
      `security: update/delete/truncate privileges on admin_audit and credit_transactions ${privileges.length}; ` +
        `direct insert privileges ${insertable.length}; immutability triggers ${triggers.map((t) => `${t.tbl}.${t.tgname}=${t.tgenabled}`).join(', ')}`,
    );
    expect(privileges).toEqual([]);
    expect(insertable).toEqual([]);
    // 'O' fires in normal operation, 'A' always; 'D' (disabled) or 'R' (replica only) would not.
    expect(triggers.map((t) => [t.tbl, t.tgname, ['O', 'A'].includes(t.tgenabled)])).toEqual([
      ['admin_audit', 'admin_audit_immutable', true],
      ['admin_audit', 'admin_audit_no_truncate', true],
      ['credit_transactions', 'credit_transactions_immutable', true],
      ['credit_transactions', 'credit_transactions_no_truncate', true],
    ]);
  });

  it('SECURITY DEFINER functions in private that move money or write audit rows are not executable by client roles', async () => {
    // Not reachable over HTTP (private is not an exposed schema), but a client role holding
    // EXECUTE on them would be one configuration mistake away from forging ledger or audit rows.
    const { rows } = await db.query(`
      select p.proname, r.rolname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        cross join (values ('anon'), ('authenticated'), ('service_role')) r(rolname)
       where n.nspname = 'private' and p.prosecdef and p.prorettype <> 'trigger'::regtype
         and p.proname not in ('staff_role', 'has_role', 'is_staff')
         and has_function_privilege(r.rolname, p.oid, 'EXECUTE')
       order by 1, 2`);
    console.log(
      `security: private SECURITY DEFINER functions executable by client roles: ${rows.map((r) => `${r.proname}/${r.rolname}`).join(', ') || 'none'}`,
    );
    expect(rows).toEqual([]);
  });

  it('the stack under test is the native one', () => {
    expect(stack().dbMode).toBe('native');
  });
});

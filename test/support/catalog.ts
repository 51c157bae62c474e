// A catalog snapshot of a database built in process (PGlite), and the differences between two.
// The drift test (test/db/schema-drift.test.ts) builds one database from supabase/migrations
// and one from supabase/schemas and compares them here. A library would compare two live
// servers (migra, pg-schema-diff) and needs Docker or a native Postgres; a PGlite catalog
// read with a few queries is what the test needs, so it is ours.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';

const SUPABASE = path.resolve(import.meta.dirname, '../../supabase');

export interface SqlFile {
  name: string;
  sql: string;
}

/** The `.sql` files of a folder under supabase/, in name order (the order they apply in). */
export function sqlFiles(folder: 'migrations' | 'schemas'): SqlFile[] {
  const dir = path.join(SUPABASE, folder);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => ({ name, sql: fs.readFileSync(path.join(dir, name), 'utf8') }));
}

/** A new in-memory database: the embedded stack's bootstrap, then `files` in order, each in a transaction. */
export async function buildDatabase(files: SqlFile[]): Promise<PGlite> {
  const db = await PGlite.create({ extensions: { pgcrypto, pg_trgm } });
  await db.exec(fs.readFileSync(path.join(SUPABASE, 'local/bootstrap.sql'), 'utf8'));
  for (const f of files) {
    try {
      await db.transaction((tx) => tx.exec(f.sql));
    } catch (e) {
      await db.close();
      throw new Error(`${f.name} failed: ${(e as Error).message}`, { cause: e });
    }
  }
  return db;
}

/** object name → its definition; two databases are equal when their snapshots are. */
export type Snapshot = Map<string, string>;

const OURS = `nspname !~ '^pg_' and nspname <> 'information_schema'`;
// Privileges as sorted "grantee:privilege" items (PUBLIC for grantee 0), so the order in
// which grants were made does not matter, and a NULL ACL reads as the defaults it means.
const acl = (expr: string, kind: string, owner: string) => `(
  select coalesce(string_agg(case when a.grantee = 0 then 'PUBLIC' else a.grantee::regrole::text end
                             || ':' || a.privilege_type || case when a.is_grantable then '*' else '' end,
                             ', ' order by 1), '')
    from aclexplode(coalesce(${expr}, acldefault((${kind})::"char", ${owner}))) a)`;

// Each query returns (key, def): one row per object, def a JSON text of what defines it.
const QUERIES = [
  `select 'schema ' || nspname, json_build_object('owner', nspowner::regrole, 'acl', ${acl('nspacl', "'n'", 'nspowner')})
     from pg_namespace where ${OURS}`,
  `select 'extension ' || extname, json_build_object('schema', extnamespace::regnamespace, 'version', extversion)
     from pg_extension`,
  `select 'relation ' || c.oid::regclass, json_build_object('kind', c.relkind, 'owner', c.relowner::regrole,
          'persistence', c.relpersistence, 'rls', c.relrowsecurity, 'rls_forced', c.relforcerowsecurity,
          'options', c.reloptions, 'replica_identity', c.relreplident,
          'acl', ${acl('c.relacl', "case when c.relkind = 'S' then 's' else 'r' end", 'c.relowner')},
          'view', case when c.relkind in ('v', 'm') then pg_get_viewdef(c.oid) end,
          'comment', obj_description(c.oid, 'pg_class'))
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where ${OURS} and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')`,
  `select 'column ' || c.oid::regclass || '.' || quote_ident(a.attname), json_build_object(
          'position', row_number() over (partition by c.oid order by a.attnum),
          'type', format_type(a.atttypid, a.atttypmod), 'not_null', a.attnotnull,
          'default', pg_get_expr(d.adbin, d.adrelid), 'identity', a.attidentity, 'generated', a.attgenerated,
          'storage', a.attstorage, 'compression', a.attcompression, 'collation', a.attcollation::regcollation,
          'acl', ${acl('a.attacl', "'c'", 'c.relowner')}, 'comment', col_description(c.oid, a.attnum))
     from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
     left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where ${OURS} and c.relkind in ('r', 'p', 'v', 'm', 'f') and a.attnum > 0 and not a.attisdropped`,
  `select 'sequence ' || s.seqrelid::regclass, json_build_object('type', s.seqtypid::regtype,
          'start', s.seqstart, 'increment', s.seqincrement, 'min', s.seqmin, 'max', s.seqmax,
          'cache', s.seqcache, 'cycle', s.seqcycle)
     from pg_sequence s join pg_class c on c.oid = s.seqrelid join pg_namespace n on n.oid = c.relnamespace
    where ${OURS}`,
  `select 'constraint ' || k.conrelid::regclass || '.' || quote_ident(k.conname), json_build_object(
          'type', k.contype, 'definition', pg_get_constraintdef(k.oid), 'deferrable', k.condeferrable,
          'deferred', k.condeferred, 'validated', k.convalidated)
     from pg_constraint k join pg_namespace n on n.oid = k.connamespace where ${OURS} and k.conrelid <> 0`,
  `select 'index ' || i.indexrelid::regclass, json_build_object('definition', pg_get_indexdef(i.indexrelid))
     from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
    where ${OURS}`,
  `select 'function ' || p.oid::regprocedure, json_build_object('kind', p.prokind, 'owner', p.proowner::regrole,
          'arguments', pg_get_function_arguments(p.oid), 'result', pg_get_function_result(p.oid),
          'language', l.lanname, 'volatility', p.provolatile, 'security_definer', p.prosecdef,
          'strict', p.proisstrict, 'leakproof', p.proleakproof, 'parallel', p.proparallel,
          'cost', p.procost, 'rows', p.prorows, 'config', p.proconfig, 'body', p.prosrc,
          'acl', ${acl('p.proacl', "'f'", 'p.proowner')}, 'comment', obj_description(p.oid, 'pg_proc'))
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
    where ${OURS}`,
  `select 'trigger ' || t.tgrelid::regclass || '.' || quote_ident(t.tgname), json_build_object(
          'definition', pg_get_triggerdef(t.oid), 'enabled', t.tgenabled)
     from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
    where ${OURS} and not t.tgisinternal`,
  `select 'policy ' || quote_ident(schemaname) || '.' || quote_ident(tablename) || '.' || quote_ident(policyname),
          json_build_object('command', cmd, 'permissive', permissive, 'roles', roles, 'using', qual,
                            'with_check', with_check)
     from pg_policies`,
  `select 'default privileges ' || d.defaclrole::regrole || ' in ' || coalesce(n.nspname, '(all schemas)')
          || ' on ' || d.defaclobjtype::text, json_build_object('acl', ${acl('d.defaclacl', 'd.defaclobjtype', 'd.defaclrole')})
     from pg_default_acl d left join pg_namespace n on n.oid = d.defaclnamespace`,
  `select 'type ' || t.oid::regtype, json_build_object('kind', t.typtype,
          'labels', (select array_agg(e.enumlabel order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid),
          'base', case when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod) end,
          'acl', ${acl('t.typacl', "'T'", 't.typowner')})
     from pg_type t join pg_namespace n on n.oid = t.typnamespace
    where ${OURS} and t.typtype in ('e', 'd') `,
];

/** Every object outside the system schemas, by name, with what defines it. */
export async function snapshot(db: PGlite): Promise<Snapshot> {
  const out: Snapshot = new Map();
  // Names come out schema-qualified (regclass, regprocedure, expressions) with no search path.
  await db.exec(`set search_path = ''`);
  for (const q of QUERIES) {
    const { rows } = await db.query<{ key: string; def: string }>(
      `select key, def::text from (${q}) as o(key, def)`,
    );
    for (const r of rows) {
      if (out.has(r.key)) throw new Error(`two catalog objects named ${r.key}`);
      out.set(r.key, r.def);
    }
  }
  return out;
}

/** One line per object that is missing from one side or defined differently, naming the fields that differ. */
export function diffSnapshots(
  a: Snapshot,
  b: Snapshot,
  names: [string, string] = ['a', 'b'],
): string[] {
  const out: string[] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(key);
    const y = b.get(key);
    if (x === y) continue;
    if (x === undefined || y === undefined) {
      out.push(`${key}: only in ${x === undefined ? names[1] : names[0]}`);
      continue;
    }
    const ox = JSON.parse(x) as Record<string, unknown>;
    const oy = JSON.parse(y) as Record<string, unknown>;
    const fields = Object.keys({ ...ox, ...oy }).filter(
      (f) => JSON.stringify(ox[f]) !== JSON.stringify(oy[f]),
    );
    out.push(`${key}: ${fields.map((f) => describe(f, ox[f], oy[f], names)).join('; ')}`);
  }
  return out;
}

// A function body is long: name its first differing line instead of printing both bodies.
function describe(field: string, x: unknown, y: unknown, names: [string, string]) {
  if (typeof x === 'string' && typeof y === 'string' && (x.includes('\n') || y.includes('\n'))) {
    const a = x.split('\n');
    const b = y.split('\n');
    const i = a.findIndex((line, n) => line !== b[n]);
    const at = i === -1 ? a.length : i;
    return (
      `${field} differs at line ${at + 1} ` +
      `(${names[0]}: ${JSON.stringify(a[at] ?? '(end)')}, ${names[1]}: ${JSON.stringify(b[at] ?? '(end)')})`
    );
  }
  return `${field} differs (${names[0]}: ${JSON.stringify(x)}, ${names[1]}: ${JSON.stringify(y)})`;
}

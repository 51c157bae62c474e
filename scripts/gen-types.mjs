#!/usr/bin/env node
// Writes src/types/database.ts in the shape `supabase gen types typescript` produces, from
// the migrations applied to a throwaway PGlite. The Supabase CLI needs Docker, which a
// fresh machine here does not have; this reads the same catalogs it reads.
// `--check` exits 1 when the file on disk differs (the drift test uses generateTypes()).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const typesFile = path.join(root, 'src/types/database.ts');

const scalar = {
  text: 'string',
  varchar: 'string',
  bpchar: 'string',
  uuid: 'string',
  date: 'string',
  timestamptz: 'string',
  timestamp: 'string',
  time: 'string',
  interval: 'string',
  inet: 'unknown',
  int2: 'number',
  int4: 'number',
  int8: 'number',
  float4: 'number',
  float8: 'number',
  numeric: 'number',
  bool: 'boolean',
  json: 'Json',
  jsonb: 'Json',
  void: 'undefined',
  bytea: 'string',
};
const tsType = (udt) =>
  udt.startsWith('_') ? `${tsType(udt.slice(1))}[]` : (scalar[udt] ?? 'unknown');
const key = (name) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : JSON.stringify(name));

async function introspect(db) {
  const { rows: columns } = await db.query(`
    select c.table_name, c.column_name, c.udt_name, c.is_nullable = 'YES' as nullable,
           c.column_default is not null as has_default, c.is_identity = 'YES' as identity,
           c.identity_generation, c.is_generated = 'ALWAYS' as generated, t.table_type
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
     where c.table_schema = 'public'
     order by c.table_name, c.column_name`);
  const { rows: fks } = await db.query(`
    select con.conname, cl.relname as table_name, ref.relname as ref_table,
           array(select a.attname::text from unnest(con.conkey) k join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k order by a.attname) as columns,
           array(select a.attname::text from unnest(con.confkey) k join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k order by a.attname) as ref_columns,
           exists (select 1 from pg_index i where i.indrelid = con.conrelid and i.indisunique
                   and (select array_agg(x order by x) from unnest(i.indkey::int2[]) x) = (select array_agg(x order by x) from unnest(con.conkey) x)) as one_to_one
      from pg_constraint con
      join pg_class cl on cl.oid = con.conrelid join pg_namespace n on n.oid = cl.relnamespace
      join pg_class ref on ref.oid = con.confrelid join pg_namespace rn on rn.oid = ref.relnamespace
     where con.contype = 'f' and n.nspname = 'public' and rn.nspname = 'public'
     order by cl.relname, con.conname`);
  const { rows: fns } = await db.query(`
    select p.proname as name, pg_get_function_result(p.oid) as result, t.typname as ret_type,
           coalesce(p.proargnames, '{}') as arg_names, coalesce(p.proargmodes::text[], '{}') as arg_modes,
           array(select ty.typname::text from unnest(p.proargtypes) with ordinality a(oid, n) join pg_type ty on ty.oid = a.oid order by n) as arg_types,
           p.pronargdefaults as n_defaults, p.proretset as returns_set
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_type t on t.oid = p.prorettype
     where n.nspname = 'public' and p.prokind = 'f'
       and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
     order by p.proname`);
  return { columns, fks, fns };
}

function render({ columns, fks, fns }) {
  const tables = new Map();
  for (const c of columns) {
    if (!tables.has(c.table_name)) tables.set(c.table_name, { type: c.table_type, cols: [] });
    tables.get(c.table_name).cols.push(c);
  }
  const rel = (name) => {
    const list = fks.filter((f) => f.table_name === name);
    if (!list.length) return '[]';
    return `[\n${list
      .map(
        (f) => `          {
            foreignKeyName: ${JSON.stringify(f.conname)}
            columns: [${f.columns.map((x) => JSON.stringify(x)).join(', ')}]
            isOneToOne: ${f.one_to_one}
            referencedRelation: ${JSON.stringify(f.ref_table)}
            referencedColumns: [${f.ref_columns.map((x) => JSON.stringify(x)).join(', ')}]
          },`,
      )
      .join('\n')}\n        ]`;
  };
  const block = (kind) => {
    const entries = [...tables].filter(
      ([, t]) => (kind === 'Tables') === (t.type === 'BASE TABLE'),
    );
    if (!entries.length) return `    ${kind}: {\n      [_ in never]: never\n    }`;
    const body = entries
      .map(([name, t]) => {
        const row = t.cols
          .map(
            (c) =>
              `          ${key(c.column_name)}: ${tsType(c.udt_name)}${c.nullable ? ' | null' : ''}`,
          )
          .join('\n');
        const write = (forUpdate) =>
          t.cols
            .map((c) => {
              if (c.generated || c.identity_generation === 'ALWAYS')
                return `          ${key(c.column_name)}?: never`;
              const optional = forUpdate || c.nullable || c.has_default || c.identity;
              return `          ${key(c.column_name)}${optional ? '?' : ''}: ${tsType(c.udt_name)}${c.nullable ? ' | null' : ''}`;
            })
            .join('\n');
        const parts = [`        Row: {\n${row}\n        }`];
        if (kind === 'Tables')
          parts.push(
            `        Insert: {\n${write(false)}\n        }`,
            `        Update: {\n${write(true)}\n        }`,
          );
        parts.push(`        Relationships: ${rel(name)}`);
        return `      ${key(name)}: {\n${parts.join('\n')}\n      }`;
      })
      .join('\n');
    return `    ${kind}: {\n${body}\n    }`;
  };
  const functions = fns.length
    ? `    Functions: {\n${fns
        .map((f) => {
          const inArgs = f.arg_names
            .map((n, i) => ({ n, t: f.arg_types[i], mode: f.arg_modes[i] ?? 'i' }))
            .filter((a) => a.mode === 'i' || a.mode === 'b');
          const firstDefault = inArgs.length - f.n_defaults;
          const args = inArgs.length
            ? `{ ${inArgs.map((a, i) => `${key(a.n)}${i >= firstDefault ? '?' : ''}: ${tsType(a.t)}`).join('; ')} }`
            : 'never';
          return `      ${key(f.name)}: {\n        Args: ${args}\n        Returns: ${tsType(f.ret_type)}${f.returns_set ? '[]' : ''}\n      }`;
        })
        .join('\n')}\n    }`
    : `    Functions: {\n      [_ in never]: never\n    }`;

  return `export type Json =
  | string
  | number
  | boolean
  | null
  | { [key: string]: Json | undefined }
  | Json[]

export type Database = {
  public: {
${block('Tables')}
${block('Views')}
${functions}
    Enums: {
      [_ in never]: never
    }
    CompositeTypes: {
      [_ in never]: never
    }
  }
}

type DefaultSchema = Database[Extract<keyof Database, "public">]

export type Tables<
  TableName extends keyof (DefaultSchema["Tables"] & DefaultSchema["Views"]),
> = (DefaultSchema["Tables"] & DefaultSchema["Views"])[TableName] extends {
  Row: infer R
}
  ? R
  : never

export type TablesInsert<TableName extends keyof DefaultSchema["Tables"]> =
  DefaultSchema["Tables"][TableName] extends { Insert: infer I } ? I : never

export type TablesUpdate<TableName extends keyof DefaultSchema["Tables"]> =
  DefaultSchema["Tables"][TableName] extends { Update: infer U } ? U : never

export type Functions<FunctionName extends keyof DefaultSchema["Functions"]> =
  DefaultSchema["Functions"][FunctionName]

export const Constants = {
  public: {
    Enums: {},
  },
} as const
`;
}

/** Applies the embedded bootstrap and every migration to an in-memory PGlite and renders the types. */
export async function generateTypes() {
  const db = await PGlite.create({ extensions: { pgcrypto, pg_trgm } });
  try {
    await db.exec(fs.readFileSync(path.join(root, 'supabase/local/bootstrap.sql'), 'utf8'));
    const dir = path.join(root, 'supabase/migrations');
    for (const f of fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .sort()) {
      await db.exec(fs.readFileSync(path.join(dir, f), 'utf8'));
    }
    return render(await introspect(db));
  } finally {
    await db.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await generateTypes();
  if (process.argv.includes('--check')) {
    const same = fs.existsSync(typesFile) && fs.readFileSync(typesFile, 'utf8') === text;
    console.log(
      same
        ? 'src/types/database.ts matches the migrations'
        : 'src/types/database.ts has drifted: run npm run gen:types',
    );
    process.exit(same ? 0 : 1);
  }
  fs.mkdirSync(path.dirname(typesFile), { recursive: true });
  fs.writeFileSync(typesFile, text);
  console.log(`wrote ${path.relative(root, typesFile)}`);
}

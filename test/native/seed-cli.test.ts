// supabase/seed.sql the way the Supabase CLI runs it (`supabase db reset`, `db push
// --include-seed`): split into statements, every statement prepared before any runs, then run,
// as postgres on a new hosted-shaped database. Running the file in one go (as PGlite does)
// would hide a statement that needs what an earlier one creates.
import fs from 'node:fs';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { pgClient } from '../support/pg-client';
import { prepareThenRun, splitStatements } from '../../supabase/local/sql-batch.mjs';
import { openDatabase } from '../../supabase/local/database.mjs';

const databaseUrl = inject('databaseUrl');
const adminDatabaseUrl = inject('adminDatabaseUrl');

describe('splitting SQL into statements as the CLI does', () => {
  it('splits at top-level semicolons only', () => {
    const sql = `select 1; -- a comment; with a semicolon
      select 'a;b', E'it\\'s;', "odd;name" from t;
      /* block; /* nested; */ still comment; */
      do $$ begin perform 1; end $$;
      create function f() returns int language sql as $body$ select 1; $body$;
      select $1::text;
      -- only a comment at the end;
    `;
    expect(splitStatements(sql)).toEqual([
      'select 1',
      `-- a comment; with a semicolon
      select 'a;b', E'it\\'s;', "odd;name" from t`,
      `/* block; /* nested; */ still comment; */
      do $$ begin perform 1; end $$`,
      'create function f() returns int language sql as $body$ select 1; $body$',
      'select $1::text',
    ]);
  });
});

describe.skipIf(!databaseUrl)('supabase/seed.sql under the Supabase CLI', () => {
  const client = pgClient(() => databaseUrl!);

  it('refuses, before running anything, a statement that needs an object the file creates', async () => {
    const sql = `create temporary table seed_scratch (n int);
      insert into seed_scratch values (1);`;
    await expect(prepareThenRun(client(), sql, 'scratch.sql')).rejects.toThrow(
      /scratch\.sql: statement 2 cannot be prepared before the file runs: relation "seed_scratch" does not exist/,
    );
    // Nothing ran: the first statement was only prepared.
    const { rows } = await client().query("select to_regclass('pg_temp.seed_scratch') as t");
    expect(rows[0].t).toBeNull();
  });

  it('prepares every statement of seed.sql, then runs it, on a new database as postgres', async () => {
    const admin = new pg.Client({ connectionString: adminDatabaseUrl! });
    await admin.connect();
    const name = `seed_cli_${process.pid}`;
    const url = new URL(adminDatabaseUrl!);
    url.pathname = `/${name}`;
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    try {
      // Bootstrap as supabase_admin, migrations as postgres, then the seed the CLI's way.
      await openDatabase({ databaseUrl: url.toString(), seed: true, log: () => {} });
      const seeded = new pg.Client({ connectionString: url.toString() });
      await seeded.connect();
      try {
        const statements = splitStatements(fs.readFileSync('supabase/seed.sql', 'utf8'));
        expect(statements.length).toBeGreaterThan(10);
        const { rows } = await seeded.query(`
          select (select count(*) from public.customers)::int as customers,
                 (select count(*) from public.credit_transactions where type = 'refund')::int as refunds,
                 (select count(*) from public.generations where refunded_at is not null)::int as refunded,
                 (select count(*) from auth.users where email like '%@creditdesk.dev')::int as logins,
                 (select count(*) from public.customers c
                   where c.credits <> coalesce((select sum(delta) from public.credit_transactions t
                                                 where t.customer_id = c.id), 0)
                      or c.credits <> coalesce((select balance_after from public.credit_transactions t
                                                 where t.customer_id = c.id order by t.id desc limit 1), 0)
                 )::int as ledger_violations,
                 (select count(*) from pg_class where relname = 'seed_ledger')::int as leftovers,
                 (select tableowner from pg_tables where schemaname = 'public' and tablename = 'customers') as owner`);
        expect(rows[0]).toMatchObject({
          customers: 320,
          logins: 4,
          ledger_violations: 0,
          leftovers: 0,
        });
        expect(rows[0].owner).toBe('postgres');
        expect(rows[0].refunds).toBeGreaterThan(0);
        expect(rows[0].refunded).toBe(rows[0].refunds);
      } finally {
        await seeded.end();
      }
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});

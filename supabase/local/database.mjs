// The database half of the embedded stack: PGlite (default) or a native Postgres
// (DATABASE_URL), brought up to date with bootstrap, migrations and seed, then
// handed to PostgREST as a connection URI.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readConfig } from './config.mjs';
import { prepareThenRun } from './sql-batch.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
export const SUPABASE_DIR = path.resolve(here, '..');
export const AUTHENTICATOR_PASSWORD = 'authenticator-local';

// Run before every PostgREST connection: PGlite is one session that outlives its
// clients, so whatever the previous client left (open transaction, role, GUCs,
// prepared statements) must go. One exec call, so nothing can slip in between;
// no DISCARD ALL because it refuses to run in a multi-statement query.
const SESSION_RESET = `rollback;
set session authorization default; reset all; deallocate all; close all;
select pg_advisory_unlock_all(); discard plans; discard sequences; discard temp;
set session authorization authenticator`;

/** @typedef {{ exec(sql: string): Promise<void>, rows(sql: string, params?: unknown[]): Promise<any[]> }} Runner */

function migrationFiles() {
  const dir = path.join(SUPABASE_DIR, 'migrations');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => ({
      file: path.join(dir, f),
      version: f.split('_')[0],
      name: f.replace(/^[^_]*_?|\.sql$/g, ''),
    }));
}

const read = (file) => fs.readFileSync(file, 'utf8');

/** config.toml's auth policy as the local_auth functions read it (see local_auth.sql). */
function authPolicySql(cfg) {
  const minLength = Math.trunc(Number(cfg.minPasswordLength));
  const reuse = Math.trunc(Number(cfg.refreshTokenReuseInterval));
  return `create or replace function local_auth.min_password_length() returns int
language sql immutable set search_path = '' as $$ select ${minLength} $$;
create or replace function local_auth.refresh_token_reuse_interval() returns interval
language sql immutable set search_path = '' as $$ select make_interval(secs => ${reuse}) $$;`;
}
// The table the Supabase CLI keeps: `db push` creates it as the user it connects as (postgres).
const MIGRATIONS_TABLE = `create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (
  version text not null primary key,
  statements text[],
  name text
);`;

/**
 * local_auth (always: create or replace), pending migrations in name order, each in its own
 * transaction, then the seed (fresh only). Runs as postgres, the bootstrap having run before.
 * @param {Runner} db
 * @param {{ fresh: boolean, seed: boolean, log: (s: string) => void, runSeed?: (sql: string) => Promise<unknown> }} o
 * @returns {Promise<string[]>} the migration files applied now
 */
async function migrate(db, { fresh, seed, log, runSeed = (sql) => db.exec(sql) }) {
  let t = performance.now();
  const lap = () => Math.round(-t + (t = performance.now()));
  await db.exec(read(path.join(here, 'local_auth.sql')));
  await db.exec(authPolicySql(readConfig(SUPABASE_DIR)));
  await db.exec(MIGRATIONS_TABLE);
  const done = new Set(
    (await db.rows('select version from supabase_migrations.schema_migrations')).map(
      (r) => r.version,
    ),
  );
  const files = migrationFiles();
  const gone = [...done].filter((v) => !files.some((m) => m.version === v)).sort();
  if (gone.length && files.some((m) => !done.has(m.version)))
    // A folder built before the migrations were squashed into the baseline: the baseline
    // would fail half-way on objects that already exist.
    throw new Error(
      `this database applied migrations that are no longer in supabase/migrations (${gone[0]}…${gone.at(-1)}, ` +
        `now part of the baseline); start again from an empty database with --reset ` +
        `(npm run dev -- --reset), which deletes its data`,
    );
  const applied = [];
  for (const m of files) {
    if (done.has(m.version)) continue;
    const sql = read(m.file);
    try {
      await db.exec('begin');
      await db.exec(sql);
      await db.rows(
        'insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)',
        [m.version, m.name, [sql]],
      );
      await db.exec('commit');
    } catch (e) {
      await db.exec('rollback').catch(() => {});
      throw new Error(`migration ${path.basename(m.file)} failed: ${e.message}`, { cause: e });
    }
    applied.push(path.basename(m.file));
  }
  if (applied.length)
    log(`applied ${applied.length} migration(s) in ${lap()} ms: ${applied.join(', ')}`);
  const seedFile = path.join(SUPABASE_DIR, 'seed.sql');
  if (fresh && seed && fs.existsSync(seedFile)) {
    try {
      await runSeed(read(seedFile));
    } catch (e) {
      throw new Error(`seed.sql failed: ${e.message}`, { cause: e });
    }
    log(`seeded from supabase/seed.sql in ${lap()} ms`);
  }
  return applied;
}

export const BOOTSTRAP_FILE = path.join(here, 'bootstrap.sql');

/**
 * PGlite in process, served on a unix socket to exactly one client (PostgREST).
 * Everything runs with db.exec BEFORE the socket opens; afterwards the socket's
 * client owns the session and nothing else may query it.
 */
async function openPglite({ dataDir, reset, seed, log }) {
  const { PGlite } = await import('@electric-sql/pglite');
  const { pgcrypto } = await import('@electric-sql/pglite/contrib/pgcrypto');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { uuid_ossp } = await import('@electric-sql/pglite/contrib/uuid_ossp');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');

  if (reset) fs.rmSync(dataDir, { recursive: true, force: true });
  const fresh = !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  fs.mkdirSync(dataDir, { recursive: true });
  const t0 = performance.now();
  const db = await PGlite.create({ dataDir, extensions: { pgcrypto, pg_trgm, uuid_ossp } });
  log(`PGlite ${fresh ? 'initialised' : 'opened'} in ${Math.round(performance.now() - t0)} ms`);
  const runner = {
    exec: async (sql) => void (await db.exec(sql)),
    rows: async (sql, params) => (await db.query(sql, params)).rows,
  };
  try {
    if (fresh) await runner.exec(read(BOOTSTRAP_FILE));
    await migrate(runner, { fresh, seed, log });
  } catch (e) {
    await db.close().catch(() => {});
    // A half-built new folder would skip bootstrap and seed next time: start over instead.
    if (fresh) fs.rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }

  // A short path of our own: unix socket paths are limited to ~100 bytes.
  const sockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'creditdesk-pg-'));
  const server = new PGLiteSocketServer({
    db,
    path: path.join(sockDir, '.s.PGSQL.5432'),
    maxConnections: 1,
  });
  server.addEventListener('connection', () => {
    db.exec(SESSION_RESET).catch((e) => log(`session reset failed: ${e.message}`));
  });
  await server.start();
  // pglite-socket refuses a second client with a message and end(), but never reads
  // that socket again, so it stays open (PostgREST keeps it after a refused
  // reconnect). Open sockets would make the net.Server cap (set to the same 1)
  // drop every later connection and keep close() waiting: lift the cap (the
  // one-client rule stays in pglite-socket) and destroy refused sockets ourselves.
  const netServer = server.server;
  netServer.maxConnections = Infinity;
  const sockets = new Set();
  netServer.on('connection', (sock) => {
    sockets.add(sock);
    sock.once('close', () => sockets.delete(sock));
    setTimeout(() => sock.writableEnded && sock.destroy(), 1000).unref();
  });

  return {
    mode: 'pglite',
    fresh,
    pool: 1,
    postgrestUri: `postgres://authenticator:${AUTHENTICATOR_PASSWORD}@/postgres?host=${encodeURIComponent(sockDir)}`,
    async close() {
      for (const sock of sockets) sock.destroy();
      await server.stop().catch(() => {});
      await db.close();
      fs.rmSync(sockDir, { recursive: true, force: true });
    },
  };
}

// On a native database --reset empties what bootstrap, migrations and seed create; roles are
// cluster-wide and stay. public comes back as a new database has it (owned by the database's
// owner, usage for all).
const NATIVE_RESET = `
drop extension if exists pg_cron;
drop schema if exists public, private, legacy, auth, local_auth, extensions, graphql_public,
  supabase_migrations cascade;
create schema public authorization pg_database_owner;
grant usage on schema public to public;`;

// As on hosted, a superuser (supabase_admin) lays the platform's ground (bootstrap.sql) and
// postgres, who is not one, runs everything of ours: SET SESSION AUTHORIZATION makes this
// session postgres for every check, as logging in as postgres would (its role settings
// aside, hence the search_path).
const AS_POSTGRES = `set session authorization postgres; set search_path = "$user", public, extensions`;

async function openNative({ databaseUrl, reset, seed, log }) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const runner = {
    exec: async (sql) => void (await client.query(sql)),
    rows: async (sql, params) => (await client.query(sql, params)).rows,
  };
  try {
    const [me] = await runner.rows(
      "select current_user as name, rolsuper as superuser, to_regclass('supabase_migrations.schema_migrations') is not null as migrated from pg_roles where rolname = current_user",
    );
    if ((reset || !me.migrated) && !me.superuser)
      throw new Error(
        `DATABASE_URL connects as ${me.name}, who is not a superuser: a new database needs one (supabase_admin, as on hosted) for supabase/local/bootstrap.sql, once; migrations and seed then run as postgres`,
      );
    if (reset) await runner.exec(NATIVE_RESET);
    const fresh = reset || !me.migrated;
    if (fresh) await runner.exec(read(BOOTSTRAP_FILE));
    if (me.superuser && me.name !== 'postgres') await runner.exec(AS_POSTGRES);
    else if (me.superuser)
      log('warning: postgres is a superuser in this cluster, unlike hosted Supabase');
    // The seed the way the Supabase CLI runs it: every statement prepared before any runs.
    const runSeed = (sql) => prepareThenRun(client, sql, 'supabase/seed.sql');
    await migrate(runner, { fresh, seed, log, runSeed });
    const uri = new URL(databaseUrl);
    uri.username = 'authenticator';
    uri.password = AUTHENTICATOR_PASSWORD;
    return {
      mode: 'native',
      fresh,
      pool: 10,
      postgrestUri: uri.toString(),
      close: async () => {},
    };
  } finally {
    await client.end();
  }
}

/**
 * @param {{ dataDir: string, databaseUrl?: string, reset?: boolean, seed?: boolean, log: (s: string) => void }} o
 * @returns {Promise<{ mode: 'pglite' | 'native', fresh: boolean, pool: number, postgrestUri: string, close(): Promise<void> }>}
 */
export function openDatabase(o) {
  return o.databaseUrl ? openNative(o) : openPglite(o);
}

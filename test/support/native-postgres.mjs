// A throwaway native Postgres cluster (Debian's `postgresql` package) for the tests and
// benchmarks that PGlite cannot serve: concurrency needs real parallel sessions. Built like a
// hosted Supabase cluster: the one superuser is `supabase_admin` (initdb's bootstrap user), so
// `postgres`, created by supabase/local/bootstrap.sql, can be what hosted makes it, a
// non-superuser; pg_cron (Debian's postgresql-NN-cron) is preloaded when installed, as hosted
// offers it.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The directory holding initdb / pg_ctl, or null when Postgres is not installed. */
export function findPgBin() {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return null;
  const versions = fs
    .readdirSync(base)
    .filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], 'bin') : null;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

// Postgres refuses to run as root; as root we run it as the package's `postgres` user.
function asPostgres(bin, args) {
  const root = process.getuid?.() === 0;
  const cmd = root ? 'runuser' : bin;
  const argv = root ? ['-u', 'postgres', '--', bin, ...args] : args;
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${path.basename(bin)} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Whether an extension's Debian package (postgresql-NN-cron, -pgtap…) is installed for this Postgres. */
export function hasExtension(name, bin = findPgBin()) {
  const version = bin && path.basename(path.dirname(bin));
  return !!version && fs.existsSync(`/usr/share/postgresql/${version}/extension/${name}.control`);
}

const SAFEUPDATE_SOURCE = path.join(
  path.dirname(new URL(import.meta.url).pathname),
  'safeupdate',
  'safeupdate.c',
);

/**
 * Builds our safeupdate stand-in (safeupdate/safeupdate.c) into `dir`: the library's path, or
 * null when this machine has no Postgres server headers (postgresql-server-dev-NN) or compiler.
 */
function buildSafeupdate(bin, dir) {
  const config = spawnSync(path.join(bin, 'pg_config'), ['--includedir-server'], {
    encoding: 'utf8',
  });
  const include = config.status === 0 ? config.stdout.trim() : '';
  if (!include || !fs.existsSync(path.join(include, 'postgres.h'))) return null;
  const out = path.join(dir, 'safeupdate.so');
  for (const cc of ['cc', 'gcc', 'clang-15', 'clang-14', 'clang']) {
    const r = spawnSync(
      cc,
      ['-O2', '-fPIC', '-shared', '-I', include, '-o', out, SAFEUPDATE_SOURCE],
      {
        encoding: 'utf8',
      },
    );
    if (r.error) continue; // no such compiler
    if (r.status !== 0) throw new Error(`building safeupdate.c failed: ${r.stderr}`);
    return out;
  }
  return null;
}

/**
 * Starts a new cluster on a free loopback port with settings for tests (no fsync).
 * @param {{ settings?: Record<string, string | number> }} [options]
 * @returns {Promise<{ adminUrl: string, url: string, port: number, dir: string, safeupdate: boolean, stop(): Promise<void> }>}
 *   adminUrl connects as supabase_admin (superuser), url as postgres (exists once
 *   bootstrap.sql has run: what a deployer of a hosted project connects as); safeupdate tells
 *   whether our safeupdate stand-in is loaded for `authenticator` (PostgREST), as on hosted
 */
export async function startNativePostgres(options = {}) {
  const bin = findPgBin();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install -y postgresql)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'creditdesk-native-'));
  fs.chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  asPostgres(path.join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'supabase_admin',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-locale',
    '--no-sync',
  ]);
  const port = await freePort();
  const settings = {
    listen_addresses: '127.0.0.1',
    port,
    unix_socket_directories: dir,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: 200,
    shared_buffers: '512MB',
    // Jobs run in background workers, not through a loopback login as pg_cron's default.
    ...(hasExtension('pg_cron', bin)
      ? {
          shared_preload_libraries: 'pg_cron',
          'cron.database_name': 'postgres',
          'cron.use_background_workers': 'on',
        }
      : {}),
    ...options.settings,
  };
  const pgOptions = Object.entries(settings)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(' ');
  asPostgres(path.join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    path.join(dir, 'postgres.log'),
    '-o',
    pgOptions,
    '-w',
    'start',
  ]);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  // A test run that dies must not leave a postmaster behind.
  process.once('exit', () => {
    if (!stopped)
      spawnSync(
        process.getuid?.() === 0 ? 'runuser' : path.join(bin, 'pg_ctl'),
        process.getuid?.() === 0
          ? [
              '-u',
              'postgres',
              '--',
              path.join(bin, 'pg_ctl'),
              '-D',
              data,
              '-m',
              'immediate',
              'stop',
            ]
          : ['-D', data, '-m', 'immediate', 'stop'],
      );
  });
  const adminUrl = `postgres://supabase_admin@127.0.0.1:${port}/postgres`;
  const library = buildSafeupdate(bin, dir);
  if (library) {
    // Before bootstrap.sql, which keeps the role and gives it hosted's other attributes.
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query('create role authenticator login noinherit');
      await admin.query(`alter role authenticator set session_preload_libraries = '${library}'`);
    } finally {
      await admin.end();
    }
  }
  return {
    adminUrl,
    safeupdate: !!library,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stop,
  };
}

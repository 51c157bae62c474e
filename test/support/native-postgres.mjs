// A throwaway native Postgres cluster (Debian's `postgresql` package) for the tests and
// benchmarks that PGlite cannot serve: concurrency needs real parallel sessions.
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

/**
 * Starts a new cluster on a free loopback port with settings for tests (no fsync).
 * @param {{ settings?: Record<string, string | number> }} [options]
 * @returns {Promise<{ url: string, port: number, dir: string, stop(): Promise<void> }>}
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
    'postgres',
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
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, dir, stop };
}

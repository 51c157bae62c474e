// A throwaway native Postgres cluster for the benchmarks: initdb in a temp folder, started on
// a free loopback port, removed on stop. Postgres refuses to run as root, so as root the
// cluster belongs to the `postgres` OS user (created by Debian's postgresql package). When no
// Postgres is installed and we are root, Debian's package is installed first (apt-get).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// @ts-expect-error plain ESM module of the embedded stack
import { freePort } from '../../supabase/local/postgrest.mjs';

function installPostgres(log) {
  if (process.getuid?.() !== 0) return;
  log('no Postgres under /usr/lib/postgresql: apt-get install postgresql (a few minutes, once)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'postgresql']]) {
    const r = spawnSync('apt-get', args, { env, stdio: 'inherit', timeout: 10 * 60_000 });
    if (r.status !== 0) throw new Error(`apt-get ${args[0]} failed (${r.status ?? r.signal})`);
  }
}

function binDir(log) {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  if (!fs.existsSync('/usr/lib/postgresql')) installPostgres(log);
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of versions)
    if (fs.existsSync(path.join(root, v, 'bin', 'initdb'))) return path.join(root, v, 'bin');
  throw new Error(
    'No Postgres binaries found under /usr/lib/postgresql: apt-get install postgresql, or set PG_BIN',
  );
}

/**
 * @param {{ log?: (s: string) => void, settings?: string[] }} [options] extra postgresql.conf lines
 * @returns {Promise<{ url: string, port: number, logFile: string, stop: () => void }>}
 */
export async function startPostgres({ log = console.log, settings: extra = [] } = {}) {
  const bin = binDir(log);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'creditdesk-bench-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const run = (cmd, args) => {
    const argv = asRoot ? ['-u', 'postgres', '--', path.join(bin, cmd), ...args] : args;
    const r = spawnSync(asRoot ? 'runuser' : path.join(bin, cmd), argv, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  const port = await freePort();
  run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  // Durability is irrelevant for a throwaway benchmark database; load speed is not.
  const settings = [
    `port=${port}`,
    "listen_addresses='127.0.0.1'",
    `unix_socket_directories='${dir}'`,
    'fsync=off',
    'synchronous_commit=off',
    'full_page_writes=off',
    'shared_buffers=1GB',
    'work_mem=64MB',
    'maintenance_work_mem=512MB',
    'max_wal_size=8GB',
    'checkpoint_timeout=30min',
    'max_connections=50',
    ...extra,
  ];
  fs.appendFileSync(path.join(data, 'postgresql.conf'), `\n${settings.join('\n')}\n`);
  const logFile = path.join(dir, 'postgres.log');
  run('pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '60', 'start']);
  log(`native Postgres ${path.basename(path.dirname(bin))} on 127.0.0.1:${port} (${data})`);
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    logFile,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

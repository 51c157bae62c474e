// Types for stack.mjs (plain ESM so the stack runs on Node alone, without a build step).
export interface StackOptions {
  /** PGlite folder (default .data/pglite under the repo root). */
  dataDir?: string;
  /** Start from an empty database (PGlite: wipe dataDir; native: drop our schemas). */
  reset?: boolean;
  /** Gateway port (default API_PORT or 54321; 0 picks a free one). */
  port?: number;
  host?: string;
  /** Native Postgres instead of PGlite (default DATABASE_URL). */
  databaseUrl?: string;
  /** Run supabase/seed.sql on a new database (default true). */
  seed?: boolean;
  quiet?: boolean;
  /** Access-token lifetime in seconds (default JWT_EXPIRY, else config.toml, else 3600). */
  jwtExpiry?: number;
  /** Where auth links lead by default (default SITE_URL, else config.toml's site_url). */
  siteUrl?: string;
  /** Fold the dashboard rollups' deltas this often (default ROLLUP_FOLD_MS, else 5000; 0: never). */
  rollupFoldMs?: number;
}

export interface Stack {
  url: string;
  restUrl: string;
  authUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
  dbMode: 'pglite' | 'native';
  dataDir: string | null;
  fresh: boolean;
  startMs: number;
  postgrestUrl: string;
  /** The last recovery link "mailed" to this address, or null. */
  lastRecoveryLink(email: string): string | null;
  setSiteUrl(url: string): void;
  /** Runs the scheduled jobs due at `at` now (the timer does so every half minute). */
  runDueJobs(at?: Date): Promise<{ name: string; ok: boolean; error?: string }[]>;
  /** Folds the dashboard rollups' deltas now (the timer does it every few seconds). */
  foldRollups(): Promise<unknown>;
  stopPostgrest(): Promise<void>;
  startPostgrest(): Promise<void>;
  restartPostgrest(): Promise<void>;
  readonly postgrestPid: number | null;
  stop(): Promise<void>;
}

export declare const REPO_ROOT: string;
export declare const DEFAULT_DATA_DIR: string;
export declare function startStack(options?: StackOptions): Promise<Stack>;
export declare function parseArgs(argv: readonly string[]): StackOptions;
export declare function stopOnSignals(stop: () => Promise<unknown>): void;

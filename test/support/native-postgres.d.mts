// Types for native-postgres.mjs (plain ESM: the benchmarks run it on Node without a build).
export interface NativePostgres {
  /** Connects as supabase_admin (superuser). */
  adminUrl: string;
  /** Connects as postgres (exists once bootstrap.sql has run, as on a hosted project). */
  url: string;
  port: number;
  dir: string;
  /** Whether the safeupdate stand-in (test/support/safeupdate) was built and preloaded. */
  safeupdate: boolean;
  stop(): Promise<void>;
}
/** The directory holding initdb / pg_ctl, or null when Postgres is not installed. */
export declare function findPgBin(): string | null;
/** Whether an extension's Debian package (postgresql-NN-cron, -pgtap…) is installed. */
export declare function hasExtension(name: string, bin?: string | null): boolean;
export declare function startNativePostgres(options?: {
  settings?: Record<string, string | number>;
}): Promise<NativePostgres>;

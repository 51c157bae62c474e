// Types for native-postgres.mjs (plain ESM: the benchmarks run it on Node without a build).
export interface NativePostgres {
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}
/** The directory holding initdb / pg_ctl, or null when Postgres is not installed. */
export declare function findPgBin(): string | null;
export declare function startNativePostgres(options?: {
  settings?: Record<string, string | number>;
}): Promise<NativePostgres>;

// Types for service-transaction.mjs (plain ESM: the benchmarks run it on Node without a build).
import type pg from 'pg';
export declare function serviceTransaction(
  pool: pg.Pool,
): (fn: (c: pg.PoolClient) => Promise<void>) => Promise<void>;

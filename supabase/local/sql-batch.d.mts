// Types for sql-batch.mjs (plain ESM so the stack runs on Node alone, without a build step).
import type { Client } from 'pg';

export interface SqlPiece {
  kind: 'space' | 'comment' | 'string' | 'quoted' | 'dollar' | 'word' | 'punct';
  text: string;
  at: number;
}
export declare function sqlPieces(sql: string): Generator<SqlPiece>;
export declare function splitStatements(sql: string): string[];
export declare function prepareThenRun(
  client: Client,
  sql: string,
  label?: string,
): Promise<number>;

// Types for database.mjs (plain ESM so the stack runs on Node alone, without a build step).
export declare const SUPABASE_DIR: string;
export declare const AUTHENTICATOR_PASSWORD: string;
export declare const BOOTSTRAP_FILE: string;

export interface OpenedDatabase {
  mode: 'pglite' | 'native';
  fresh: boolean;
  pool: number;
  postgrestUri: string;
  close(): Promise<void>;
}
export declare function openDatabase(o: {
  /** PGlite folder; unused with databaseUrl. */
  dataDir?: string;
  databaseUrl?: string;
  reset?: boolean;
  seed?: boolean;
  log: (s: string) => void;
}): Promise<OpenedDatabase>;

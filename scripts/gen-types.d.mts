// Types for gen-types.mjs (a plain Node script, also imported by the type-drift test).
/** src/types/database.ts, the file the script writes. */
export declare const typesFile: string;
/** The database types rendered from bootstrap.sql and every migration. */
export declare function generateTypes(): Promise<string>;

import type { TestProject } from 'vitest/node';
import { provideStack } from './global-setup';
import { findPgBin, startNativePostgres } from './native-postgres.mjs';
import { startStack } from '../../supabase/local/stack.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string | null;
  }
}

// The same stack as the database suite, but on a native Postgres: PostgREST gets a real
// connection pool, so concurrent requests really run in parallel sessions.
export default async function setup(project: TestProject) {
  if (!findPgBin()) {
    const message =
      'PostgreSQL is not installed, so the native-Postgres tests (migrations on native, concurrency) cannot run. ' +
      'Install it with: sudo apt-get install -y postgresql';
    if (process.env.CI) throw new Error(message);
    console.warn(`\n*** SKIPPING native tests: ${message}\n`);
    project.provide('databaseUrl', null);
    return;
  }
  const pg = await startNativePostgres();
  const stack = await startStack({ databaseUrl: pg.url, reset: true, port: 0, quiet: true });
  project.provide('databaseUrl', pg.url);
  provideStack(project, stack);
  return async () => {
    await stack.stop();
    await pg.stop();
  };
}

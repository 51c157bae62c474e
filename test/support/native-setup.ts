import type { TestProject } from 'vitest/node';
import { provideStack } from './global-setup';
import { findPgBin, startNativePostgres } from './native-postgres.mjs';
import { startStack } from '../../supabase/local/stack.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string | null;
    adminDatabaseUrl: string | null;
    safeupdate: boolean;
  }
}

// The same stack as the database suite, but on a native Postgres built like hosted Supabase
// (test/support/native-postgres.mjs, supabase/local/bootstrap.sql): PostgREST gets a real
// connection pool, so concurrent requests really run in parallel sessions, and what hosted
// refuses (a superuser-only statement in a migration, a seed statement the CLI cannot
// prepare) fails here first.
export default async function setup(project: TestProject) {
  if (!findPgBin()) {
    const message =
      'PostgreSQL is not installed, so the native-Postgres tests (migrations on native, concurrency) cannot run. ' +
      'Install it with: sudo apt-get install -y postgresql';
    if (process.env.CI) throw new Error(message);
    console.warn(`\n*** SKIPPING native tests: ${message}\n`);
    project.provide('databaseUrl', null);
    project.provide('adminDatabaseUrl', null);
    project.provide('safeupdate', false);
    return;
  }
  const pg = await startNativePostgres();
  // The superuser lays hosted's ground once; the tests then connect as postgres, as a deployer does.
  const stack = await startStack({ databaseUrl: pg.adminUrl, reset: true, port: 0, quiet: true });
  project.provide('databaseUrl', pg.url);
  project.provide('adminDatabaseUrl', pg.adminUrl);
  project.provide('safeupdate', pg.safeupdate);
  provideStack(project, stack);
  return async () => {
    await stack.stop();
    await pg.stop();
  };
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startStack } from '../../supabase/local/stack.mjs';

export interface StackInfo {
  url: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
  dbMode: 'pglite' | 'native';
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}

/** What the tests get to know of a started stack (test/support/db.ts reads it). */
export function provideStack(project: TestProject, stack: StackInfo) {
  const { url, anonKey, serviceRoleKey, jwtSecret, dbMode } = stack;
  project.provide('stack', { url, anonKey, serviceRoleKey, jwtSecret, dbMode });
}

// One embedded stack for the whole database suite, on a fresh data folder, so tests never
// depend on what a previous run or `npm run dev` left behind. The `native` project runs
// the same stack on a throwaway Postgres cluster (test/support/native-setup.ts).
export default async function setup(project: TestProject) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'creditdesk-test-'));
  // No fold timer: every dashboard figure in the db tests then comes through the unfolded
  // deltas unless a test folds (dashboard-rollups does, to compare the folded rollups too).
  const stack = await startStack({ dataDir, reset: true, port: 0, quiet: true, rollupFoldMs: 0 });
  provideStack(project, stack);
  return async () => {
    await stack.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { build, preview } from 'vite';
import { startStack } from '../../../supabase/local/stack.mjs';
import { CHROMIUM, chromiumMissingMessage } from './chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: { appUrl: string; apiUrl: string; serviceRoleKey: string; anonKey: string } | null;
  }
}

// A fresh embedded stack and a production build of the app served by `vite preview`: the
// run owns its data (STYLE.md: end-to-end tests own their data) and the browser sees the
// same bundle a deployer ships.
export default async function setup(project: TestProject) {
  if (!fs.existsSync(CHROMIUM)) {
    if (process.env.CI) throw new Error(chromiumMissingMessage);
    console.warn(`\n*** SKIPPING end-to-end tests: ${chromiumMissingMessage}\n`);
    project.provide('e2e', null);
    return;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'creditdesk-e2e-'));
  const stack = await startStack({ dataDir, reset: true, port: 0, quiet: true });
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'creditdesk-e2e-dist-'));
  process.env.VITE_SUPABASE_URL = stack.url;
  process.env.VITE_SUPABASE_ANON_KEY = stack.anonKey;
  await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await preview({
    logLevel: 'warn',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1' },
  });
  const appUrl = server.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? '';
  // Recovery links must lead back to this app, not to the default dev URL.
  stack.setSiteUrl(appUrl);
  project.provide('e2e', {
    appUrl,
    apiUrl: stack.url,
    serviceRoleKey: stack.serviceRoleKey,
    anonKey: stack.anonKey,
  });
  return async () => {
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    await stack.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(outDir, { recursive: true, force: true });
  };
}

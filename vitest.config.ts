import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import path from 'node:path';

const alias = { '@': path.resolve(import.meta.dirname, 'src') };

// Projects: fast component tests in jsdom with msw; database tests that talk to the
// real PostgREST of one embedded stack (PGlite) started for the whole run; the same against a
// native Postgres for what PGlite cannot show (concurrency); end-to-end tests in Chromium.
export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        plugins: [react()],
        // 'module' first: ra-supabase's "main" is CommonJS, which would pull in react-admin's
        // CJS build beside the app's ESM one (two react-query contexts, "No QueryClient set").
        resolve: { alias, mainFields: ['module', 'browser', 'main'] },
        test: {
          name: 'ui',
          environment: 'jsdom',
          include: ['src/**/*.test.{ts,tsx}'],
          setupFiles: ['test/support/ui-setup.ts'],
          // A test renders the whole app (lazy chunks, auth, msw); on a CI machine shared with
          // other jobs that can take tens of seconds without anything being wrong. Waits inside
          // a test are bounded by Testing Library's asyncUtilTimeout (ui-setup.ts).
          testTimeout: 90_000,
          // The real supabase-js client talks to this origin; msw answers it (test/support/ui).
          env: {
            VITE_SUPABASE_URL: 'http://supabase.test',
            VITE_SUPABASE_ANON_KEY: 'test-anon-key',
          },
          // Inlined so Vite (not Node) resolves ra-supabase's imports, with the mainFields above.
          server: { deps: { inline: [/ra-supabase/] } },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'db',
          environment: 'node',
          include: ['test/db/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // One stack serves every file; its PGlite is a single session, so run files in turn.
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'native',
          environment: 'node',
          include: ['test/native/**/*.test.ts'],
          globalSetup: ['test/support/native-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

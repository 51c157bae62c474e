// What bench:lighthouse and its profiler share: the demo stack, a built and served app, and
// admin signed in through the real form in a browser profile.
import path from 'node:path';
import { build, preview } from 'vite';
// @ts-expect-error plain ESM module of the embedded stack
import { startStack } from '../../supabase/local/stack.mjs';
// @ts-expect-error plain ESM module of the embedded stack
import { freePort } from '../../supabase/local/postgrest.mjs';
import { log } from '../lib/common.mjs';

export const ADMIN = { email: 'admin@creditdesk.dev', password: 'creditdesk-demo' };

/** A fresh embedded stack (PGlite, migrations + demo seed) in `dir`; builds will use it. */
export async function startDemoStack(dir) {
  log('starting the embedded stack (fresh PGlite, migrations and seed)');
  const stack = await startStack({
    dataDir: path.join(dir, 'pglite'),
    reset: true,
    port: 0,
    quiet: true,
  });
  process.env.VITE_SUPABASE_URL = stack.url;
  process.env.VITE_SUPABASE_ANON_KEY = stack.anonKey;
  return stack;
}

/** `vite build` of the checkout at `root` into `outDir`, served by `vite preview` on loopback. */
export async function buildAndPreview(root, outDir) {
  log(`building the app in ${root} (vite build)`);
  await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await preview({
    root,
    logLevel: 'silent',
    build: { outDir },
    preview: { host: '127.0.0.1', port: await freePort(), strictPort: true },
  });
  return { server, url: server.resolvedUrls.local[0].replace(/\/$/, '') };
}

/** Admin signs in once through the real form; the session stays in the context's profile. */
export async function signInAdmin(context, appUrl) {
  log('signing in as admin in the profile');
  const page = await context.newPage();
  await page.goto(`${appUrl}/#/login`);
  await page.locator('input[name=email]').fill(ADMIN.email);
  await page.locator('input[name=password]').fill(ADMIN.password);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.waitForURL((u) => !u.hash.startsWith('#/login'), { timeout: 60_000 });
  await page
    .getByRole('group', { name: /generations/i })
    .first()
    .waitFor({ timeout: 60_000 });
  await page.close();
}

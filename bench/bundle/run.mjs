// npm run bench:bundle — what the browser downloads before CreditDesk's first screen (the
// sign-in page), next to the bare react-admin 5 + ra-supabase app of issue 7 built by the
// same Vite, and how long `npm run dev` takes to a usable sign-in page.
//   1. vite build of the app and of bench/bundle/baseline into temp folders, dummy VITE_ env;
//      initial JS = entry chunk + its static imports, from the manifest (bench/lib/bundle-size).
//   2. the sign-in page in headless Chromium against `vite preview`-like static serving of the
//      build: every script it actually fetched until input[name=password] is there.
//   3. `node supabase/local/dev.mjs` (what `npm run dev` runs) on a fresh temp data folder
//      and free ports, timed to input[name=password] in Chromium; then again on that folder.
// Loopback only; every process it starts it stops; temp folders are removed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build, preview } from 'vite';
import react from '@vitejs/plugin-react';
import { launchChromium } from '../../test/support/e2e/launch-chromium.mjs';
import { bundleSizes } from '../lib/bundle-size.mjs';
import { log, startBudget } from '../lib/common.mjs';
// @ts-expect-error plain ESM module of the embedded stack
import { freePort } from '../../supabase/local/postgrest.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LIMIT_KB = 480;
const STRETCH_KB = 350;
const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'creditdesk-bundle-'));
const dummyEnv = {
  VITE_SUPABASE_URL: 'http://127.0.0.1:54321',
  VITE_SUPABASE_ANON_KEY: 'bench-anon-key',
};

async function buildApp(name, config) {
  const outDir = path.join(tmp, name);
  const t = performance.now();
  await build({
    logLevel: 'warn',
    ...config,
    build: { ...config.build, outDir, manifest: true, emptyOutDir: true },
  });
  log(`${name} built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return outDir;
}

const launch = launchChromium;

/** Opens url until the sign-in form is usable; returns the JS files fetched on the way. */
async function signInPage(browser, url, timeout = 120_000) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const scripts = new Set();
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script') scripts.add(new URL(r.url()).pathname);
  });
  await page.goto(url, { timeout });
  await page.locator('input[name=password]').waitFor({ state: 'visible', timeout });
  await context.close();
  return scripts;
}

/** The build served like `vite preview`; the gzip size of each script the sign-in page loaded. */
async function measuredInitial(browser, outDir, sizes) {
  const server = await preview({
    root: outDir,
    logLevel: 'silent',
    configFile: false,
    build: { outDir },
    preview: { host: '127.0.0.1', port: await freePort(), strictPort: true },
  });
  try {
    const url = server.resolvedUrls.local[0];
    const scripts = await signInPage(browser, url);
    const loaded = sizes.chunks.filter((c) => scripts.has(`/${c.file}`));
    return { files: loaded, gz: loaded.reduce((n, c) => n + c.gz, 0) };
  } finally {
    await server.close();
  }
}

/** `node supabase/local/dev.mjs` to a usable sign-in page, in ms. */
async function devStart(browser, dataDir) {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ['supabase/local/dev.mjs', '--port', String(await freePort()), '--data-dir', dataDir],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, API_PORT: '' },
    },
  );
  let out = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const appUrl = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`dev did not print its URL in 5 min:\n${out}`)),
        300_000,
      );
      const onData = (d) => {
        out += d;
        const m = out.match(/CreditDesk app: (http:\/\/\S+)/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (d) => (out += d));
      child.once('exit', (code) => reject(new Error(`dev exited (${code}):\n${out}`)));
    });
    const printed = performance.now() - t0;
    await signInPage(browser, appUrl);
    return { printed, usable: performance.now() - t0 };
  } finally {
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
}

async function main() {
  startBudget('bench:bundle', 15);
  Object.assign(process.env, dummyEnv);
  let browser;
  try {
    const appOut = await buildApp('creditdesk', { root: ROOT });
    const baseOut = await buildApp('baseline', {
      root: path.join(import.meta.dirname, 'baseline'),
      configFile: false,
      plugins: [react()],
    });
    const app = bundleSizes(appOut);
    const base = bundleSizes(baseOut);

    browser = await launch();
    const appLoaded = await measuredInitial(browser, appOut, app);
    const baseLoaded = await measuredInitial(browser, baseOut, base);

    const dataDir = path.join(tmp, 'pglite');
    const cold = await devStart(browser, dataDir);
    log(
      `dev, fresh data folder: URL printed ${(cold.printed / 1000).toFixed(1)} s, sign-in usable ${(cold.usable / 1000).toFixed(1)} s`,
    );
    const warm = await devStart(browser, dataDir);
    log(
      `dev, existing data folder: URL printed ${(warm.printed / 1000).toFixed(1)} s, sign-in usable ${(warm.usable / 1000).toFixed(1)} s`,
    );

    console.log('\nCreditDesk chunks (initial = loaded by index.html before the sign-in page)');
    for (const c of app.chunks) {
      console.log(
        `  ${c.initial ? 'initial' : 'lazy   '}  ${kB(c.raw).padStart(10)}  ${kB(c.gz).padStart(9)} gz  ${c.file}`,
      );
    }
    console.log(`\nbaseline (bare react-admin + ra-supabase + ListGuesser) chunks`);
    for (const c of base.chunks) {
      console.log(
        `  ${c.initial ? 'initial' : 'lazy   '}  ${kB(c.raw).padStart(10)}  ${kB(c.gz).padStart(9)} gz  ${c.file}`,
      );
    }
    console.log('\nJavaScript before the first screen (gzip -9, kB = 1000 bytes)');
    console.log(
      `                          static initial (manifest)     loaded by Chromium until the sign-in form`,
    );
    console.log(
      `  CreditDesk              ${kB(app.initialRaw).padStart(10)} ${kB(app.initialGz).padStart(9)} gz       ${kB(appLoaded.gz).padStart(9)} gz in ${appLoaded.files.length} files`,
    );
    console.log(
      `  bare react-admin app    ${kB(base.initialRaw).padStart(10)} ${kB(base.initialGz).padStart(9)} gz       ${kB(baseLoaded.gz).padStart(9)} gz in ${baseLoaded.files.length} files`,
    );
    console.log(
      `  ratio CreditDesk/bare   ${(app.initialGz / base.initialGz).toFixed(2)}×                         ${(appLoaded.gz / baseLoaded.gz).toFixed(2)}×`,
    );
    console.log(
      `  total JS, all chunks    ${kB(app.chunks.reduce((n, c) => n + c.gz, 0))} gz in ${app.chunks.length} chunks`,
    );
    console.log(
      `\nnpm run dev → usable sign-in page: ${(cold.usable / 1000).toFixed(1)} s on a fresh data folder (migrations + seed), ${(warm.usable / 1000).toFixed(1)} s on an existing one`,
    );
    const worst = Math.max(app.initialGz, appLoaded.gz);
    const pass = worst <= LIMIT_KB * 1000;
    console.log(
      `target (≤ ${LIMIT_KB} kB gz before the sign-in page; stretch ${STRETCH_KB} kB): ${pass ? 'met' : 'NOT met'}${worst <= STRETCH_KB * 1000 ? ', stretch met' : ''}`,
    );
    process.exitCode = pass ? 0 : 1;
  } finally {
    await browser?.close().catch(() => {});
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();

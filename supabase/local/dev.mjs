// `npm run dev`: the embedded stack, then the Vite dev server pointed at it.
// Same flags as stack.mjs (--reset, --no-seed, --port N, --data-dir DIR).
import fs from 'node:fs';
import path from 'node:path';
import { startStack, parseArgs, stopOnSignals, REPO_ROOT } from './stack.mjs';
import { DEMO_LOGINS, DEMO_PASSWORD } from './keys.mjs';

let stack;
try {
  stack = await startStack(parseArgs(process.argv.slice(2)));
} catch (e) {
  console.error(`stack failed to start: ${e.message}`);
  process.exit(1);
}

// Vite reads VITE_* from the process environment as well as from .env files; these win.
process.env.VITE_SUPABASE_URL = stack.url;
process.env.VITE_SUPABASE_ANON_KEY = stack.anonKey;

let vite;
try {
  if (!fs.existsSync(path.join(REPO_ROOT, 'index.html')))
    throw new Error('no index.html at the repository root yet');
  const { createServer } = await import('vite');
  vite = await createServer({ root: REPO_ROOT });
  await vite.listen();
} catch (e) {
  console.error(`Vite failed to start: ${e.message}`);
  await stack.stop();
  process.exit(1);
}

const appUrl = vite.resolvedUrls?.local[0] ?? `http://127.0.0.1:${vite.config.server.port}/`;
// Recovery links fall back to the site URL: make it the app actually running.
stack.setSiteUrl(appUrl.replace(/\/$/, ''));
console.log(
  [
    `CreditDesk app: ${appUrl}  (API ${stack.url})`,
    `  sign in with ${DEMO_LOGINS.map((d) => d.email).join(', ')}`,
    `  password ${DEMO_PASSWORD}. Ctrl-C stops the app and the stack.`,
    '',
  ].join('\n'),
);

stopOnSignals(async () => {
  await vite.close();
  await stack.stop();
});

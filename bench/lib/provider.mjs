// The app's own data provider (src/providers/dataProvider.ts), loaded in Node through Vite's
// SSR module loader, so the bench sends exactly the requests the screens send: the same
// ra-supabase / ra-data-postgrest URL building, `q` search, folded ranges and count strategy.
// The supabase-js client is a real one pointed at the bench stack, holding a staff token.
import path from 'node:path';
import { createServer } from 'vite';
import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';

const appRoot = path.resolve(import.meta.dirname, '../..');

/** Vite's SSR loader over the app's sources (the `@/` alias, ra-supabase's ESM build). */
function appLoader(root = appRoot) {
  return createServer({
    root,
    configFile: false,
    logLevel: 'error',
    appType: 'custom',
    server: { middlewareMode: true, hmr: false, ws: false },
    resolve: {
      alias: { '@': path.join(root, 'src') },
      // As in vitest.config.ts: ra-supabase's ESM build, so one react-admin is loaded.
      mainFields: ['module', 'browser', 'main'],
    },
    // Inlined so Vite resolves their imports (ra-data-postgrest's default export included).
    ssr: { noExternal: [/ra-supabase/, /ra-data-postgrest/] },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
}

/**
 * One module of the app (e.g. '/src/dashboards/columns.ts'), loaded as the app has it.
 * @returns {Promise<{ module: any, close(): Promise<void> }>}
 */
export async function loadAppModule(file) {
  const server = await appLoader();
  return { module: await server.ssrLoadModule(file), close: () => server.close() };
}

/**
 * `root`: another checkout's app (its src/, with node_modules beside it), e.g. the tree
 * before a change, to measure both providers on one cluster (BENCH_BEFORE in api/run.mjs).
 * @param {{ url: string, anonKey: string, root?: string }} o
 * @returns {Promise<{ forToken(token: string): any, close(): Promise<void> }>}
 */
export async function loadDataProvider({ url, anonKey, root }) {
  // Read by src/providers/env.ts through import.meta.env when the module is loaded.
  process.env.VITE_SUPABASE_URL = url;
  process.env.VITE_SUPABASE_ANON_KEY = anonKey;
  // supabase-js builds a realtime client at creation; Node 20 has no global WebSocket.
  globalThis.WebSocket ??= /** @type {any} */ (WebSocket);
  const server = await appLoader(root);
  const { createDataProvider } = await server.ssrLoadModule('/src/providers/dataProvider.ts');
  const forToken = (token) => {
    const client = createClient(url, anonKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    });
    // What a signed-in browser's client answers; ra-supabase and supabase-js read the token here.
    client.auth.getSession = async () => ({
      data: { session: { access_token: token, token_type: 'bearer' } },
      error: null,
    });
    return createDataProvider(client);
  };
  return { forToken, close: () => server.close() };
}

import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';

type ModuleMatch = string | RegExp;

// The modules a signed-in first screen needs after the entry: the data provider (the role
// is its first call), every resource's registration module (react-admin routes only once all
// are in) and the layout; then the page of the route opened: the dashboard (every staff
// role's landing page) or support's customer list.
const SIGNED_IN_MODULES: ModuleMatch[] = [
  'src/providers/dataProvider.ts',
  'src/layout/Layout.tsx',
  // (database_health is a page of its own, not a resource: App.tsx loads it when opened.)
  /^src\/resources\/(?!database_health\/)[a-z_]+\/index\.ts$/,
];
const ROUTE_MODULES: Record<string, ModuleMatch[]> = {
  '/': ['src/dashboards/Dashboard.tsx'],
  '/customers': ['src/resources/customers/CustomerList.tsx'],
};

/**
 * A signed-in visit fetched those chunks one step after another once the entry had run (the
 * data provider, then the resources, then the layout, then the page: each a round trip,
 * ~0.15 s apiece on a phone's 4G). This puts a script in index.html that, when the browser
 * holds a Supabase session, asks for all of them at once while the entry is still arriving
 * and running. Signed out (the sign-in page) nothing more is fetched: bench:bundle's budget
 * for the JavaScript before sign-in is unchanged. Inline, so a Content-Security-Policy would
 * need its hash.
 */
function preloadSignedInChunks(): Plugin {
  let base = '/';
  return {
    name: 'creditdesk:preload-signed-in-chunks',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle, chunk: entry }) {
        if (!bundle || !entry) return;
        const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
        const byFile = new Map(chunks.map((c) => [c.fileName, c]));
        const closure = (file: string, into: Set<string>) => {
          if (into.has(file)) return;
          into.add(file);
          for (const dep of byFile.get(file)?.imports ?? []) closure(dep, into);
        };
        const idOf = (c: (typeof chunks)[number]) =>
          c.facadeModuleId ? path.relative(import.meta.dirname, c.facadeModuleId) : '';
        // The chunks of these modules with their static imports, minus `except`'s.
        const files = (modules: ModuleMatch[], except: Set<string>) => {
          const wanted = new Set<string>();
          for (const m of modules) {
            const found = chunks.filter((c) =>
              typeof m === 'string' ? idOf(c) === m : m.test(idOf(c)),
            );
            if (!found.length) throw new Error(`preloadSignedInChunks: no chunk for ${m}`);
            for (const c of found) closure(c.fileName, wanted);
          }
          return [...wanted].filter((f) => !except.has(f)).sort();
        };
        // What index.html already loads: the entry and its static imports.
        const loaded = new Set<string>();
        closure(entry.fileName, loaded);
        const common = files(SIGNED_IN_MODULES, loaded);
        const routes = Object.fromEntries(
          Object.entries(ROUTE_MODULES).map(([route, modules]) => [
            route,
            files(modules, new Set([...loaded, ...common])).map((f) => base + f),
          ]),
        );
        const data = JSON.stringify({ common: common.map((f) => base + f), routes });
        // supabase-js keeps the session under sb-<project>-auth-token; the app routes by hash
        // (src/layout/landingPage.ts reads the same route once the modules run).
        const script = `try{(function(p){if(!Object.keys(localStorage).some(function(k){return /^sb-.+-auth-token$/.test(k)}))return;var r=location.hash.replace(/^#/,'').split('?')[0]||'/';p.common.concat(p.routes[r]||[]).forEach(function(h){var l=document.createElement('link');l.rel='modulepreload';l.crossOrigin='';l.href=h;document.head.appendChild(l)})})(${data})}catch(e){}`;
        return [{ tag: 'script', children: script, injectTo: 'head' }];
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), preloadSignedInChunks()],
  resolve: {
    alias: {
      '@': path.resolve(import.meta.dirname, 'src'),
      // The supabase-js parts the app never uses, left out of every visit's download.
      ...Object.fromEntries(
        ['realtime-js', 'storage-js', 'functions-js'].map((part) => [
          `@supabase/${part}`,
          path.resolve(import.meta.dirname, 'src/providers/supabaseOmitted.ts'),
        ]),
      ),
    },
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  preview: { host: '127.0.0.1', port: 4173 },
  build: {
    // Maps for error reports (an error tracker's upload), with no sourceMappingURL comment:
    // browsers never ask for them. Deployers keep dist/**/*.map off the static host.
    sourcemap: 'hidden',
    // The manifest lets bench:bundle find what index.html loads before the first screen.
    manifest: true,
    // The split is left to Rolldown's automatic chunking behind App.tsx's lazy imports. Manual
    // vendor groups were measured (bench:bundle, e2e): react / supabase-js groups add ~3 kB gz
    // of chunk overhead to the sign-in page, a recharts group without its shared dependencies
    // broke module order ("u is not a function" on the spend page), and with them it pulled
    // clsx and react-is' users into the first download.
    // The entry (~760 kB: react-dom plus the MUI and react-admin parts the sign-in page needs)
    // is the floor of any react-admin app; the warning is for what grows above it.
    chunkSizeWarningLimit: 800,
  },
});

import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';

export default defineConfig({
  plugins: [react()],
  resolve: { alias: { '@': path.resolve(import.meta.dirname, 'src') } },
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

// What a production build makes the browser download before its first screen: from Vite's
// manifest, the entry chunk and, recursively, its static imports (what index.html loads
// through <script type=module> and <link rel=modulepreload>). Dynamic imports are left out.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const gz = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;

/**
 * @param {string} outDir a `vite build` output with build.manifest: true
 * @returns {{ initial: { file: string, raw: number, gz: number }[], chunks: { file: string, raw: number, gz: number, initial: boolean }[], initialRaw: number, initialGz: number }}
 */
export function bundleSizes(outDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(outDir, '.vite/manifest.json'), 'utf8'));
  const initialKeys = new Set();
  const visit = (key) => {
    if (initialKeys.has(key)) return;
    initialKeys.add(key);
    for (const k of manifest[key].imports ?? []) visit(k);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  const initialFiles = new Set([...initialKeys].map((k) => manifest[k].file));
  const chunks = fs
    .readdirSync(path.join(outDir, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => {
      const file = path.join(outDir, 'assets', f);
      return {
        file: `assets/${f}`,
        raw: fs.statSync(file).size,
        gz: gz(file),
        initial: initialFiles.has(`assets/${f}`),
      };
    })
    .sort((a, b) => Number(b.initial) - Number(a.initial) || b.gz - a.gz);
  const initial = chunks.filter((c) => c.initial);
  return {
    initial,
    chunks,
    initialRaw: initial.reduce((n, c) => n + c.raw, 0),
    initialGz: initial.reduce((n, c) => n + c.gz, 0),
  };
}

// `npm run db:baseline`: supabase/schemas/*.sql, in name order, concatenated into the baseline
// migration supabase/migrations/20261201000000_baseline.sql. `supabase db diff` would generate
// migrations from the schema files too, but it needs Docker; a concatenation is all a baseline
// is. The baseline is written once: a database that has applied it never runs it again, so
// later changes go in the schema file AND a new migration (supabase/README.md). Hence the
// script refuses to overwrite it without --force (only before anything is deployed).
// `--check` only says whether the baseline still equals the schema files.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schemasDir = path.join(root, 'supabase/schemas');
export const baselineFile = path.join(root, 'supabase/migrations/20261201000000_baseline.sql');

/** The baseline's text: a header, then every schema file under a line naming it. */
export function buildBaseline() {
  const files = fs
    .readdirSync(schemasDir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const header = `-- CreditDesk baseline: supabase/schemas/*.sql concatenated in name order by
-- scripts/build-baseline.mjs (npm run db:baseline). Do not edit: change the schema file and add
-- a new migration in the same commit; test/db/schema-drift.test.ts checks they build the same
-- database. Applied after what hosted Supabase already has (supabase/local/bootstrap.sql).
`;
  return (
    header +
    files
      .map((f) => {
        const sql = fs.readFileSync(path.join(schemasDir, f), 'utf8').trimEnd();
        return `\n-- ${'='.repeat(86)}\n-- supabase/schemas/${f}\n-- ${'='.repeat(86)}\n${sql}\n`;
      })
      .join('')
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = buildBaseline();
  const rel = path.relative(root, baselineFile);
  const exists = fs.existsSync(baselineFile);
  if (process.argv.includes('--check')) {
    const same = exists && fs.readFileSync(baselineFile, 'utf8') === text;
    console.log(
      same
        ? `${rel} equals supabase/schemas`
        : `${rel} differs from supabase/schemas (expected once later migrations exist)`,
    );
    process.exit(same ? 0 : 1);
  }
  if (exists && !process.argv.includes('--force')) {
    console.error(
      `${rel} exists and databases may have applied it. Add a new migration for your change ` +
        `instead (supabase/README.md); --force rewrites the baseline, only before anything is deployed.`,
    );
    process.exit(1);
  }
  fs.mkdirSync(path.dirname(baselineFile), { recursive: true });
  fs.writeFileSync(baselineFile, text);
  console.log(`wrote ${rel}`);
}

#!/usr/bin/env node
// Imports the legacy tables (schema `legacy`, or non-colliding names in `public`) into
// CreditDesk's tables by calling public.import_legacy, prints its report, then checks the
// ledger with public.ledger_integrity.
//
//   npm run import:legacy -- --dry-run        # what it would do; rolls everything back
//   npm run import:legacy                     # import (running it again changes nothing)
//   npm run import:legacy -- --json           # the raw JSON report, for a ticket or a diff
//
// How it connects (decided: PostgREST by default):
//   * PostgREST with the service-role key: SUPABASE_URL (default http://127.0.0.1:54321, the
//     embedded stack's `npm run stack`) and SUPABASE_SERVICE_ROLE_KEY (default the Supabase
//     CLI's well-known local key). This is the only way into the embedded stack, whose
//     PGlite is a single session owned by PostgREST, and it works against a hosted project.
//   * DATABASE_URL (with --database-url, or when DATABASE_URL is set and SUPABASE_URL is not):
//     a direct Postgres connection, for a native database or a long import that should not
//     go through an HTTP request. The call still runs as the service role
//     (request.jwt.claims set in its transaction), so the function's own check applies.
// Before importing: move the old tables into schema `legacy` (required for names CreditDesk
// also uses, e.g. `alter table public.customers set schema legacy;` before the migrations,
// or restore the old dump into `legacy`). See supabase/schemas/90_legacy_import.sql.
import { SERVICE_ROLE_KEY } from '../supabase/local/keys.mjs';

const args = new Set(process.argv.slice(2));
if (args.has('--help') || args.has('-h')) {
  console.log('usage: import-legacy [--dry-run] [--json] [--all-issues] [--database-url]');
  process.exit(0);
}
const dryRun = args.has('--dry-run');
const useDatabase =
  args.has('--database-url') || (Boolean(process.env.DATABASE_URL) && !process.env.SUPABASE_URL);

async function viaPostgrest(fn, body) {
  const url = (process.env.SUPABASE_URL ?? 'http://127.0.0.1:54321').replace(/\/$/, '');
  const key = process.env.SUPABASE_SERVICE_ROLE_KEY ?? SERVICE_ROLE_KEY;
  const res = await fetch(`${url}/rest/v1/rpc/${fn}`, {
    method: 'POST',
    headers: { apikey: key, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${fn} failed (HTTP ${res.status}): ${text}`);
  return JSON.parse(text);
}

async function viaDatabase(calls) {
  if (!process.env.DATABASE_URL) throw new Error('--database-url needs DATABASE_URL');
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const out = [];
    for (const [sql, params] of calls) {
      await client.query('begin');
      try {
        await client.query(
          `select set_config('request.jwt.claims', '{"role":"service_role"}', true)`,
        );
        out.push((await client.query(sql, params)).rows[0].result);
        await client.query('commit');
      } catch (e) {
        await client.query('rollback');
        throw e;
      }
    }
    return out;
  } finally {
    await client.end();
  }
}

function printReport(report, integrity) {
  const w = (s) => process.stdout.write(`${s}\n`);
  w(report.dry_run ? 'Legacy import — DRY RUN (nothing was written)' : 'Legacy import');
  w('');
  const rows = report.sources.map((s) => [
    s.source,
    s.target,
    s.rows,
    s.imported,
    s.present,
    s.skipped,
    s.warnings,
  ]);
  const head = ['source', 'target', 'rows', 'imported', 'present', 'skipped', 'warnings'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) =>
    r
      .map((c, i) => (i < 2 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i])))
      .join('  ');
  w(line(head));
  rows.forEach((r) => w(line(r)));
  w('');
  const t = report.totals;
  w(
    `totals: ${t.imported} imported, ${t.present} already present, ${t.skipped} skipped, ${t.warnings} warnings`,
  );
  const l = report.ledger;
  w(
    `ledger: ${l.customers} customers, ${l.entries} entries (${l.history_entries} from history, ` +
      `${l.opening_balances} opening balances, ${l.closing_adjustments} closing adjustments), ${l.credits} credits`,
  );
  if (report.missing_sources.length)
    w(`not found (nothing to import): ${report.missing_sources.join(', ')}`);
  if (report.issues_total) {
    w('');
    w(`rows skipped or changed (${report.issues_total}):`);
    const shown = args.has('--all-issues') ? report.issues : report.issues.slice(0, 40);
    for (const i of shown)
      w(`  ${i.outcome.padEnd(7)} ${i.source} ${i.id ?? '(no id)'}: ${i.reason}`);
    if (shown.length < report.issues_total)
      w(`  … ${report.issues_total - shown.length} more (--all-issues or --json)`);
  }
  if (integrity) {
    w('');
    w(
      `ledger integrity: ${integrity.balance_mismatches.count} balance mismatches, ` +
        `${integrity.broken_chain.count} broken chain rows, ` +
        `${integrity.unsettled_generations.count} unsettled generations`,
    );
  }
}

try {
  let report;
  let integrity;
  if (useDatabase) {
    [report, integrity] = await viaDatabase([
      ['select public.import_legacy($1) as result', [dryRun]],
      ['select public.ledger_integrity() as result', []],
    ]);
  } else {
    report = await viaPostgrest('import_legacy', { p_dry_run: dryRun });
    integrity = await viaPostgrest('ledger_integrity', {});
  }
  if (args.has('--json'))
    process.stdout.write(`${JSON.stringify({ report, integrity }, null, 2)}\n`);
  else printReport(report, integrity);
  // The import itself keeps the ledger consistent; a mismatch here predates it or is a bug.
  process.exitCode = integrity.balance_mismatches.count || integrity.broken_chain.count ? 2 : 0;
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
}

import { supabaseClient } from '@/providers/supabaseClient';
import { toHttpError } from '@/providers/rpcError';
import type { DatabaseHealth, LedgerIntegrity, LegacyImportReport } from './types';

// The database health RPCs. These belong in the data provider as databaseHealth(),
// ledgerIntegrity() and importLegacy() (src/providers is another engineer's); until they
// move, the page calls them here, with the same error mapping the provider uses.

async function call<T>(
  fn: 'database_health' | 'ledger_integrity' | 'import_legacy',
  args?: object,
): Promise<T> {
  const { data, error, status } = await supabaseClient.rpc(fn, args as never);
  if (error) throw toHttpError(error, status);
  return data as T;
}

export const fetchDatabaseHealth = () => call<DatabaseHealth>('database_health');

/** @param staleAfter a Postgres interval, e.g. '1 hour' */
export const fetchLedgerIntegrity = (staleAfter: string) =>
  call<LedgerIntegrity>('ledger_integrity', { p_stale_after: staleAfter });

/** Only the dry run is offered in the UI; the import itself is `npm run import:legacy`. */
export const dryRunLegacyImport = () =>
  call<LegacyImportReport>('import_legacy', { p_dry_run: true });

import { useDataProvider } from 'react-admin';
import type { CreditDeskDataProvider } from '@/providers/dataProvider';

/** The page's calls, through the one data provider. */
export function useDatabaseHealthApi() {
  const dataProvider = useDataProvider<CreditDeskDataProvider>();
  return {
    fetchDatabaseHealth: () => dataProvider.databaseHealth(),
    fetchLedgerIntegrity: (staleAfter: string) => dataProvider.ledgerIntegrity(staleAfter),
    // Only the dry run is offered in the UI; the import itself is `npm run import:legacy`.
    dryRunLegacyImport: () => dataProvider.importLegacy({ dryRun: true }),
  };
}

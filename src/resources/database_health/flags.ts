import type { TableFlag } from '@/providers/rpcTypes';

type ChipColor = 'default' | 'error' | 'warning' | 'info' | 'success';

// How each flag reads on a chip and how loud it is: legacy clutter and missing RLS are what
// an admin should act on; empty tables and unused indexes are only worth a look.
export const FLAG_LABELS: Record<TableFlag, { label: string; color: ChipColor; help: string }> = {
  duplicate: { label: 'Duplicate', color: 'warning', help: 'A twin of a table CreditDesk keeps' },
  obsolete: {
    label: 'Obsolete',
    color: 'warning',
    help: 'Belongs to a workflow that no longer exists',
  },
  legacy: {
    label: 'Legacy',
    color: 'warning',
    help: 'Legacy consolidation table; import, then drop',
  },
  not_used: {
    label: 'Not CreditDesk',
    color: 'info',
    help: 'Not one of CreditDesk’s tables (maybe the product’s own)',
  },
  empty: { label: 'Empty', color: 'default', help: 'Holds no rows' },
  rls_disabled: {
    label: 'RLS off',
    color: 'error',
    help: 'Row-level security is disabled: the API may expose every row',
  },
  no_primary_key: {
    label: 'No primary key',
    color: 'warning',
    help: 'Rows cannot be told apart reliably',
  },
  unused_indexes: {
    label: 'Unused indexes',
    color: 'default',
    help: 'Indexes never scanned since the statistics were reset',
  },
};

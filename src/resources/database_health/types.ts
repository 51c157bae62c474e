// The JSON of public.database_health(), public.ledger_integrity() and public.import_legacy()
// (supabase/migrations/20261122004100…004400); generated types only say `Json`.

export type TableFlag =
  | 'duplicate'
  | 'obsolete'
  | 'legacy'
  | 'not_used'
  | 'empty'
  | 'rls_disabled'
  | 'no_primary_key'
  | 'unused_indexes';

export interface HealthTable {
  name: string;
  used_by_creditdesk: boolean;
  category: 'creditdesk' | 'legacy' | 'unknown';
  reason: string | null;
  estimated_rows: number;
  exact_rows: number | null;
  total_bytes: number;
  total_size: string;
  last_write: string | null;
  writes_since_stats_reset: number | null;
  last_vacuum: string | null;
  last_analyze: string | null;
  rls_enabled: boolean;
  rls_forced: boolean;
  policy_count: number;
  has_primary_key: boolean;
  unused_indexes: { name: string; bytes: number; scans: number }[];
  flags: TableFlag[];
}

export interface DatabaseHealth {
  generated_at: string;
  database: string;
  stats_since: string | null;
  summary: {
    tables: number;
    creditdesk_tables: number;
    flagged_legacy: number;
    unknown: number;
    rls_disabled: number;
    no_primary_key: number;
    empty: number;
    total_bytes: number;
  };
  tables: HealthTable[];
  proposal: { backup_command: string | null; sql: string | null };
}

interface Listed<T> {
  count: number;
  rows: T[];
}

export interface LedgerIntegrity {
  checked_at: string;
  stale_after: string;
  row_limit: number;
  balance_mismatches: Listed<{
    customer_id: string;
    email: string | null;
    credits: number;
    ledger_sum: number;
    latest_balance_after: number | null;
    entries: number;
    difference: number;
  }>;
  broken_chain: Listed<{
    transaction_id: number;
    customer_id: string;
    type: string;
    delta: number;
    balance_after: number;
    expected_balance_after: number;
    previous_transaction_id: number | null;
    created_at: string;
  }>;
  unsettled_generations: Listed<{
    generation_id: string;
    customer_id: string;
    status: string;
    credits_charged: number;
    provider: string;
    model: string | null;
    created_at: string;
    problem: string;
  }> & { credits: number };
}

export interface LegacyImportReport {
  dry_run: boolean;
  ran_at: string;
  sources: {
    source: string;
    target: string;
    rows: number;
    imported: number;
    present: number;
    skipped: number;
    warnings: number;
  }[];
  missing_sources: string[];
  totals: { imported: number; present: number; skipped: number; warnings: number };
  ledger: {
    customers: number;
    entries: number;
    history_entries: number;
    opening_balances: number;
    closing_adjustments: number;
    credits: number;
  };
  issues: {
    source: string;
    target: string;
    id: string | null;
    outcome: 'skipped' | 'warning';
    reason: string;
  }[];
  issues_total: number;
}

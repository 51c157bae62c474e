import type { Database } from '@/types/database';

// What each RPC the app calls answers. The generated types say only `Json` for a function
// returning json, so the shapes are written here, once, beside the provider that casts to
// them (the one cast is in dataProvider.ts's rpc()). Each shape is the json_build_object of
// its function in supabase/ (search for the function's name).

type Functions = Database['public']['Functions'];

export type StaffRole = 'admin' | 'support' | 'finance';

export interface WhoAmI {
  user_id: string | null;
  email: string | null;
  role: StaffRole | null;
}

/** adjust_credits and refund_generation. */
export interface AdjustCreditsResult {
  transaction_id: number;
  balance: number;
  replayed: boolean;
}

/** purchase_credits and grant_credits: the ledger entry and the block it made. */
export interface CreditBlockResult {
  transaction_id: number;
  block_id: number;
  balance: number;
  replayed: boolean;
}

export interface CreditExpiryExtended {
  block_id: number;
  expires_at: string;
  replayed: boolean;
}

export interface CustomerDisabled {
  id: string;
  disabled: boolean;
}

/** remove_generation_type: the type as it was when removed. */
export interface GenerationTypeRemoved {
  type_key: string;
  display_name: string;
  cost_credits: number;
}

/** add_staff_member and remove_staff_member: the membership added or removed. */
export interface StaffMemberAdded {
  user_id: string;
  email: string;
  role: StaffRole;
}

/** set_staff_role and set_staff_disabled: the row as saved. */
export interface StaffChanged {
  user_id: string;
  email: string;
  role: StaffRole;
  disabled: boolean;
}

export interface GenerationTypePriceSet {
  type_key: string;
  cost_credits: number;
}

export interface AdminSessionTouch {
  id: number;
  first_seen_at: string;
  last_seen_at: string;
  /** When the token of this heartbeat expires; null for a token without `exp`. */
  expires_at: string | null;
}

// --- dashboard_metrics ----------------------------------------------------------------
// Numbers may arrive as JSON numbers of any size: Postgres bigint and numeric are rendered
// as plain JSON numbers by json_build_object.

/**
 * A table as dashboard_metrics and finance_metrics send it: one array per field, all of one
 * length, row i being every field's i-th value (20261204400000; the keys and the object per
 * row were most of the answer and of its time through PostgREST). decodeRows
 * (src/dashboards/columns.ts) turns it back into rows.
 */
export type Columns<Row> = { [K in keyof Row]: Row[K][] };

export interface DailyPoint {
  day: string;
  generations: number;
  succeeded: number;
  failed: number;
  other: number;
  cost_usd: number;
  success_rate: number | null;
  refunds: number;
  refund_credits: number;
  credits_spent: number;
  credits_bought: number;
}

export interface ProviderModelRow {
  provider: string;
  model: string;
  calls: number;
  failures: number;
  successes: number;
  cost_usd: number;
  credits_charged: number;
  avg_latency_ms: number | null;
}

export interface DailyProviderPoint {
  day: string;
  provider: string;
  calls: number;
  cost_usd: number;
}

/** One model's cost and calls on one UTC day (dashboard_metrics with p_models_of). */
export interface DailyModelPoint {
  day: string;
  model: string;
  calls: number;
  cost_usd: number;
}

/**
 * dashboard_metrics' answer with p_models_of: one provider's daily series per model, what the
 * cost chart draws when someone drills into that provider (75_dashboard_metrics.sql).
 */
export interface ModelSeries {
  from: string;
  to: string;
  models_of: string;
  daily_by_model: DailyModelPoint[];
}

/** ModelSeries as the database sends it (columnar). */
export type ModelSeriesAnswer = Omit<ModelSeries, 'daily_by_model'> & {
  daily_by_model: Columns<DailyModelPoint>;
};

export interface DashboardMetrics {
  from: string;
  to: string;
  provider: string | null;
  days: number;
  timezone: 'UTC';
  generations: number;
  previous_generations: number;
  succeeded: number;
  failed: number;
  success_rate: number | null;
  failure_rate: number | null;
  cost_usd: number;
  cost_per_success_usd: number | null;
  refunds: number;
  refund_credits: number;
  credits_spent: number;
  credits_bought: number;
  credits_granted: number;
  credits_per_usd: number | null;
  active_customers: number;
  /** Every provider with generations in the range, whatever the provider filter. */
  providers?: string[];
  by_provider_model: ProviderModelRow[];
  daily: DailyPoint[];
  daily_by_provider: DailyProviderPoint[];
}

/** DashboardMetrics as the database sends it: its three tables columnar. */
export type DashboardMetricsAnswer = Omit<
  DashboardMetrics,
  'by_provider_model' | 'daily' | 'daily_by_provider'
> & {
  by_provider_model: Columns<ProviderModelRow>;
  daily: Columns<DailyPoint>;
  daily_by_provider: Columns<DailyProviderPoint>;
};

// --- finance_metrics -------------------------------------------------------------------

export interface FinanceDailyPoint {
  day: string;
  cash_in_usd: number;
  revenue_usd: number;
  cost_usd: number;
  margin_usd: number;
  breakage_usd: number;
}

export interface FinanceModelRow {
  provider: string;
  model: string;
  generations: number;
  revenue_usd: number;
  refunds_usd: number;
  cost_usd: number;
  margin_usd: number;
  margin_pct: number | null;
}

export interface FinanceTopCustomer {
  customer_id: string;
  email: string | null;
  generations: number;
  cost_usd: number;
  revenue_usd: number;
  margin_usd: number;
}

/** finance_metrics' answer (76_finance_metrics.sql); USD figures rounded to cents. */
export interface FinanceMetrics {
  from: string;
  to: string;
  provider: string | null;
  totals: {
    cash_in_usd: number;
    credits_bought: number;
    revenue_usd: number;
    refunds_usd: number;
    breakage_usd: number;
    provider_cost_usd: number;
    gross_margin_usd: number;
    margin_pct: number | null;
    deferred_revenue_usd: number;
  };
  daily: FinanceDailyPoint[];
  by_model: FinanceModelRow[];
  top_customers: FinanceTopCustomer[];
}

/** FinanceMetrics as the database sends it: its three tables columnar. */
export type FinanceMetricsAnswer = Omit<FinanceMetrics, 'daily' | 'by_model' | 'top_customers'> & {
  daily: Columns<FinanceDailyPoint>;
  by_model: Columns<FinanceModelRow>;
  top_customers: Columns<FinanceTopCustomer>;
};

// --- database_health, ledger_integrity, import_legacy ------------------------------------

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

/** One finding of database_advisor: a Supabase advisor (splinter) lint, as our own SQL. */
export interface AdvisorLint {
  name:
    | 'rls_disabled_in_public'
    | 'policy_exists_rls_disabled'
    | 'security_definer_function_executable'
    | 'function_search_path_mutable'
    | 'sensitive_columns_exposed'
    | 'unindexed_foreign_keys'
    | 'duplicate_index'
    | 'auth_rls_initplan';
  level: 'ERROR' | 'WARN' | 'INFO';
  category: 'SECURITY' | 'PERFORMANCE';
  /** The table, function, policy or foreign key, schema-qualified. */
  object: string;
  detail: string;
  /** What to run or change to put it right (a person reviews it; nothing runs it). */
  remediation: string;
}

export interface DatabaseAdvisor {
  checked_at: string;
  exposed_schemas: string[];
  checked_schemas: string[];
  summary: { errors: number; warnings: number; info: number };
  /** Errors first, then warnings, then info. */
  lints: AdvisorLint[];
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

/** The values the generation filters offer (generation_filter_choices). */
export interface GenerationFilterChoices {
  providers: string[];
  models: { provider: string; model: string }[];
  types: { type_key: string; display_name: string }[];
}

/** The answer of every RPC the app calls, by function name. */
export interface RpcAnswers {
  whoami: WhoAmI;
  adjust_credits: AdjustCreditsResult;
  refund_generation: AdjustCreditsResult;
  set_customer_disabled: CustomerDisabled;
  add_staff_member: StaffMemberAdded;
  remove_staff_member: StaffMemberAdded;
  set_staff_role: StaffChanged;
  set_staff_disabled: StaffChanged;
  set_generation_type_price: GenerationTypePriceSet;
  remove_generation_type: GenerationTypeRemoved;
  dashboard_metrics: DashboardMetricsAnswer;
  grant_credits: CreditBlockResult;
  extend_credit_expiry: CreditExpiryExtended;
  finance_metrics: FinanceMetricsAnswer;
  database_health: DatabaseHealth;
  database_advisor: DatabaseAdvisor;
  ledger_integrity: LedgerIntegrity;
  import_legacy: LegacyImportReport;
  touch_admin_session: AdminSessionTouch;
  end_admin_session: null;
  generation_filter_choices: GenerationFilterChoices;
  refresh_planner_statistics: { analyzed_at: string };
}

export type RpcName = keyof RpcAnswers & keyof Functions;
/** A function without parameters is generated as `Args: never`; it is called with `{}`. */
export type RpcArgs<N extends RpcName> = [Functions[N]['Args']] extends [never]
  ? Record<string, never>
  : Functions[N]['Args'];

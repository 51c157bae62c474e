// The RPCs each database role may EXECUTE, as docs/access.md states them. Checked against
// PostgREST's OpenAPI document (test/db/security.test.ts) and against the catalog's function
// privileges (test/db/access-contract.test.ts), so the three cannot drift apart.

/** Callable with a signed-in user's JWT (role `authenticated`); each RPC checks the staff role itself. */
export const BROWSER_RPCS = [
  'add_staff_member',
  'adjust_credits',
  'dashboard_metrics',
  'database_advisor',
  'database_health',
  'end_admin_session',
  'extend_credit_expiry',
  'finance_metrics',
  'generation_filter_choices',
  'grant_credits',
  'import_legacy',
  'ledger_integrity',
  'refresh_planner_statistics',
  'refund_generation',
  'remove_generation_type',
  'remove_staff_member',
  'search_customers',
  'set_customer_disabled',
  'set_generation_type_price',
  'set_staff_disabled',
  'set_staff_role',
  'staff_directory',
  'touch_admin_session',
  'whoami',
];

/** Callable with the service-role key (the product's backend, scripts/import-legacy.mjs). */
export const BACKEND_RPCS = [
  'consume_credits',
  'expire_credits',
  'finish_generation',
  'fold_dashboard_rollups',
  'grant_credits',
  'import_legacy',
  'ledger_integrity',
  'purchase_credits',
  'refresh_planner_statistics',
  'refund_credits',
  'start_generation',
];

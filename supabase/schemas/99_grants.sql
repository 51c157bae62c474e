-- Every grant and revoke, kept together. Hosted Supabase grants everything in `public` to
-- anon, authenticated and service_role by default; CreditDesk starts from nothing and grants
-- only what the access matrix (95_row_level_security.sql, docs/access.md) needs. anon gets
-- no table and no function.

-- Schemas ------------------------------------------------------------------------------
-- `private` holds the policy helpers, so signed-in users and the service role need USAGE;
-- its functions are not exposed over HTTP and most are revoked from PUBLIC below.
revoke all on schema private from public;
grant usage on schema private to authenticated, service_role;
-- `legacy` is where a deployer moves old tables before public.import_legacy reads them.
revoke all on schema legacy from public;

-- Start from nothing -------------------------------------------------------------------
revoke all on all tables in schema public from anon, authenticated, service_role;
revoke all on all sequences in schema public from anon, authenticated, service_role;
revoke all on all functions in schema public from public, anon, authenticated, service_role;
alter default privileges in schema public revoke all on tables from anon, authenticated;
alter default privileges in schema public revoke all on sequences from anon, authenticated;
alter default privileges in schema public revoke all on functions from public, anon, authenticated;

-- Staff (role `authenticated`; RLS narrows to staff and their role) ---------------------
grant select on public.customers, public.sessions, public.generations, public.feedback,
  public.credit_transactions, public.generation_types, public.runtime_config, public.app_config,
  public.staff, public.admin_sessions, public.admin_audit, public.credit_blocks,
  public.credit_block_draws, public.customer_balances to authenticated;
-- Profile fields only: credits, disabled and provenance move through functions.
grant update (email, first_name, last_name, display_name, locale, timezone, marketing_opt_in,
  product_updates_opt_in, topup_default_packs, auto_topup_enabled, auto_topup_monthly_limit_packs, meta)
  on public.customers to authenticated;
grant update (status, admin_note) on public.feedback to authenticated;
grant insert, update, delete on public.generation_types to authenticated;
-- version is kept by the database; a save sends expected_version (60_config.sql).
grant insert (key, value, description), update (value, description, expected_version), delete
  on public.runtime_config, public.app_config to authenticated;
grant insert (user_id, email, role, disabled), update (role, disabled), delete on public.staff to authenticated;

-- The product backend (service role, bypasses RLS) --------------------------------------
-- It writes its own data, but never the ledger, the audit trail or balances directly.
grant select, insert, update, delete on public.sessions, public.generations,
  public.feedback, public.generation_types, public.runtime_config, public.app_config, public.staff
  to service_role;
grant select, delete on public.customers to service_role;
grant insert (id, shopify_customer_id, user_id, email, first_name, last_name, display_name, locale,
  timezone, marketing_opt_in, product_updates_opt_in, expires_at, last_active, verified_email,
  verified_google, verified_apple, verification_method, verification_at, topup_default_packs,
  auto_topup_enabled, auto_topup_monthly_limit_packs, last_topup_at, topup_source, meta,
  source_system, deleted_at, created_at)
  on public.customers to service_role;
grant update (shopify_customer_id, user_id, email, first_name, last_name, display_name, locale,
  timezone, marketing_opt_in, product_updates_opt_in, expires_at, last_active, verified_email,
  verified_google, verified_apple, verification_method, verification_at, topup_default_packs,
  auto_topup_enabled, auto_topup_monthly_limit_packs, last_topup_at, topup_source, meta,
  source_system, deleted_at)
  on public.customers to service_role;
-- Rollups and activity bitmaps: read-only (their triggers alone write them).
grant select on public.credit_transactions, public.admin_sessions, public.admin_audit,
  public.generation_daily_stats, public.generation_daily_models, public.generation_daily_providers,
  public.ledger_daily_stats,
  public.customer_daily_activity,
  public.customer_monthly_costs,
  public.customer_activity_keys, public.customer_activity_bitmaps,
  public.customer_activity_period_bitmaps, public.generation_daily_deltas,
  public.ledger_daily_deltas, public.customer_activity_changes, public.credit_blocks,
  public.credit_block_draws, public.finance_daily_stats, public.finance_daily_deltas,
  public.customer_daily_revenue, public.customer_monthly_revenue,
  public.customer_balances to service_role;
-- The default privileges below give the service role every new sequence; the activity keys'
-- identity sequence was created under them. Nothing of the backend uses it (the rollup
-- trigger, SECURITY DEFINER, numbers the keys). The delta tables have no sequence
-- (70_rollups.sql, "Append points").
grant all on sequence public.customer_activity_keys_key_seq to service_role;

-- RPCs ---------------------------------------------------------------------------------
-- Each checks the caller's role itself (the matrix in docs/access.md); EXECUTE only opens
-- the door to that check.
grant execute on function public.whoami(), public.touch_admin_session(), public.end_admin_session(),
  public.adjust_credits(text, integer, text, text, timestamptz), public.refund_generation(text, text),
  public.set_customer_disabled(text, boolean, text), public.add_staff_member(text, text, text),
  public.dashboard_metrics(date, date, text, text), public.search_customers(text),
  public.database_health(), public.database_advisor(), public.ledger_integrity(interval),
  public.import_legacy(boolean), public.grant_credits(text, integer, text, timestamptz, text),
  public.extend_credit_expiry(bigint, timestamptz, text), public.finance_metrics(date, date, text)
  to authenticated;
grant execute on function public.consume_credits(text, integer, text, text, text, text, numeric),
  public.refund_credits(text, integer, text, text, text), public.ledger_integrity(interval),
  public.import_legacy(boolean), public.fold_dashboard_rollups(),
  public.purchase_credits(text, integer, numeric, text, text, timestamptz),
  public.grant_credits(text, integer, text, timestamptz, text),
  public.start_generation(text, text, text, text, text, text, text, jsonb),
  public.finish_generation(text, text, text, text, integer, numeric, text, jsonb),
  public.expire_credits(timestamptz) to service_role;
-- Issue 16: filter choices and colleagues' emails for any staff member (lists, exports);
-- fresh planner statistics after an import, for an admin or the import script.
grant execute on function public.generation_filter_choices(), public.staff_directory(),
  public.refresh_planner_statistics() to authenticated;
grant execute on function public.refresh_planner_statistics() to service_role;
-- Issue 16: a price, a staff role or a staff account state changes only with a reason
-- (a PATCH of those columns is refused by a trigger that says to call these).
grant execute on function public.set_generation_type_price(text, integer, text),
  public.set_staff_role(uuid, text, text), public.set_staff_disabled(uuid, boolean, text),
  public.remove_staff_member(uuid, text), public.remove_generation_type(text, text)
  to authenticated;

-- Private functions --------------------------------------------------------------------
-- The policy helpers: signed-in users and the service role call them through policies.
revoke all on function private.staff_role(), private.has_role(text[]), private.is_staff(),
  private.is_service_role() from public;
grant execute on function private.staff_role(), private.has_role(text[]), private.is_staff(),
  private.is_service_role() to authenticated, service_role;
-- SECURITY DEFINER trigger functions: a trigger does not check EXECUTE when it fires, so
-- nobody needs it (public.database_advisor flags any definer function left to PUBLIC).
revoke all on function private.audit_row_change(), private.keep_one_admin(),
  private.rollup_generations(), private.rollup_ledger(), private.clear_generation_rollups()
  from public;
-- What staff_role() and the staff trigger use inside, as their owner: nobody calls them.
revoke all on function private.session_is_live(), private.staff_email_from_account(),
  private.staff_email_follows_account() from public;
-- The staff RPCs' shared step sets the change reason the guard trusts: only they run it.
revoke all on function private.change_staff_with_reason(uuid, text, boolean, text) from public;
-- The SECURITY DEFINER functions that write ledger and audit rows, and every helper of the
-- rollups, reports and legacy import: only their owner runs them (the RPCs run as owner).
-- `private` is not exposed over HTTP, but authenticated and service_role hold USAGE on it for
-- the policy helpers, so one mis-set "exposed schemas" would otherwise let a signed-in user
-- write any ledger entry or audit row.
revoke execute on function
  private.apply_credit_change(text, integer, text, text, text, text, text, text, text, text, numeric),
  private.refund_generation_credits(text, text, text, text, text),
  private.check_backend_generation(text, text, boolean),
  private.write_audit(text, text, text, jsonb)
  from public;
revoke all on function private.bitmap_apply(varbit, integer[], integer[]),
  private.bitmap_differs(varbit, integer[], integer[]),
  private.bitmap_union(varbit[]),
  private.activity_periods(date, text),
  private.activity_period_bits(text, date, text),
  private.activity_cover(date, date),
  private.active_customers(date, date, text),
  private.rebuild_dashboard_rollups(),
  private.fold_dashboard_rollups() from public;
revoke all on function private.creditdesk_tables(), private.known_obsolete_table(text),
  private.client_definer_contract(), private.append_only_tables() from public;
revoke all on function private.legacy_source(text), private.legacy_rows(text), private.legacy_strip_mg(jsonb),
  private.legacy_text(text, integer), private.legacy_int(text), private.legacy_numeric(text),
  private.legacy_ts(text), private.legacy_uuid(text), private.legacy_bool(text), private.legacy_email(text),
  private.legacy_key(text, text), private.legacy_customer_ref(jsonb), private.legacy_generation_status(text, text, text),
  private.legacy_ledger_type(text, integer), private.legacy_delta(jsonb),
  private.legacy_log(text, text, text, text, text), private.legacy_stage(),
  private.legacy_customer_for(text), private.legacy_import_customers(), private.legacy_import_profiles(),
  private.legacy_import_sessions(), private.legacy_import_generations(), private.legacy_import_feedback(),
  private.legacy_import_ledger(), private.legacy_import_config(), private.legacy_import_admin(),
  private.legacy_import_report(boolean), private.legacy_import(boolean) from public;
-- The credit lifecycle's helpers (45_credit_blocks.sql, 76_finance_metrics.sql).
revoke all on function private.guard_credit_block(), private.clock(), private.stamp_with_clock(),
  private.draw_credit_blocks(text, bigint, integer, bigint),
  private.restore_credit_blocks(bigint, integer, bigint[]),
  private.insert_credit_block(text, bigint, text, integer, numeric, numeric, timestamptz),
  private.move_credit_blocks(bigint), private.create_legacy_blocks(), private.ledger_moves_blocks(),
  private.check_credit_amount(integer, text), private.check_future_expiry(timestamptz),
  private.check_idempotency_key(text, boolean), private.block_result(bigint, boolean),
  private.expire_customer_blocks(text, timestamptz), private.start_result(public.generations, boolean),
  private.expire_credits_job(), private.finance_blocks_delta(), private.finance_draws_delta(),
  private.fold_finance_deltas(), private.rebuild_finance_rollups(),
  private.top_customers_by_cost(date, date, text, integer),
  private.customer_range_costs(text[], date[], date[], date[], integer[], text),
  private.customer_range_revenue(text[], date, date, date[], date[], date[], integer[], text),
  private.range_cost_pieces(date, date) from public;

-- Scheduled jobs are registered by migrations (as postgres) and run by pg_cron or the stack.
revoke all on private.scheduled_jobs from public, anon, authenticated, service_role;
revoke all on function private.schedule_job(text, text, text), private.unschedule_job(text)
  from public, anon, authenticated, service_role;

-- The access contract's mark --------------------------------------------------------
-- Every SECURITY DEFINER function anon or authenticated is meant to execute carries the line
-- `@creditdesk client-callable` in its comment (its EXECUTE grant is above). database_advisor
-- flags any other definer those roles can execute (private.client_definer_contract() reads
-- the marks). A mark on the function itself, not a list in one function, so that a migration
-- adding an RPC adds its own mark and never redefines a list every branch edits (the way
-- pg_graphql reads `@graphql` directives from comments). The first line is what PostgREST's
-- OpenAPI output shows for the function. A function dropped and created again loses its
-- comment: the access-contract test then names it.
comment on function private.staff_role() is
  e'The signed-in staff member''s role, or null: the policies'' helper.\n@creditdesk client-callable';
comment on function private.has_role(text[]) is
  e'Whether the signed-in staff member holds one of these roles: the policies'' helper.\n@creditdesk client-callable';
comment on function private.is_staff() is
  e'Whether the signed-in user is an enabled staff member: the policies'' helper.\n@creditdesk client-callable';
comment on function public.whoami() is
  e'Who the caller is, for the app''s permissions (role null for anyone not enabled staff).\n@creditdesk client-callable';
comment on function public.touch_admin_session() is
  e'Staff: records or refreshes the caller''s admin session (the sign-in heartbeat).\n@creditdesk client-callable';
comment on function public.end_admin_session() is
  e'Staff: ends the caller''s admin session (sign-out).\n@creditdesk client-callable';
comment on function public.adjust_credits(text, integer, text, text, timestamptz) is
  e'Support and admin: add or take credits with a reason, through the ledger.\n@creditdesk client-callable';
comment on function public.refund_generation(text, text) is
  e'Support and admin: refund a generation''s charge once, with a reason.\n@creditdesk client-callable';
comment on function public.set_customer_disabled(text, boolean, text) is
  e'Support and admin: disable or enable a customer, with a reason.\n@creditdesk client-callable';
comment on function public.add_staff_member(text, text, text) is
  e'Admin: give an account a staff role, with a reason.\n@creditdesk client-callable';
comment on function public.dashboard_metrics(date, date, text, text) is
  e'Staff: the dashboard''s figures for a range, from the rollups.\n@creditdesk client-callable';
comment on function public.search_customers(text) is
  e'Staff: customers matching a search, best first.\n@creditdesk client-callable';
comment on function public.database_health() is
  e'Admin: every table with its size and access set-up, and a clean-up to review.\n@creditdesk client-callable';
comment on function public.database_advisor() is
  e'Admin: the advisor lints that apply to CreditDesk, with a fix to review.\n@creditdesk client-callable';
comment on function public.ledger_integrity(interval) is
  e'Staff and the backend: customers whose balance, ledger and credit blocks disagree.\n@creditdesk client-callable';
comment on function public.import_legacy(boolean) is
  e'Admin and the backend: import the legacy tables (or a dry run).\n@creditdesk client-callable';
comment on function public.grant_credits(text, integer, text, timestamptz, text) is
  e'Support and admin (and the backend): free credits in a block, with a reason.\n@creditdesk client-callable';
comment on function public.extend_credit_expiry(bigint, timestamptz, text) is
  e'Support and admin: move a credit block''s expiry, with a reason.\n@creditdesk client-callable';
comment on function public.finance_metrics(date, date, text) is
  e'Finance and admin: cash in, revenue, deferred revenue, breakage, cost and margin.\n@creditdesk client-callable';
comment on function public.generation_filter_choices() is
  e'Staff: the values the generation filters offer.\n@creditdesk client-callable';
comment on function public.staff_directory() is
  e'Staff: colleagues'' emails by id, for lists and exports.\n@creditdesk client-callable';
comment on function public.refresh_planner_statistics() is
  e'Admin and the backend: fresh planner statistics after an import.\n@creditdesk client-callable';
comment on function public.set_generation_type_price(text, integer, text) is
  e'Admin: change a generation type''s price, with a reason.\n@creditdesk client-callable';
comment on function public.set_staff_role(uuid, text, text) is
  e'Admin: change a staff member''s role, with a reason.\n@creditdesk client-callable';
comment on function public.set_staff_disabled(uuid, boolean, text) is
  e'Admin: disable or enable a staff account, with a reason.\n@creditdesk client-callable';
comment on function public.remove_staff_member(uuid, text) is
  e'Admin: remove a staff member, with a reason.\n@creditdesk client-callable';
comment on function public.remove_generation_type(text, text) is
  e'Admin: remove a generation type, with a reason.\n@creditdesk client-callable';

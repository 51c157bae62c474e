-- Grants kept together. Hosted Supabase grants everything in `public` to anon,
-- authenticated and service_role by default; CreditDesk starts from nothing and grants only
-- what the access matrix needs. anon gets no table and no function.
revoke all on all tables in schema public from anon, authenticated, service_role;
revoke all on all sequences in schema public from anon, authenticated, service_role;
revoke all on all functions in schema public from public, anon, authenticated, service_role;
alter default privileges in schema public revoke all on tables from anon, authenticated;
alter default privileges in schema public revoke all on sequences from anon, authenticated;
alter default privileges in schema public revoke all on functions from public, anon, authenticated;

-- Staff (role `authenticated`; RLS narrows to staff and their role).
grant select on public.customers, public.sessions, public.generations, public.feedback,
  public.credit_transactions, public.generation_types, public.runtime_config, public.app_config,
  public.staff, public.admin_sessions, public.admin_audit to authenticated;
-- Profile fields only: credits, disabled and provenance move through functions.
grant update (email, first_name, last_name, display_name, locale, timezone, marketing_opt_in,
  product_updates_opt_in, topup_default_packs, auto_topup_enabled, auto_topup_monthly_limit_packs, meta)
  on public.customers to authenticated;
grant update (status, admin_note) on public.feedback to authenticated;
grant insert, update, delete on public.generation_types to authenticated;
grant insert (key, value, description), update (value, description, version), delete
  on public.runtime_config, public.app_config to authenticated;
grant insert (user_id, email, role, disabled), update (role, disabled), delete on public.staff to authenticated;

-- The product backend (service role, bypasses RLS) writes its own data, but never the
-- ledger, the audit trail or balances directly.
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
grant select on public.credit_transactions, public.admin_sessions, public.admin_audit,
  public.generation_daily_stats, public.ledger_daily_stats, public.customer_daily_activity to service_role;

grant execute on function public.whoami(), public.touch_admin_session(), public.end_admin_session(),
  public.adjust_credits(text, integer, text, text), public.refund_generation(text, text),
  public.set_customer_disabled(text, boolean, text), public.add_staff_member(text, text),
  public.dashboard_metrics(date, date, text) to authenticated;
grant execute on function public.consume_credits(text, integer, text, text, text, text, numeric),
  public.refund_credits(text, integer, text, text, text) to service_role;

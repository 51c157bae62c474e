-- The access contract moves from a list inside private.client_definer_contract() onto the
-- functions: each SECURITY DEFINER function anon or authenticated is meant to execute carries
-- `@creditdesk client-callable` in its comment, and the function reads those marks. Each of the
-- last sessions' new RPCs redefined the whole list, so parallel branches collided on it; a new
-- RPC now adds only its own mark (schemas/99_grants.sql, "The access contract's mark").

create or replace function private.client_definer_contract()
returns table (schema_name text, function_name text)
language sql stable set search_path = '' as $$
  select distinct n.nspname::text, p.proname::text
    from pg_catalog.pg_proc p
    join pg_catalog.pg_namespace n on n.oid = p.pronamespace
   where n.nspname in ('public', 'private')
     and pg_catalog.obj_description(p.oid, 'pg_proc') ~ '(^|\n)@creditdesk client-callable\s*$'
$$;
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

-- Row-level security: RLS on for every table, one short policy per table and operation,
-- named for what it allows. Policies are `to authenticated` only, so anon matches none of
-- them; a signed-in user who is not enabled staff matches none either (the helpers of
-- 20_staff.sql return false for them). Table and column privileges are in 99_grants.sql;
-- both together give this matrix (docs/access.md has it with the RPCs):
--
--   table                        admin               support             finance    others
--   customers                    read, edit profile  read, edit profile  read       none
--     credits, disabled          via RPC             via RPC             none       none
--   sessions, generations        read                read                read       none
--   feedback                     read, edit status   read, edit status   read       none
--                                and admin_note      and admin_note
--   credit_transactions          read (RPC writes)   read (RPC writes)   read       none
--   credit_blocks, _draws        read (RPC writes)   read (RPC writes)   read       none
--   customer_balances            read (RPC writes)   read (RPC writes)   read       none
--   generation_types             read, write         read                read       none
--   runtime_config, app_config   read, write         read                read       none
--   staff                        read, write         own row             own row    none
--   admin_sessions               read all            own                 own        none
--   admin_audit                  read                read                read       none
--   rollups and activity bitmaps none: read only through dashboard_metrics (no policy)
--   finance rollup (and deltas)  none: read only through finance_metrics (no policy)
--
-- The service role bypasses RLS; its table privileges (99_grants.sql) keep it off the
-- ledger, the audit trail and balances, which it changes only through the ledger RPCs.

alter table public.staff enable row level security;
alter table public.customers enable row level security;
alter table public.sessions enable row level security;
alter table public.generations enable row level security;
alter table public.feedback enable row level security;
alter table public.credit_transactions enable row level security;
alter table public.generation_types enable row level security;
alter table public.admin_sessions enable row level security;
alter table public.admin_audit enable row level security;
alter table public.runtime_config enable row level security;
alter table public.app_config enable row level security;
-- Rollups are read only through dashboard_metrics (SECURITY DEFINER): no policy at all.
alter table public.generation_daily_stats enable row level security;
alter table public.generation_daily_models enable row level security;
alter table public.generation_daily_providers enable row level security;
alter table public.ledger_daily_stats enable row level security;
alter table public.customer_daily_activity enable row level security;
alter table public.customer_monthly_costs enable row level security;
alter table public.customer_activity_keys enable row level security;
alter table public.customer_activity_bitmaps enable row level security;
alter table public.customer_activity_period_bitmaps enable row level security;
alter table public.generation_daily_deltas enable row level security;
alter table public.ledger_daily_deltas enable row level security;
alter table public.customer_activity_changes enable row level security;

create policy "staff read customers" on public.customers for select to authenticated
  using ((select private.is_staff()));
create policy "support and admin edit customers" on public.customers for update to authenticated
  using ((select private.has_role('admin', 'support')))
  with check ((select private.has_role('admin', 'support')));

create policy "staff read sessions" on public.sessions for select to authenticated
  using ((select private.is_staff()));
create policy "staff read generations" on public.generations for select to authenticated
  using ((select private.is_staff()));

create policy "staff read feedback" on public.feedback for select to authenticated
  using ((select private.is_staff()));
create policy "support and admin triage feedback" on public.feedback for update to authenticated
  using ((select private.has_role('admin', 'support')))
  with check ((select private.has_role('admin', 'support')));

create policy "staff read credit transactions" on public.credit_transactions for select to authenticated
  using ((select private.is_staff()));

create policy "staff read generation types" on public.generation_types for select to authenticated
  using ((select private.is_staff()));
create policy "admin add generation types" on public.generation_types for insert to authenticated
  with check ((select private.has_role('admin')));
create policy "admin edit generation types" on public.generation_types for update to authenticated
  using ((select private.has_role('admin'))) with check ((select private.has_role('admin')));
create policy "admin delete generation types" on public.generation_types for delete to authenticated
  using ((select private.has_role('admin')));

create policy "staff read runtime config" on public.runtime_config for select to authenticated
  using ((select private.is_staff()));
create policy "admin add runtime config" on public.runtime_config for insert to authenticated
  with check ((select private.has_role('admin')));
create policy "admin edit runtime config" on public.runtime_config for update to authenticated
  using ((select private.has_role('admin'))) with check ((select private.has_role('admin')));
create policy "admin delete runtime config" on public.runtime_config for delete to authenticated
  using ((select private.has_role('admin')));

create policy "staff read app config" on public.app_config for select to authenticated
  using ((select private.is_staff()));
create policy "admin add app config" on public.app_config for insert to authenticated
  with check ((select private.has_role('admin')));
create policy "admin edit app config" on public.app_config for update to authenticated
  using ((select private.has_role('admin'))) with check ((select private.has_role('admin')));
create policy "admin delete app config" on public.app_config for delete to authenticated
  using ((select private.has_role('admin')));

create policy "admin read staff, staff read own row" on public.staff for select to authenticated
  using ((select private.has_role('admin'))
         or (user_id = (select auth.uid()) and (select private.is_staff())));
create policy "admin add staff" on public.staff for insert to authenticated
  with check ((select private.has_role('admin')));
create policy "admin edit staff" on public.staff for update to authenticated
  using ((select private.has_role('admin'))) with check ((select private.has_role('admin')));
create policy "admin remove staff" on public.staff for delete to authenticated
  using ((select private.has_role('admin')));

create policy "admin read all sessions, staff their own" on public.admin_sessions for select to authenticated
  using ((select private.has_role('admin'))
         or (user_id = (select auth.uid()) and (select private.is_staff())));

create policy "staff read audit" on public.admin_audit for select to authenticated
  using ((select private.is_staff()));

alter table public.credit_blocks enable row level security;
alter table public.credit_block_draws enable row level security;
-- Read only through finance_metrics (SECURITY DEFINER): no policy.
alter table public.finance_daily_stats enable row level security;
alter table public.finance_daily_deltas enable row level security;
alter table public.customer_daily_revenue enable row level security;
alter table public.customer_monthly_revenue enable row level security;
create policy "staff read credit blocks" on public.credit_blocks for select to authenticated
  using ((select private.is_staff()));
create policy "staff read credit block draws" on public.credit_block_draws for select to authenticated
  using ((select private.is_staff()));

-- The balance row is read like the customer's own credits column (the list sorts by it).
alter table public.customer_balances enable row level security;
create policy "staff read customer balances" on public.customer_balances for select to authenticated
  using ((select private.is_staff()));

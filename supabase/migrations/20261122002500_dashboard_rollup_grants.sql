-- The active-customer tables are read only through dashboard_metrics (SECURITY DEFINER),
-- like the other rollups: RLS on with no policy, nothing for anon or authenticated, and
-- read-only for the service role (the triggers alone write them).
alter table public.customer_activity_keys enable row level security;
alter table public.customer_activity_bitmaps enable row level security;

revoke all on public.customer_activity_keys, public.customer_activity_bitmaps
  from anon, authenticated, service_role;
grant select on public.customer_activity_keys, public.customer_activity_bitmaps to service_role;

-- Helpers of the rollup triggers and dashboard_metrics, never to be called directly.
revoke all on function private.bitmap_apply(varbit, integer[], integer[]),
  private.bitmap_differs(varbit, integer[], integer[]),
  private.active_customers(date, date, text),
  private.rebuild_dashboard_rollups() from public;

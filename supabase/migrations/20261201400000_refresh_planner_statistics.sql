-- List totals on the large tables start from the planner's estimate (exact below 50,000
-- rows: src/providers/listCounts.ts), and the planner only knows what the last ANALYZE saw.
-- A bulk load such as the legacy import leaves that far behind until autovacuum catches up
-- (the embedded PGlite has no autovacuum at all), so whoever imports refreshes it at once.
create or replace function public.refresh_planner_statistics()
returns json language plpgsql volatile security definer set search_path = '' as $$
begin
  if not (private.has_role('admin') or private.is_service_role()) then
    perform private.raise_forbidden('Only an admin may refresh the planner statistics.');
  end if;
  analyze public.customers, public.sessions, public.generations, public.feedback,
    public.credit_transactions, public.admin_audit, public.admin_sessions;
  return json_build_object('analyzed_at', now());
end $$;

revoke all on function public.refresh_planner_statistics() from public, anon, authenticated, service_role;
grant execute on function public.refresh_planner_statistics() to authenticated, service_role;

-- Recomputes every dashboard rollup from the raw rows. Run once here to repair what the
-- earlier triggers let drift (customer activity never decremented) and to fill the new
-- activity counts and bitmaps; kept as a function for operators after a load that bypassed triggers
-- (session_replication_role = replica, pg_restore --disable-triggers).
create or replace function private.rebuild_dashboard_rollups()
returns void language plpgsql security definer set search_path = '' as $$
begin
  -- Writers wait while the rollups are rebuilt, so none of their deltas is lost or doubled;
  -- readers carry on.
  lock table public.generations, public.credit_transactions in share row exclusive mode;

  delete from public.generation_daily_stats;
  insert into public.generation_daily_stats
    (day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum, latency_count, refunded)
  select (created_at at time zone 'UTC')::date, provider, coalesce(model, ''), status,
         count(*), sum(credits_charged), sum(cost_usd), coalesce(sum(latency_ms), 0),
         count(latency_ms), count(refunded_at)
    from public.generations group by 1, 2, 3, 4;

  delete from public.customer_daily_activity;
  insert into public.customer_daily_activity (day, provider, customer_id, generations)
  select (created_at at time zone 'UTC')::date, provider, customer_id, count(*)
    from public.generations group by 1, 2, 3;

  insert into public.customer_activity_keys (customer_id)
  select distinct customer_id from public.customer_daily_activity order by 1
  on conflict do nothing;
  delete from public.customer_activity_bitmaps;
  insert into public.customer_activity_bitmaps (day, provider, bits)
  select a.day, a.provider, private.bitmap_apply(''::varbit, array_agg(k.key), null)
    from public.customer_daily_activity a
    join public.customer_activity_keys k on k.customer_id = a.customer_id
   group by a.day, a.provider;

  delete from public.ledger_daily_stats;
  insert into public.ledger_daily_stats (day, type, source, provider, entries, delta_sum, cost_usd)
  select (created_at at time zone 'UTC')::date, type, source, coalesce(provider, ''),
         count(*), sum(delta), coalesce(sum(cost_usd), 0)
    from public.credit_transactions group by 1, 2, 3, 4;
end $$;


select private.rebuild_dashboard_rollups();

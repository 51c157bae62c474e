-- Generation rollups that stay equal to a direct aggregate under every write: insert,
-- update (status, refunded_at, cost, customer, provider, model or created_at), delete,
-- bulk backfill and truncate. Keeps generation_daily_stats, the per-customer activity
-- counts and the active-customer bitmaps.
--
-- One statement-level trigger function for all three operations: the rows of the
-- statement become signed deltas (-1 for the old image, +1 for the new), summed per key,
-- so an update that changes nothing the rollups hold writes nothing, and a pending →
-- succeeded move touches exactly two keys. Transition tables exist only for the operation
-- that fired, hence the source query chosen per operation and run with EXECUTE.
create or replace function private.rollup_generations()
returns trigger language plpgsql security definer set search_path = '' as $$
declare
  v_provider text[];
  v_day date[];
  v_customer text[];
  v_active boolean[];
  v_source text := case tg_op
    when 'INSERT' then 'select 1 as sign, * from new_rows'
    when 'DELETE' then 'select -1 as sign, * from old_rows'
    else 'select -1 as sign, * from old_rows union all select 1, * from new_rows' end;
begin
  execute format($sql$
    with src as materialized (
      select sign, (created_at at time zone 'UTC')::date as day, provider, coalesce(model, '') as model,
             status, customer_id, credits_charged, cost_usd, latency_ms, refunded_at
        from (%s) r
    ), stats as (
      insert into public.generation_daily_stats as s
        (day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum, latency_count, refunded)
      select day, provider, model, status, sum(sign), sum(sign * credits_charged), sum(sign * cost_usd),
             coalesce(sum(sign * latency_ms), 0), coalesce(sum(sign) filter (where latency_ms is not null), 0),
             coalesce(sum(sign) filter (where refunded_at is not null), 0)
        from src group by day, provider, model, status
      having sum(sign) <> 0 or sum(sign * credits_charged) <> 0 or sum(sign * cost_usd) <> 0
          or coalesce(sum(sign * latency_ms), 0) <> 0
          or coalesce(sum(sign) filter (where latency_ms is not null), 0) <> 0
          or coalesce(sum(sign) filter (where refunded_at is not null), 0) <> 0
      -- A fixed lock order, so two concurrent bulk statements cannot deadlock on the rollup.
      order by day, provider, model, status
      on conflict (day, provider, model, status) do update set
        calls = s.calls + excluded.calls, credits_charged = s.credits_charged + excluded.credits_charged,
        cost_usd = s.cost_usd + excluded.cost_usd, latency_ms_sum = s.latency_ms_sum + excluded.latency_ms_sum,
        latency_count = s.latency_count + excluded.latency_count, refunded = s.refunded + excluded.refunded
    ), activity as (
      insert into public.customer_daily_activity as a (day, provider, customer_id, generations)
      select day, provider, customer_id, sum(sign)
        from src group by day, provider, customer_id
      having sum(sign) <> 0
       order by day, provider, customer_id
      on conflict (day, provider, customer_id) do update set generations = a.generations + excluded.generations
      returning day, provider, customer_id, generations > 0 as active
    )
    select array_agg(provider), array_agg(day), array_agg(customer_id), array_agg(active) from activity
  $sql$, v_source) into v_provider, v_day, v_customer, v_active;

  -- Each customer's bit follows the count this statement just wrote. That count was read
  -- and written under the activity row's lock, which is held to commit, so concurrent
  -- writers for one customer and day set and clear the bit in the order they counted.
  if v_provider is not null then
    insert into public.customer_activity_keys (customer_id)
    select distinct c from unnest(v_customer, v_active) as t(c, active) where active order by 1
    on conflict do nothing;
    insert into public.customer_activity_bitmaps (day, provider)
    select distinct d, p from unnest(v_day, v_provider) as t(d, p) order by 1, 2
    on conflict do nothing;
    update public.customer_activity_bitmaps b
       set bits = private.bitmap_apply(b.bits, c.set_keys, c.clear_keys)
      from (select t.day, t.provider,
                   array_agg(k.key) filter (where t.active) as set_keys,
                   array_agg(k.key) filter (where not t.active) as clear_keys
              from unnest(v_day, v_provider, v_customer, v_active) as t(day, provider, customer_id, active)
              join public.customer_activity_keys k on k.customer_id = t.customer_id
             group by t.day, t.provider) c
     where b.day = c.day and b.provider = c.provider
       and private.bitmap_differs(b.bits, c.set_keys, c.clear_keys);
  end if;

  if tg_op <> 'INSERT' then
    delete from public.generation_daily_stats where calls = 0;
    delete from public.customer_daily_activity where generations = 0;
  end if;
  return null;
end $$;

-- TRUNCATE fires no row or transition-table trigger; without this the rollups would keep
-- counting generations that no longer exist.
create or replace function private.clear_generation_rollups()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  delete from public.generation_daily_stats;
  delete from public.customer_daily_activity;
  delete from public.customer_activity_bitmaps;
  return null;
end $$;

create trigger generations_rollup_truncate after truncate on public.generations
  for each statement execute function private.clear_generation_rollups();

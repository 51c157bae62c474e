-- The finance rollup's deltas fold on the dashboard rollups' tick (every 10 seconds where
-- pg_cron is installed, the embedded stack's 5-second timer locally) instead of only after the
-- 5-minute expiry job: finance_metrics adds the unfolded tail to every answer, and minutes of
-- purchases and spends made that tail long. The expiry job still folds after its entries.

-- Moves the deltas into the rollups (finance's too) and applies the pending activity changes to
-- the bitmaps. One fold at a time (a second caller returns at once; the next tick folds);
-- writers are never waited for, since they only insert. Returns what it folded.
create or replace function private.fold_dashboard_rollups()
returns json language plpgsql security definer set search_path = '' as $$
declare
  v_generation_rows bigint;
  v_emptied bigint;
  v_ledger_rows bigint;
  v_finance_rows integer;
  v_day date[];
  v_provider text[];
  v_customer text[];
  v_active boolean[];
begin
  if not pg_try_advisory_xact_lock(hashtext('creditdesk.fold_dashboard_rollups')) then
    return json_build_object('folded', false);
  end if;

  -- The deltas are summed once per (day, provider, model, status, customer) into `g`, and each
  -- rollup groups those few rows (at most a few hundred per fold) instead of every delta row
  -- again (20261207100000): a fold of 16 clients' five seconds takes ~4,000 delta rows.
  with d as (
    delete from public.generation_daily_deltas where true returning *
  ), g as materialized (
    select day, provider, model, status, customer_id, sum(calls) as calls,
           sum(credits_charged) as credits_charged, sum(cost_usd) as cost_usd,
           sum(latency_ms_sum) as latency_ms_sum, sum(latency_count) as latency_count,
           sum(refunded) as refunded
      from d group by day, provider, model, status, customer_id
  ), by_model as (
    insert into public.generation_daily_models as s
      (day, provider, model, calls, succeeded, failed, credits_charged, cost_usd, latency_ms_sum, latency_count)
    select day, provider, model, sum(calls), coalesce(sum(calls) filter (where status = 'succeeded'), 0),
           coalesce(sum(calls) filter (where status = 'failed'), 0), sum(credits_charged), sum(cost_usd),
           sum(latency_ms_sum), sum(latency_count)
      from g group by day, provider, model
     order by day, provider, model
    on conflict (day, provider, model) do update set
      calls = s.calls + excluded.calls, succeeded = s.succeeded + excluded.succeeded,
      failed = s.failed + excluded.failed, credits_charged = s.credits_charged + excluded.credits_charged,
      cost_usd = s.cost_usd + excluded.cost_usd, latency_ms_sum = s.latency_ms_sum + excluded.latency_ms_sum,
      latency_count = s.latency_count + excluded.latency_count
    returning s.calls
  ), by_provider as (
    insert into public.generation_daily_providers as s (day, provider, calls, succeeded, failed, cost_usd)
    select day, provider, sum(calls), coalesce(sum(calls) filter (where status = 'succeeded'), 0),
           coalesce(sum(calls) filter (where status = 'failed'), 0), sum(cost_usd)
      from g group by day, provider
     order by day, provider
    on conflict (day, provider) do update set
      calls = s.calls + excluded.calls, succeeded = s.succeeded + excluded.succeeded,
      failed = s.failed + excluded.failed, cost_usd = s.cost_usd + excluded.cost_usd
    returning s.calls
  ), monthly as (
    -- The same deltas per customer ("The monthly costs" above): taken and added in one
    -- statement, so each is counted once, here or in a reader's tail.
    insert into public.customer_monthly_costs as m (customer_id, month, provider, cost_usd, generations)
    select customer_id, date_trunc('month', day)::date, provider, sum(cost_usd), sum(calls)
      from g group by 1, 2, 3
    having sum(calls) <> 0 or sum(cost_usd) <> 0
     order by 1, 2, 3
    on conflict (customer_id, month, provider) do update
      set cost_usd = m.cost_usd + excluded.cost_usd, generations = m.generations + excluded.generations
  ), f as (
    insert into public.generation_daily_stats as s
      (day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum, latency_count, refunded)
    select day, provider, model, status, sum(calls), sum(credits_charged), sum(cost_usd),
           sum(latency_ms_sum), sum(latency_count), sum(refunded)
      from g group by day, provider, model, status
     order by day, provider, model, status
    on conflict (day, provider, model, status) do update set
      calls = s.calls + excluded.calls, credits_charged = s.credits_charged + excluded.credits_charged,
      cost_usd = s.cost_usd + excluded.cost_usd, latency_ms_sum = s.latency_ms_sum + excluded.latency_ms_sum,
      latency_count = s.latency_count + excluded.latency_count, refunded = s.refunded + excluded.refunded
    returning s.calls
  )
  select (select count(*) from f),
         (select count(*) from f where calls = 0) + (select count(*) from by_model where calls = 0)
           + (select count(*) from by_provider where calls = 0)
    into v_generation_rows, v_emptied;
  -- A rollup row this fold brought to 0 calls goes. Only this fold's rows can be at 0 (every
  -- fold deletes the ones it empties, and the rebuild writes none), so the three scans of the
  -- whole rollup tables run only when a fold emptied one: a day's last generation of a key
  -- deleted or moved, not every 5 seconds.
  if v_emptied > 0 then
    delete from public.generation_daily_stats where calls = 0;
    delete from public.generation_daily_models where calls = 0;
    delete from public.generation_daily_providers where calls = 0;
  end if;

  with d as (
    delete from public.ledger_daily_deltas where true returning *
  ), f as (
    insert into public.ledger_daily_stats as s (day, type, source, provider, entries, delta_sum, cost_usd)
    select day, type, source, provider, sum(entries), sum(delta_sum), sum(cost_usd)
      from d group by day, type, source, provider
     order by day, type, source, provider
    on conflict (day, type, source, provider) do update set
      entries = s.entries + excluded.entries, delta_sum = s.delta_sum + excluded.delta_sum,
      cost_usd = s.cost_usd + excluded.cost_usd
    returning 1
  )
  select count(*) into v_ledger_rows from f;

  -- Each changed (day, provider, customer) gets the state customer_daily_activity has now
  -- (later changes append rows of their own, which the next fold applies the same way).
  with c as (
    delete from public.customer_activity_changes where true returning day, provider, customer_id
  ), k as (
    select distinct day, provider, customer_id from c
  )
  select array_agg(k.provider), array_agg(k.day), array_agg(k.customer_id),
         array_agg(exists (select 1 from public.customer_daily_activity a
                            where a.day = k.day and a.provider = k.provider
                              and a.customer_id = k.customer_id and a.generations > 0))
    into v_provider, v_day, v_customer, v_active
    from k;

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

    -- Period bits set.
    insert into public.customer_activity_period_bitmaps (grain, start, provider)
    select distinct p.grain, p.start, p.provider
      from unnest(v_day, v_provider, v_active) as t(day, provider, active)
     cross join lateral private.activity_periods(t.day, t.provider) p
     where t.active
     order by 1, 2, 3
    on conflict do nothing;
    update public.customer_activity_period_bitmaps b
       set bits = private.bitmap_apply(b.bits, c.set_keys, null)
      from (select p.grain, p.start, p.provider, array_agg(distinct k.key) as set_keys
              from unnest(v_day, v_provider, v_customer, v_active) as t(day, provider, customer_id, active)
              join public.customer_activity_keys k on k.customer_id = t.customer_id
             cross join lateral private.activity_periods(t.day, t.provider) p
             where t.active
             group by 1, 2, 3) c
     where b.grain = c.grain and b.start = c.start and b.provider = c.provider
       and private.bitmap_differs(b.bits, c.set_keys, null);

    -- Period bits cleared: the customer may be active on another day of the week or month, so
    -- each such period is recomputed from its day bitmaps, which only the fold (under its
    -- lock) writes — no table lock against writers any more.
    if false = any(v_active) then
      update public.customer_activity_period_bitmaps b
         set bits = private.activity_period_bits(b.grain, b.start, b.provider)
        from (select distinct p.grain, p.start, p.provider
                from unnest(v_day, v_provider, v_active) as t(day, provider, active)
               cross join lateral private.activity_periods(t.day, t.provider) p
               where not t.active) c
       where b.grain = c.grain and b.start = c.start and b.provider = c.provider;
    end if;
  end if;

  -- Finance's deltas (76_finance_metrics.sql) fold on the same tick: a reader adds the unfolded
  -- tail, and left to the 5-minute expiry job that tail was minutes of every purchase and spend.
  v_finance_rows := private.fold_finance_deltas();

  return json_build_object('folded', true, 'generation_rows', v_generation_rows,
    'ledger_rows', v_ledger_rows, 'activity_changes', coalesce(cardinality(v_day), 0),
    'finance_rows', v_finance_rows);
end $$;

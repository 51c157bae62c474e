-- Issue 15, the dashboards' read budget.
-- 1. A per-model rollup, generation_daily_stats summed over statuses with the per-status
--    counts as columns, kept by the fold from the same deltas in the same statement.
--    dashboard_metrics and finance_metrics (and the top customers' provider lists) group it
--    instead of generation_daily_stats: 1,620 rows instead of 8,094 for 180 days at bench
--    scale, where that grouping was most of either call's time in SQL. Backfilled from
--    generation_daily_stats while no fold runs (the fold's advisory lock), so the deltas not
--    yet folded reach both rollups through the new fold, none twice.
-- 2. The top customers' exact costs read a month the range covers most of as its monthly
--    row minus the days outside the range (private.range_cost_pieces), not its days inside.

select pg_advisory_xact_lock(hashtext('creditdesk.fold_dashboard_rollups'));

-- generation_daily_stats summed over statuses, one row per (day, provider, model) with the
-- per-status counts the dashboards show as columns (20261203300100): what dashboard_metrics
-- and finance_metrics group. For 180 days at bench scale that is 1,620 rows instead of 8,094,
-- and grouping those rows (numeric sums, seven aggregates) was most of either call's time in
-- SQL. Written only by the fold, from the same deltas in the same statement as
-- generation_daily_stats, so the two always agree; no writer waits on it.
create table public.generation_daily_models (
  day date not null,
  provider text not null,
  model text not null,
  calls bigint not null default 0,
  succeeded bigint not null default 0,
  failed bigint not null default 0,
  credits_charged bigint not null default 0,
  cost_usd numeric(18, 6) not null default 0,
  latency_ms_sum bigint not null default 0,
  latency_count bigint not null default 0,
  primary key (day, provider, model)
);

create index generation_daily_models_emptied_idx
  on public.generation_daily_models (day) where calls = 0;
alter table public.generation_daily_models enable row level security;
-- Like the other rollups: the service role reads, only the fold writes.
revoke all on public.generation_daily_models from anon, authenticated, service_role;
grant select on public.generation_daily_models to service_role;

insert into public.generation_daily_models
  (day, provider, model, calls, succeeded, failed, credits_charged, cost_usd, latency_ms_sum, latency_count)
select day, provider, model, sum(calls), coalesce(sum(calls) filter (where status = 'succeeded'), 0),
       coalesce(sum(calls) filter (where status = 'failed'), 0), sum(credits_charged), sum(cost_usd),
       sum(latency_ms_sum), sum(latency_count)
  from public.generation_daily_stats group by 1, 2, 3;

-- TRUNCATE fires no row or transition-table trigger; without this the rollups would keep
-- counting generations that no longer exist.
create or replace function private.clear_generation_rollups()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  delete from public.generation_daily_stats where true;
  delete from public.generation_daily_models where true;
  delete from public.generation_daily_deltas where true;
  delete from public.customer_daily_activity where true;
  delete from public.customer_monthly_costs where true;
  delete from public.customer_activity_changes where true;
  delete from public.customer_activity_bitmaps where true;
  delete from public.customer_activity_period_bitmaps where true;
  return null;
end $$;

-- Recomputes every dashboard rollup from the raw rows, for operators after a load that
-- bypassed triggers (session_replication_role = replica, pg_restore --disable-triggers).
create or replace function private.rebuild_dashboard_rollups()
returns void language plpgsql security definer set search_path = '' as $$
begin
  -- Writers wait while the rollups are rebuilt, so none of their deltas is lost or doubled;
  -- readers carry on.
  lock table public.generations, public.credit_transactions in share row exclusive mode;
  -- And the fold waits (or is waited for): it writes the same rollups.
  perform pg_advisory_xact_lock(hashtext('creditdesk.fold_dashboard_rollups'));
  delete from public.generation_daily_deltas where true;
  delete from public.ledger_daily_deltas where true;
  delete from public.customer_activity_changes where true;

  delete from public.generation_daily_stats where true;
  insert into public.generation_daily_stats
    (day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum, latency_count, refunded)
  select (created_at at time zone 'UTC')::date, provider, coalesce(model, ''), status,
         count(*), sum(credits_charged), sum(cost_usd), coalesce(sum(latency_ms), 0),
         count(latency_ms), count(refunded_at)
    from public.generations group by 1, 2, 3, 4;
  delete from public.generation_daily_models where true;
  insert into public.generation_daily_models
    (day, provider, model, calls, succeeded, failed, credits_charged, cost_usd, latency_ms_sum, latency_count)
  select day, provider, model, sum(calls), coalesce(sum(calls) filter (where status = 'succeeded'), 0),
         coalesce(sum(calls) filter (where status = 'failed'), 0), sum(credits_charged), sum(cost_usd),
         sum(latency_ms_sum), sum(latency_count)
    from public.generation_daily_stats group by 1, 2, 3;

  delete from public.customer_daily_activity where true;
  insert into public.customer_daily_activity (day, provider, customer_id, generations, cost_usd)
  select (created_at at time zone 'UTC')::date, provider, customer_id, count(*), sum(cost_usd)
    from public.generations group by 1, 2, 3;

  delete from public.customer_monthly_costs where true;
  insert into public.customer_monthly_costs (customer_id, month, provider, cost_usd, generations)
  select customer_id, date_trunc('month', day)::date, provider, sum(cost_usd), sum(generations)
    from public.customer_daily_activity group by 1, 2, 3;

  insert into public.customer_activity_keys (customer_id)
  select distinct customer_id from public.customer_daily_activity order by 1
  on conflict do nothing;
  delete from public.customer_activity_bitmaps where true;
  insert into public.customer_activity_bitmaps (day, provider, bits)
  select a.day, a.provider, private.bitmap_apply(''::varbit, array_agg(k.key), null)
    from public.customer_daily_activity a
    join public.customer_activity_keys k on k.customer_id = a.customer_id
   group by a.day, a.provider;

  delete from public.customer_activity_period_bitmaps where true;
  insert into public.customer_activity_period_bitmaps (grain, start, provider, bits)
  select p.grain, p.start, p.provider, private.activity_period_bits(p.grain, p.start, p.provider)
    from (select distinct p.grain, p.start, p.provider
            from public.customer_activity_bitmaps b
           cross join lateral private.activity_periods(b.day, b.provider) p) p;

  delete from public.ledger_daily_stats where true;
  insert into public.ledger_daily_stats (day, type, source, provider, entries, delta_sum, cost_usd)
  select (created_at at time zone 'UTC')::date, type, source, coalesce(provider, ''),
         count(*), sum(delta), coalesce(sum(cost_usd), 0)
    from public.credit_transactions group by 1, 2, 3, 4;
end $$;

-- Moves the deltas into the rollups and applies the pending activity changes to the bitmaps.
-- One fold at a time (a second caller returns at once; the next tick folds); writers are never
-- waited for, since they only insert. Returns what it folded.
create or replace function private.fold_dashboard_rollups()
returns json language plpgsql security definer set search_path = '' as $$
declare
  v_generation_rows bigint;
  v_ledger_rows bigint;
  v_day date[];
  v_provider text[];
  v_customer text[];
  v_active boolean[];
begin
  if not pg_try_advisory_xact_lock(hashtext('creditdesk.fold_dashboard_rollups')) then
    return json_build_object('folded', false);
  end if;

  with d as (
    delete from public.generation_daily_deltas where true returning *
  ), by_model as (
    insert into public.generation_daily_models as s
      (day, provider, model, calls, succeeded, failed, credits_charged, cost_usd, latency_ms_sum, latency_count)
    select day, provider, model, sum(calls), coalesce(sum(calls) filter (where status = 'succeeded'), 0),
           coalesce(sum(calls) filter (where status = 'failed'), 0), sum(credits_charged), sum(cost_usd),
           sum(latency_ms_sum), sum(latency_count)
      from d group by day, provider, model
     order by day, provider, model
    on conflict (day, provider, model) do update set
      calls = s.calls + excluded.calls, succeeded = s.succeeded + excluded.succeeded,
      failed = s.failed + excluded.failed, credits_charged = s.credits_charged + excluded.credits_charged,
      cost_usd = s.cost_usd + excluded.cost_usd, latency_ms_sum = s.latency_ms_sum + excluded.latency_ms_sum,
      latency_count = s.latency_count + excluded.latency_count
  ), f as (
    insert into public.generation_daily_stats as s
      (day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum, latency_count, refunded)
    select day, provider, model, status, sum(calls), sum(credits_charged), sum(cost_usd),
           sum(latency_ms_sum), sum(latency_count), sum(refunded)
      from d group by day, provider, model, status
     order by day, provider, model, status
    on conflict (day, provider, model, status) do update set
      calls = s.calls + excluded.calls, credits_charged = s.credits_charged + excluded.credits_charged,
      cost_usd = s.cost_usd + excluded.cost_usd, latency_ms_sum = s.latency_ms_sum + excluded.latency_ms_sum,
      latency_count = s.latency_count + excluded.latency_count, refunded = s.refunded + excluded.refunded
    returning 1
  )
  select count(*) into v_generation_rows from f;
  delete from public.generation_daily_stats where calls = 0;
  delete from public.generation_daily_models where calls = 0;

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

  return json_build_object('folded', true, 'generation_rows', v_generation_rows,
    'ledger_rows', v_ledger_rows, 'activity_changes', coalesce(cardinality(v_day), 0));
end $$;

-- Dashboard figures for a UTC date range (inclusive). The rollups are read once: one pass
-- sums the (day, provider, model) rows and every figure is derived from those (180 days are
-- 1,620 generation_daily_models rows, 8,094 of generation_daily_stats; summing the latter six
-- times cost ~17 ms, once ~8 ms of the 20 ms call, 20261203300100), the
-- ledger rollup is likewise summed per day once and the totals come from the days.
-- `providers` lists every provider with generations in the range whatever p_provider, so the
-- page's provider filter can offer the others while one is chosen. The per-model daily series
-- is not in the answer (20261203300000): for 180 days at bench scale it was 263 kB of the
-- response, most of the call's time through PostgREST, for a chart drawn only when someone
-- drills into a provider. With p_models_of the call answers only that drill-down: one
-- provider's `daily_by_model` (whatever p_provider; nothing else is computed).
-- Generic plans (plan_cache_mode, and active_customers in PL/pgSQL rather than SQL): the
-- statements read small rollups by date range, so no plan depends on the dates, but with the
-- default mode each of a session's first five calls planned the ~100-line statement again
-- (~3 ms quiet, 8-10 ms on the loaded machine), and PostgREST spreads calls over its pool, so
-- most calls were among some connection's first five; a SQL function is planned on every call.
-- JIT off (20261202100200): the generic plans' row guesses for the rollup reads pass
-- jit_above_cost, so where the server has LLVM (Debian's Postgres, hosted Supabase) every
-- call compiled its statements first: 180 days took 44 ms with JIT and 15-17 ms without on
-- the bench cluster, for the same rows read.
create or replace function public.dashboard_metrics(
  p_from date, p_to date, p_provider text default null, p_models_of text default null
)
returns json language plpgsql stable security definer set search_path = ''
  set plan_cache_mode = force_generic_plan set jit = off as $$
declare
  v_days integer;
  v_prev_from date;
  v_prev_to date;
  v_result json;
begin
  if not private.is_staff() then
    perform private.raise_forbidden('Only CreditDesk staff may read dashboard metrics.');
  end if;
  if p_from is null or p_to is null then
    perform private.raise_bad_input('Choose both a start and an end date.');
  end if;
  if p_from > p_to then
    perform private.raise_bad_input(format('The start date %s is after the end date %s.', p_from, p_to));
  end if;
  v_days := p_to - p_from + 1;
  if v_days > 1096 then
    perform private.raise_bad_input('Choose a range of at most three years.');
  end if;
  -- The drill-down: only p_models_of's daily series per model.
  if p_models_of is not null then
    if btrim(p_models_of) = '' then
      perform private.raise_bad_input('Choose the provider whose models to show.');
    end if;
    return json_build_object(
      'from', p_from, 'to', p_to, 'models_of', p_models_of,
      'daily_by_model', (select coalesce(json_agg(json_build_object('day', x.day, 'model', x.model, 'calls', x.calls,
                                                                    'cost_usd', round(x.cost_usd, 6))
                                                  order by x.day, x.model), '[]'::json)
                           from (select day, model, sum(calls) as calls, sum(cost_usd) as cost_usd
                                   from (select day, provider, model, calls, cost_usd from public.generation_daily_models
                                         union all
                                         select day, provider, model, calls, cost_usd from public.generation_daily_deltas) s
                                  where day between p_from and p_to and provider = p_models_of
                                  group by day, model
                                 having sum(calls) <> 0) x));
  end if;
  v_prev_to := p_from - 1;
  v_prev_from := p_from - v_days;

  with base as materialized (
    -- Every provider: `providers` lists them all whatever p_provider. The per-model rollup
    -- (statuses as columns, 70_rollups.sql) plus the unfolded tail, whose statuses become
    -- those columns here.
    select day, provider, model, sum(calls) as calls, sum(succeeded) as succeeded, sum(failed) as failed,
           sum(cost_usd) as cost_usd, sum(credits_charged) as credits_charged,
           sum(latency_ms_sum) as latency_ms_sum, sum(latency_count) as latency_count
      from (select day, provider, model, calls, succeeded, failed, credits_charged, cost_usd, latency_ms_sum, latency_count
              from public.generation_daily_models
            union all
            select day, provider, model, calls, case when status = 'succeeded' then calls else 0 end,
                   case when status = 'failed' then calls else 0 end, credits_charged, cost_usd, latency_ms_sum, latency_count
              from public.generation_daily_deltas) s
     where day between p_from and p_to
     group by day, provider, model
  ), gen as materialized (
    select * from base where p_provider is null or provider = p_provider
  ), gen_day as materialized (
    select day, sum(calls) as calls, coalesce(sum(succeeded), 0) as succeeded,
           coalesce(sum(failed), 0) as failed, sum(cost_usd) as cost_usd
      from gen group by day
  ), led_day as materialized (
    select day, sum(entries) filter (where type = 'refund') as refunds,
           sum(delta_sum) filter (where type = 'refund') as refund_credits,
           -sum(delta_sum) filter (where type = 'spend') as credits_spent,
           sum(delta_sum) filter (where type = 'purchase') as credits_bought,
           sum(delta_sum) filter (where type = 'grant') as credits_granted
      from (select day, type, source, provider, entries, delta_sum, cost_usd from public.ledger_daily_stats
              union all select day, type, source, provider, entries, delta_sum, cost_usd from public.ledger_daily_deltas) s
     where day between p_from and p_to and (p_provider is null or provider = p_provider or type in ('purchase', 'grant'))
     group by day
  ), totals as (
    select coalesce(sum(calls), 0) as generations, coalesce(sum(succeeded), 0) as succeeded,
           coalesce(sum(failed), 0) as failed, coalesce(sum(cost_usd), 0) as cost_usd
      from gen_day
  ), ledger as (
    select coalesce(sum(refunds), 0) as refunds, coalesce(sum(refund_credits), 0) as refund_credits,
           coalesce(sum(credits_spent), 0) as credits_spent, coalesce(sum(credits_bought), 0) as credits_bought,
           coalesce(sum(credits_granted), 0) as credits_granted
      from led_day
  ), days as (
    select d::date as day from generate_series(p_from, p_to, interval '1 day') d
  )
  select json_build_object(
    'from', p_from, 'to', p_to, 'provider', p_provider, 'days', v_days, 'timezone', 'UTC',
    'generations', t.generations,
    'previous_generations', (select coalesce(sum(calls), 0) from (select day, provider, calls from public.generation_daily_models
              union all select day, provider, calls from public.generation_daily_deltas) s
                              where day between v_prev_from and v_prev_to
                                and (p_provider is null or provider = p_provider)),
    'succeeded', t.succeeded,
    'failed', t.failed,
    'success_rate', case when t.generations > 0 then round(t.succeeded::numeric / t.generations, 4) end,
    'failure_rate', case when t.generations > 0 then round(t.failed::numeric / t.generations, 4) end,
    'cost_usd', round(t.cost_usd, 6),
    'cost_per_success_usd', case when t.succeeded > 0 then round(t.cost_usd / t.succeeded, 6) end,
    'refunds', l.refunds,
    'refund_credits', l.refund_credits,
    'credits_spent', l.credits_spent,
    'credits_bought', l.credits_bought,
    'credits_granted', l.credits_granted,
    'credits_per_usd', case when t.cost_usd > 0 then round(l.credits_spent / t.cost_usd, 2) end,
    'active_customers', private.active_customers(p_from, p_to, p_provider),
    'providers', (select coalesce(json_agg(distinct provider order by provider), '[]'::json) from base),
    'by_provider_model', (select coalesce(json_agg(x order by x.cost_usd desc, x.calls desc), '[]'::json) from (
        select provider, model, sum(calls) as calls,
               coalesce(sum(failed), 0) as failures,
               coalesce(sum(succeeded), 0) as successes,
               round(sum(cost_usd), 6) as cost_usd,
               sum(credits_charged) as credits_charged,
               case when sum(latency_count) > 0 then round(sum(latency_ms_sum)::numeric / sum(latency_count)) end as avg_latency_ms
          from gen group by provider, model) x),
    'daily', (select json_agg(json_build_object(
        'day', d.day,
        'generations', coalesce(g.calls, 0), 'succeeded', coalesce(g.succeeded, 0),
        'failed', coalesce(g.failed, 0), 'other', coalesce(g.calls - g.succeeded - g.failed, 0),
        'cost_usd', coalesce(round(g.cost_usd, 6), 0),
        'success_rate', case when g.calls > 0 then round(g.succeeded::numeric / g.calls, 4) end,
        'refunds', coalesce(ld.refunds, 0), 'refund_credits', coalesce(ld.refund_credits, 0),
        'credits_spent', coalesce(ld.credits_spent, 0), 'credits_bought', coalesce(ld.credits_bought, 0))
        order by d.day)
        from days d
        left join gen_day g on g.day = d.day
        left join led_day ld on ld.day = d.day),
    'daily_by_provider', (select coalesce(json_agg(x order by x.day, x.provider), '[]'::json) from (
        select day, provider, sum(calls) as calls, round(sum(cost_usd), 6) as cost_usd
          from gen group by day, provider) x)
  ) into v_result
  from totals t, ledger l;
  return v_result;
end $$;

drop function private.customer_range_costs(text[], date, date, date[], text);

-- The exact cost and generations of each of p_customers that has generations in the range
-- the pieces describe: the monthly rows of p_months, plus (p_sign 1) or minus (p_sign -1) the
-- daily rows of customer_daily_activity in each [p_lo[i], p_hi[i]]. So a month the range
-- covers most of is read as its monthly row minus the few days outside the range
-- (private.range_cost_pieces). PL/pgSQL: as a SQL function (with a search_path, so never
-- inlined) its plan scanned the rank index over a month range, 410 ms for 20 customers.
create or replace function private.customer_range_costs(
  p_customers text[], p_months date[], p_lo date[], p_hi date[], p_sign integer[], p_provider text
) returns table (customer_id text, cost numeric, gens bigint)
language plpgsql stable set search_path = '' set plan_cache_mode = force_generic_plan as $$
begin
  return query
  select c.customer_id, sum(x.cost_usd), sum(x.generations)::bigint
    from unnest(p_customers) c(customer_id)
   cross join lateral (
     select m.cost_usd, m.generations from public.customer_monthly_costs m
      where m.customer_id = c.customer_id and m.month = any (p_months)
        and (p_provider is null or m.provider = p_provider)
     union all
     -- One index range per piece: lateral, and kept a subquery (offset 0), so that the range
     -- is the index condition (flattened into a join, the plan read all of a heavy customer's
     -- ~400 rows once per piece and filtered them, 2.6 ms a customer).
     select r.sign * a.cost_usd, r.sign * a.generations
       from unnest(p_lo, p_hi, p_sign) as r(lo, hi, sign)
      cross join lateral (
        select d.cost_usd, d.generations from public.customer_daily_activity d
         where d.customer_id = c.customer_id and d.day between r.lo and r.hi
           and (p_provider is null or d.provider = p_provider)
        offset 0) a) x
   group by c.customer_id
  having sum(x.generations) > 0;
end $$;

-- How [p_from, p_to] is read per customer: each month it covers whole is its monthly row; a
-- month it covers in part is either its days in the range (daily rows) or its monthly row
-- minus its days outside the range, whichever reads fewer days (days after today hold no
-- rows and cost nothing). For 180 days ending today that is the last month's monthly row
-- alone and five days of the first month, instead of 25 + 2 days of daily rows (1,639 rows
-- for the bench's top 20, 5.5 ms). Exact either way: the monthly rows are the daily rows'
-- sums, kept in the same trigger.
create or replace function private.range_cost_pieces(
  p_from date, p_to date, out months date[], out lo date[], out hi date[], out sign integer[]
) language plpgsql stable set search_path = '' as $$
declare
  v_today date := (now() at time zone 'UTC')::date;
  v_month date;
  v_end date;
  v_a date;
  v_b date;
begin
  months := '{}'; lo := '{}'; hi := '{}'; sign := '{}';
  for v_month in select m::date from generate_series(date_trunc('month', p_from), date_trunc('month', p_to), interval '1 month') m loop
    v_end := (v_month + interval '1 month')::date - 1;
    v_a := greatest(p_from, v_month);
    v_b := least(p_to, v_end);
    if v_b - v_a + 1 <= (v_a - v_month) + greatest(0, least(v_end, v_today) - v_b) then
      lo := lo || v_a; hi := hi || v_b; sign := sign || 1;
    else
      months := months || v_month;
      if v_a > v_month then
        lo := lo || v_month; hi := hi || v_a - 1; sign := sign || -1;
      end if;
      if v_b < v_end then
        lo := lo || v_b + 1; hi := hi || v_end; sign := sign || -1;
      end if;
    end if;
  end loop;
end $$;

revoke all on function private.customer_range_costs(text[], date[], date[], date[], integer[], text),
  private.range_cost_pieces(date, date) from public;

-- The p_limit customers who cost most in [p_from, p_to] (of p_provider, or all providers),
-- ordered by cost, then id: exactly what grouping the raw generations of the range gives, but
-- read from customer_monthly_costs best first (Fagin's threshold algorithm). Each (month,
-- provider) list touching the range is read to depth d through its rank index. A customer's
-- range cost is at most the sum of its monthly costs, so one not among any list's first d
-- costs at most the threshold (the sum of the lists' d-th costs), and a candidate at most its
-- bound (its own monthly costs where seen, the d-th cost elsewhere). Exact costs (monthly and
-- daily rows as private.range_cost_pieces says) are computed for the best-bounded candidates
-- first, then only for those whose bound reaches the p_limit-th exact cost so far. When the p_limit-th exact cost is
-- above the threshold, nobody unseen can enter; otherwise d grows fourfold, and once every
-- list is read in full everyone was a candidate. At bench scale d = 32 ends it for 30 and 180
-- days (a few customers cost most).
-- JIT off: the planner's guess for the lateral reads (millions of rows) made Postgres compile
-- the statement with LLVM, ~485 ms of a call that reads a few hundred rows.
create or replace function private.top_customers_by_cost(p_from date, p_to date, p_provider text, p_limit integer)
returns table (customer_id text, cost_usd numeric, generations bigint)
language plpgsql stable set search_path = '' set jit = off
  set plan_cache_mode = force_generic_plan as $$
declare
  v_pieces record := private.range_cost_pieces(p_from, p_to);
  v_depth integer := 32;
  v_threshold numeric;
  v_exhausted boolean;
  v_candidates text[];
  v_bounds numeric[];
  v_floor numeric;
  v_ids text[];
  v_costs numeric[];
  v_generations bigint[];
begin
  loop
    with months as (
      select m::date as month
        from generate_series(date_trunc('month', p_from), date_trunc('month', p_to), interval '1 month') m
    ), lists as (
      -- Every (month, provider) with generations in the range: a customer's range cost is in
      -- those lists only. The providers from the per-model generation rollup and its tail
      -- (1,620 rows for 180 days at bench scale; a skip scan down the rank index cost more,
      -- ~1 ms a probe).
      select mo.month, pr.provider
        from months mo
       cross join (select s.provider from public.generation_daily_models s
                    where s.day between p_from and p_to and (p_provider is null or s.provider = p_provider)
                   union
                   select d.provider from public.generation_daily_deltas d
                    where d.day between p_from and p_to and (p_provider is null or d.provider = p_provider)) pr
    ), heads as materialized (
      select l.month, l.provider, h.customer_id, h.cost_usd, h.rn
        from lists l
       cross join lateral (
         select c.customer_id, c.cost_usd, row_number() over (order by c.cost_usd desc, c.customer_id) as rn
           from (select c.customer_id, c.cost_usd from public.customer_monthly_costs c
                  where c.month = l.month and c.provider = l.provider
                  order by c.cost_usd desc, c.customer_id limit v_depth) c) h
    ), floors as (
      -- Each list's d-th cost: what an unseen customer can have there (0 for a list read in full).
      select hh.month, hh.provider, coalesce(max(hh.cost_usd) filter (where hh.rn = v_depth), 0) as dth
        from heads hh group by hh.month, hh.provider
    ), totals as (
      select coalesce(sum(dth), 0) as threshold from floors
    ), bounds as (
      select h.customer_id, t.threshold + sum(h.cost_usd - f.dth) as bound
        from heads h join floors f on f.month = h.month and f.provider = h.provider
       cross join totals t
       group by h.customer_id, t.threshold
    )
    select t.threshold, not exists (select 1 from heads hh where hh.rn = v_depth),
           (select array_agg(b.customer_id order by b.bound desc, b.customer_id) from bounds b),
           (select array_agg(b.bound order by b.bound desc, b.customer_id) from bounds b)
      into v_threshold, v_exhausted, v_candidates, v_bounds
      from totals t;

    -- The best-bounded 2 × p_limit first; then the rest whose bound reaches their p_limit-th.
    select coalesce(array_agg(x.customer_id order by x.cost desc, x.customer_id), '{}'),
           coalesce(array_agg(x.cost order by x.cost desc, x.customer_id), '{}'),
           coalesce(array_agg(x.gens order by x.cost desc, x.customer_id), '{}')
      into v_ids, v_costs, v_generations
      from private.customer_range_costs(v_candidates[1:2 * p_limit], v_pieces.months, v_pieces.lo, v_pieces.hi,
                                        v_pieces.sign, p_provider) x;
    v_floor := case when cardinality(v_ids) >= p_limit then v_costs[p_limit] end;
    if cardinality(v_candidates) > 2 * p_limit then
      select array_agg(x.customer_id order by x.cost desc, x.customer_id),
             array_agg(x.cost order by x.cost desc, x.customer_id),
             array_agg(x.gens order by x.cost desc, x.customer_id)
        into v_ids, v_costs, v_generations
        from (select * from unnest(v_ids, v_costs, v_generations) as k(customer_id, cost, gens)
              union all
              select * from private.customer_range_costs(
                array(select c from unnest(v_candidates[2 * p_limit + 1:], v_bounds[2 * p_limit + 1:]) as u(c, b)
                       where v_floor is null or u.b >= v_floor),
                v_pieces.months, v_pieces.lo, v_pieces.hi, v_pieces.sign, p_provider)) x;
    end if;

    exit when v_exhausted or (cardinality(v_ids) >= p_limit and v_costs[p_limit] > v_threshold);
    v_depth := v_depth * 4;
  end loop;

  return query
    select t.customer_id, t.cost_usd, t.generations
      from unnest(v_ids, v_costs, v_generations) with ordinality as t(customer_id, cost_usd, generations, n)
     where t.n <= p_limit
     order by t.n;
end $$;

-- For finance and admin: in total, per UTC day, per (provider, model) and for the 10
-- customers who cost most. With p_provider, revenue, refunds and cost are that provider's;
-- cash in, breakage and deferred revenue belong to no provider and stay whole.
-- JIT off, as dashboard_metrics (75_dashboard_metrics.sql): compiling cost more than reading.
create or replace function public.finance_metrics(p_from date, p_to date, p_provider text default null)
returns json language plpgsql stable security definer set search_path = '' set jit = off as $$
declare
  v_result json;
begin
  if not private.has_role('admin', 'finance') then
    perform private.raise_forbidden('Only finance and admin staff may read the margin figures.');
  end if;
  if p_from is null or p_to is null then
    perform private.raise_bad_input('Give both ends of the date range (p_from and p_to).');
  end if;
  if p_from > p_to then
    perform private.raise_bad_input(format('The range starts (%s) after it ends (%s).', p_from, p_to));
  end if;
  if p_to - p_from > 731 then
    perform private.raise_bad_input('The range is longer than two years; choose a shorter one.');
  end if;

  with fin as (
    select day, provider, model, cash_in_usd, credits_bought, paid_credited_usd, revenue_usd, refunded_usd,
           breakage_usd, adjusted_usd
      from public.finance_daily_stats
    union all
    select day, provider, model, cash_in_usd, credits_bought, paid_credited_usd, revenue_usd, refunded_usd,
           breakage_usd, adjusted_usd
      from public.finance_daily_deltas
  ), in_range as (
    select * from fin where day between p_from and p_to
  ), revenue as (
    select day, provider, model, sum(revenue_usd) as revenue, sum(refunded_usd) as refunded
      from in_range where p_provider is null or provider = p_provider
     group by 1, 2, 3
  ), cost as (
    -- The generation rollup plus its unfolded tail (70_rollups.sql), like dashboard_metrics.
    select day, provider, model, sum(cost_usd) as cost, sum(calls) as generations
      from (select day, provider, model, cost_usd, calls from public.generation_daily_models
            union all select day, provider, model, cost_usd, calls from public.generation_daily_deltas) s
     where day between p_from and p_to and (p_provider is null or provider = p_provider)
     group by 1, 2, 3
  ), per_model as (
    select coalesce(r.day, c.day) as day, coalesce(r.provider, c.provider) as provider,
           coalesce(r.model, c.model) as model,
           coalesce(r.revenue, 0) - coalesce(r.refunded, 0) as revenue, coalesce(r.refunded, 0) as refunded,
           coalesce(c.cost, 0) as cost, coalesce(c.generations, 0) as generations
      from revenue r full join cost c on c.day = r.day and c.provider = r.provider and c.model = r.model
  ), money as (
    select sum(cash_in_usd) as cash_in, sum(credits_bought) as credits_bought, sum(breakage_usd) as breakage,
           sum(adjusted_usd) as adjusted
      from in_range
  ), deferred as (
    select sum(paid_credited_usd) - sum(revenue_usd) + sum(refunded_usd) - sum(breakage_usd) - sum(adjusted_usd) as deferred
      from fin where day <= p_to
  ), totals as (
    select sum(revenue) as revenue, sum(refunded) as refunded, sum(cost) as cost from per_model
  ), top as (
    -- From the per-customer rollups (70_rollups.sql), kept in the generation trigger under
    -- the customer's lock: exact at every moment, no tail to add.
    select t.customer_id, t.cost_usd as cost, t.generations
      from private.top_customers_by_cost(p_from, p_to, p_provider, 10) t
  ), top_revenue as (
    -- Through the customers' paid blocks and their draws (a draw is always from its entry's
    -- customer's block), not through every ledger entry of the customers: ~21,000 entries
    -- for the bench's top 10 of which none drew a paid block.
    select b.customer_id,
           sum(d.amount * b.unit_price_usd) as revenue
      from top t
      join public.credit_blocks b on b.customer_id = t.customer_id and b.kind = 'paid'
      join public.credit_block_draws d on d.block_id = b.id
       and d.created_at >= p_from::timestamp at time zone 'UTC' and d.created_at < (p_to + 1)::timestamp at time zone 'UTC'
      join public.credit_transactions tx on tx.id = d.transaction_id and tx.type in ('spend', 'refund')
       and (p_provider is null or tx.provider = p_provider)
     group by b.customer_id
  )
  select json_build_object(
    'from', p_from, 'to', p_to, 'provider', p_provider,
    'totals', json_build_object(
      'cash_in_usd', round(coalesce(m.cash_in, 0), 2),
      'credits_bought', coalesce(m.credits_bought, 0),
      'revenue_usd', round(coalesce(t.revenue, 0), 2),
      'refunds_usd', round(coalesce(t.refunded, 0), 2),
      'breakage_usd', round(coalesce(m.breakage, 0), 2),
      'provider_cost_usd', round(coalesce(t.cost, 0), 2),
      'gross_margin_usd', round(coalesce(t.revenue, 0) - coalesce(t.cost, 0), 2),
      'margin_pct', case when coalesce(t.revenue, 0) > 0
                         then round(100 * (t.revenue - coalesce(t.cost, 0)) / t.revenue, 1) end,
      'deferred_revenue_usd', round(coalesce(d.deferred, 0), 2)),
    'daily', coalesce((
      select json_agg(json_build_object('day', x.day::date, 'cash_in_usd', round(coalesce(x.cash_in, 0), 2),
               'revenue_usd', round(x.revenue, 2), 'cost_usd', round(x.cost, 2),
               'margin_usd', round(x.revenue - x.cost, 2), 'breakage_usd', round(coalesce(x.breakage, 0), 2))
             order by x.day)
        from (select s.day, sum(pm.revenue) as revenue, sum(pm.cost) as cost,
                     (select sum(cash_in_usd) from in_range i where i.day = s.day) as cash_in,
                     (select sum(breakage_usd) from in_range i where i.day = s.day) as breakage
                from generate_series(p_from::timestamp, p_to::timestamp, interval '1 day') as s(day)
                left join per_model pm on pm.day = s.day::date
               group by s.day) x
    ), '[]'),
    'by_model', coalesce((
      select json_agg(json_build_object('provider', y.provider, 'model', y.model, 'generations', y.generations,
               'revenue_usd', round(y.revenue, 2), 'refunds_usd', round(y.refunded, 2), 'cost_usd', round(y.cost, 2),
               'margin_usd', round(y.revenue - y.cost, 2),
               'margin_pct', case when y.revenue > 0 then round(100 * (y.revenue - y.cost) / y.revenue, 1) end)
             order by y.revenue - y.cost desc, y.provider, y.model)
        from (select provider, model, sum(revenue) as revenue, sum(refunded) as refunded, sum(cost) as cost,
                     sum(generations) as generations
                from per_model group by provider, model) y
    ), '[]'),
    'top_customers', coalesce((
      select json_agg(json_build_object('customer_id', tp.customer_id, 'email', c.email, 'generations', tp.generations,
               'cost_usd', round(tp.cost, 2), 'revenue_usd', round(coalesce(tr.revenue, 0), 2),
               'margin_usd', round(coalesce(tr.revenue, 0) - tp.cost, 2))
             order by tp.cost desc, tp.customer_id)
        from top tp join public.customers c on c.id = tp.customer_id
        left join top_revenue tr on tr.customer_id = tp.customer_id
    ), '[]'))
    into v_result
    from money m cross join totals t cross join deferred d;
  return v_result;
end $$;

-- The tables CreditDesk creates. Anything else in `public` belongs to someone else (the
-- consumer product shares the Supabase project) or to the legacy schema.
-- test/db/health.test.ts checks this list against every `create table` in supabase/schemas.
create or replace function private.creditdesk_tables()
returns text[] language sql immutable set search_path = '' as $$
  select array['staff', 'customers', 'sessions', 'generations', 'feedback', 'credit_transactions',
               'generation_types', 'admin_sessions', 'admin_audit', 'runtime_config', 'app_config',
               'generation_daily_stats', 'generation_daily_models', 'ledger_daily_stats', 'customer_daily_activity',
               'customer_activity_keys', 'customer_activity_bitmaps', 'customer_activity_period_bitmaps',
               'credit_blocks', 'credit_block_draws', 'finance_daily_stats', 'finance_daily_deltas',
               'generation_daily_deltas', 'ledger_daily_deltas', 'customer_activity_changes',
               'customer_monthly_costs']
$$;

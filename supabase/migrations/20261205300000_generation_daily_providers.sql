-- Issue 15, the dashboards' read budget at full size (item 1).
-- A per-provider rollup, generation_daily_models summed over models, one row per (UTC day,
-- provider), kept by the fold from the same deltas in the same statement as the other
-- generation rollups. dashboard_metrics reads its totals, `daily` and `daily_by_provider`
-- from it (720 rows for 180 days at bench scale) and only `by_provider_model` from the
-- per-model rows, instead of grouping the 1,620 per-model rows once and every figure again
-- from that; finance_metrics reads its daily cost from it, and groups revenue and cost per day
-- and per (provider, model) once each instead of per (day, provider, model) first; the top
-- customers' provider lists read it too. Backfilled from generation_daily_models while no fold
-- runs (the fold's advisory lock), so the deltas not yet folded reach every rollup through the
-- new fold, none twice.
-- Also private.rebuild_finance_rollups (76_finance_metrics.sql): finance_daily_stats from the
-- blocks and draws, for a load that bypassed the triggers (the bench data set has blocks now).

select pg_advisory_xact_lock(hashtext('creditdesk.fold_dashboard_rollups'));

-- generation_daily_models summed over models, one row per (UTC day, provider) (20261205300000):
-- what dashboard_metrics' totals, `daily` and `daily_by_provider` and finance_metrics' daily
-- cost add up. For 180 days at bench scale that is 720 rows instead of 1,620 grouped again
-- for each of those figures (the grouping of numeric sums was ~9-16 ms of the 180-day
-- dashboard's ~20 through PostgREST). Only the columns those figures read. Written only by
-- the fold, from the same deltas in the same statement as the other two, so the three always
-- agree and no writer waits on it; readers add the unfolded tail.
create table public.generation_daily_providers (
  day date not null,
  provider text not null,
  calls bigint not null default 0,
  succeeded bigint not null default 0,
  failed bigint not null default 0,
  cost_usd numeric(18, 6) not null default 0,
  primary key (day, provider)
);

create index generation_daily_providers_emptied_idx
  on public.generation_daily_providers (day) where calls = 0;
alter table public.generation_daily_providers enable row level security;
-- Read-only for the service role, like the other rollups (99_grants.sql).
revoke all on public.generation_daily_providers from anon, authenticated, service_role;
grant select on public.generation_daily_providers to service_role;

insert into public.generation_daily_providers (day, provider, calls, succeeded, failed, cost_usd)
select day, provider, sum(calls), sum(succeeded), sum(failed), sum(cost_usd)
  from public.generation_daily_models group by 1, 2;

create or replace function private.clear_generation_rollups()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  delete from public.generation_daily_stats where true;
  delete from public.generation_daily_models where true;
  delete from public.generation_daily_providers where true;
  delete from public.generation_daily_deltas where true;
  delete from public.customer_daily_activity where true;
  delete from public.customer_monthly_costs where true;
  delete from public.customer_activity_changes where true;
  delete from public.customer_activity_bitmaps where true;
  delete from public.customer_activity_period_bitmaps where true;
  return null;
end $$;

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
  delete from public.generation_daily_providers where true;
  insert into public.generation_daily_providers (day, provider, calls, succeeded, failed, cost_usd)
  select day, provider, sum(calls), sum(succeeded), sum(failed), sum(cost_usd)
    from public.generation_daily_models group by 1, 2;

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
  ), by_provider as (
    insert into public.generation_daily_providers as s (day, provider, calls, succeeded, failed, cost_usd)
    select day, provider, sum(calls), coalesce(sum(calls) filter (where status = 'succeeded'), 0),
           coalesce(sum(calls) filter (where status = 'failed'), 0), sum(cost_usd)
      from d group by day, provider
     order by day, provider
    on conflict (day, provider) do update set
      calls = s.calls + excluded.calls, succeeded = s.succeeded + excluded.succeeded,
      failed = s.failed + excluded.failed, cost_usd = s.cost_usd + excluded.cost_usd
  ), monthly as (
    -- The same deltas per customer ("The monthly costs" above): taken and added in one
    -- statement, so each is counted once, here or in a reader's tail.
    insert into public.customer_monthly_costs as m (customer_id, month, provider, cost_usd, generations)
    select customer_id, date_trunc('month', day)::date, provider, sum(cost_usd), sum(calls)
      from d group by 1, 2, 3
    having sum(calls) <> 0 or sum(cost_usd) <> 0
     order by 1, 2, 3
    on conflict (customer_id, month, provider) do update
      set cost_usd = m.cost_usd + excluded.cost_usd, generations = m.generations + excluded.generations
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
  delete from public.generation_daily_providers where calls = 0;

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
      'daily_by_model', (select json_build_object(
                                  'day', coalesce(array_agg(x.day order by x.day, x.model), '{}'),
                                  'model', coalesce(array_agg(x.model order by x.day, x.model), '{}'),
                                  'calls', coalesce(array_agg(x.calls order by x.day, x.model), '{}'),
                                  'cost_usd', coalesce(array_agg(x.cost_usd order by x.day, x.model), '{}'))
                           from (select day, model, sum(calls) as calls, trim_scale(round(sum(cost_usd), 6)) as cost_usd
                                   from (select day, provider, model, calls, cost_usd from public.generation_daily_models
                                         union all
                                         select day, provider, model, calls, cost_usd from public.generation_daily_deltas) s
                                  where day between p_from and p_to and provider = p_models_of
                                  group by day, model
                                 having sum(calls) <> 0) x));
  end if;
  v_prev_to := p_from - 1;
  v_prev_from := p_from - v_days;

  with tail as materialized (
    -- The unfolded deltas of the range (what was written since the last fold: a few rows),
    -- read once; their statuses become the rollups' columns here.
    select day, provider, model, calls, case when status = 'succeeded' then calls else 0 end as succeeded,
           case when status = 'failed' then calls else 0 end as failed, credits_charged, cost_usd,
           latency_ms_sum, latency_count
      from public.generation_daily_deltas
     where day between p_from and p_to
  ), by_day_provider as materialized (
    -- Every provider: `providers` lists them all whatever p_provider. The per-provider rollup
    -- (720 rows for 180 days at bench scale, 70_rollups.sql) plus the tail; a key the tail
    -- brought to 0 holds no generation any more, as after the fold.
    select day, provider, sum(calls) as calls, sum(succeeded) as succeeded, sum(failed) as failed,
           sum(cost_usd) as cost_usd
      from (select day, provider, calls, succeeded, failed, cost_usd from public.generation_daily_providers
             where day between p_from and p_to
            union all
            select day, provider, calls, succeeded, failed, cost_usd from tail) s
     group by day, provider
    having sum(calls) <> 0
  ), gen as materialized (
    select * from by_day_provider where p_provider is null or provider = p_provider
  ), gen_day as materialized (
    select day, sum(calls) as calls, sum(succeeded) as succeeded, sum(failed) as failed, sum(cost_usd) as cost_usd
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
    'previous_generations', (select coalesce(sum(calls), 0) from (select day, provider, calls from public.generation_daily_providers
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
    'providers', (select coalesce(json_agg(distinct provider order by provider), '[]'::json) from by_day_provider),
    -- Columnar (20261204400000): one array per field, the rows' order in each; the client's
    -- decoder (src/dashboards/columns.ts) turns them back into rows. Each order ends in the
    -- rows' key, so every array of a table lists the rows in the same order.
    'by_provider_model', (select json_build_object(
        'provider', coalesce(array_agg(x.provider order by x.n), '{}'),
        'model', coalesce(array_agg(x.model order by x.n), '{}'),
        'calls', coalesce(array_agg(x.calls order by x.n), '{}'),
        'failures', coalesce(array_agg(x.failures order by x.n), '{}'),
        'successes', coalesce(array_agg(x.successes order by x.n), '{}'),
        'cost_usd', coalesce(array_agg(x.cost_usd order by x.n), '{}'),
        'credits_charged', coalesce(array_agg(x.credits_charged order by x.n), '{}'),
        'avg_latency_ms', coalesce(array_agg(x.avg_latency_ms order by x.n), '{}'))
      from (select y.*, row_number() over (order by y.cost_usd desc, y.calls desc, y.provider, y.model) as n
              from (select provider, model, sum(calls) as calls,
                           coalesce(sum(failed), 0) as failures,
                           coalesce(sum(succeeded), 0) as successes,
                           trim_scale(round(sum(cost_usd), 6)) as cost_usd,
                           sum(credits_charged) as credits_charged,
                           case when sum(latency_count) > 0 then round(sum(latency_ms_sum)::numeric / sum(latency_count)) end as avg_latency_ms
                      from (select provider, model, calls, succeeded, failed, credits_charged, cost_usd,
                                   latency_ms_sum, latency_count
                              from public.generation_daily_models
                             where day between p_from and p_to and (p_provider is null or provider = p_provider)
                            union all
                            select provider, model, calls, succeeded, failed, credits_charged, cost_usd,
                                   latency_ms_sum, latency_count
                              from tail where p_provider is null or provider = p_provider) m
                     group by provider, model
                    having sum(calls) <> 0) y) x),
    'daily', (select json_build_object(
        'day', array_agg(x.day order by x.day),
        'generations', array_agg(x.generations order by x.day),
        'succeeded', array_agg(x.succeeded order by x.day),
        'failed', array_agg(x.failed order by x.day),
        'other', array_agg(x.other order by x.day),
        'cost_usd', array_agg(x.cost_usd order by x.day),
        'success_rate', array_agg(x.success_rate order by x.day),
        'refunds', array_agg(x.refunds order by x.day),
        'refund_credits', array_agg(x.refund_credits order by x.day),
        'credits_spent', array_agg(x.credits_spent order by x.day),
        'credits_bought', array_agg(x.credits_bought order by x.day))
      from (select d.day, coalesce(g.calls, 0) as generations, coalesce(g.succeeded, 0) as succeeded,
                   coalesce(g.failed, 0) as failed, coalesce(g.calls - g.succeeded - g.failed, 0) as other,
                   coalesce(trim_scale(round(g.cost_usd, 6)), 0) as cost_usd,
                   case when g.calls > 0 then trim_scale(round(g.succeeded::numeric / g.calls, 4)) end as success_rate,
                   coalesce(ld.refunds, 0) as refunds, coalesce(ld.refund_credits, 0) as refund_credits,
                   coalesce(ld.credits_spent, 0) as credits_spent, coalesce(ld.credits_bought, 0) as credits_bought
              from days d
              left join gen_day g on g.day = d.day
              left join led_day ld on ld.day = d.day) x),
    'daily_by_provider', (select json_build_object(
        'day', coalesce(array_agg(x.day order by x.day, x.provider), '{}'),
        'provider', coalesce(array_agg(x.provider order by x.day, x.provider), '{}'),
        'calls', coalesce(array_agg(x.calls order by x.day, x.provider), '{}'),
        'cost_usd', coalesce(array_agg(x.cost_usd order by x.day, x.provider), '{}'))
      from (select day, provider, calls, trim_scale(round(cost_usd, 6)) as cost_usd from gen) x)
  ) into v_result
  from totals t, ledger l;
  return v_result;
end $$;

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
      -- those lists only. The providers from the per-provider generation rollup and its tail
      -- (720 rows for 180 days at bench scale; a skip scan down the rank index cost more,
      -- ~1 ms a probe).
      select mo.month, pr.provider
        from months mo
       cross join (select s.provider from public.generation_daily_providers s
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
    ), tail as (
      -- What the fold has yet to add to the lists, per customer.
      select d.customer_id, sum(d.cost_usd) as cost_usd
        from public.generation_daily_deltas d
        join lists l on l.month = date_trunc('month', d.day)::date and l.provider = d.provider
       where d.day between date_trunc('month', p_from)::date
                       and (date_trunc('month', p_to) + interval '1 month')::date - 1
       group by d.customer_id
    ), bounds as (
      select x.customer_id, t.threshold + sum(x.above) as bound
        from (select h.customer_id, h.cost_usd - f.dth as above
                from heads h join floors f on f.month = h.month and f.provider = h.provider
              union all
              select tl.customer_id, tl.cost_usd from tail tl) x
       cross join totals t
       group by x.customer_id, t.threshold
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
  ), in_range as materialized (
    select * from fin where day between p_from and p_to
  ), tail as materialized (
    -- The generation rollups' unfolded tail (70_rollups.sql), like dashboard_metrics: read once.
    select day, provider, model, calls, cost_usd from public.generation_daily_deltas
     where day between p_from and p_to and (p_provider is null or provider = p_provider)
  ), rev_day as (
    select day, sum(revenue_usd) - sum(refunded_usd) as revenue
      from in_range where p_provider is null or provider = p_provider
     group by day
  ), money_day as (
    select day, sum(cash_in_usd) as cash_in, sum(breakage_usd) as breakage from in_range group by day
  ), cost_day as (
    -- Per day from the (day, provider) rollup: 720 rows for 180 days at bench scale, not the
    -- 1,620 (day, provider, model) rows (20261205300000).
    select day, sum(cost_usd) as cost
      from (select day, calls, cost_usd from public.generation_daily_providers
             where day between p_from and p_to and (p_provider is null or provider = p_provider)
            union all select day, calls, cost_usd from tail) s
     group by day
    having sum(calls) <> 0
  ), by_model as (
    -- Revenue and cost per (provider, model) over the range: each side grouped once, then
    -- joined (a (provider, model) with only one of them has 0 of the other).
    select coalesce(r.provider, c.provider) as provider, coalesce(r.model, c.model) as model,
           coalesce(r.revenue, 0) - coalesce(r.refunded, 0) as revenue, coalesce(r.refunded, 0) as refunded,
           coalesce(c.cost, 0) as cost, coalesce(c.generations, 0) as generations
      from (select provider, model, sum(revenue_usd) as revenue, sum(refunded_usd) as refunded
              from in_range where p_provider is null or provider = p_provider
             group by provider, model) r
      full join (select provider, model, sum(cost_usd) as cost, sum(calls) as generations
                   from (select provider, model, calls, cost_usd from public.generation_daily_models
                          where day between p_from and p_to and (p_provider is null or provider = p_provider)
                         union all select provider, model, calls, cost_usd from tail) s
                  group by provider, model
                 having sum(calls) <> 0) c
        on c.provider = r.provider and c.model = r.model
  ), money as (
    select sum(cash_in_usd) as cash_in, sum(credits_bought) as credits_bought, sum(breakage_usd) as breakage,
           sum(adjusted_usd) as adjusted
      from in_range
  ), deferred as (
    select sum(paid_credited_usd) - sum(revenue_usd) + sum(refunded_usd) - sum(breakage_usd) - sum(adjusted_usd) as deferred
      from fin where day <= p_to
  ), totals as (
    select sum(revenue) as revenue, sum(refunded) as refunded, sum(cost) as cost from by_model
  ), top as (
    -- From the per-customer monthly rollups, which the fold keeps (70_rollups.sql, "The
    -- monthly costs"); top_customers_by_cost adds the unfolded deltas, so exact at every moment.
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
    -- Columnar (20261204400000), as dashboard_metrics: one array per field, the rows' order
    -- in each (ending in the rows' key); src/dashboards/columns.ts turns them back into rows.
    'daily', (
      select json_build_object(
               'day', array_agg(x.day::date order by x.day),
               'cash_in_usd', array_agg(round(coalesce(x.cash_in, 0), 2) order by x.day),
               'revenue_usd', array_agg(round(x.revenue, 2) order by x.day),
               'cost_usd', array_agg(round(x.cost, 2) order by x.day),
               'margin_usd', array_agg(round(x.revenue - x.cost, 2) order by x.day),
               'breakage_usd', array_agg(round(coalesce(x.breakage, 0), 2) order by x.day))
        -- A day with neither revenue nor cost rows has null for both (no figure, not 0).
        from (select s.day,
                     case when r.day is not null or c.day is not null then coalesce(r.revenue, 0) end as revenue,
                     case when r.day is not null or c.day is not null then coalesce(c.cost, 0) end as cost,
                     m.cash_in, m.breakage
                from generate_series(p_from::timestamp, p_to::timestamp, interval '1 day') as s(day)
                left join rev_day r on r.day = s.day::date
                left join cost_day c on c.day = s.day::date
                left join money_day m on m.day = s.day::date) x),
    'by_model', (
      select json_build_object(
               'provider', coalesce(array_agg(y.provider order by y.n), '{}'),
               'model', coalesce(array_agg(y.model order by y.n), '{}'),
               'generations', coalesce(array_agg(y.generations order by y.n), '{}'),
               'revenue_usd', coalesce(array_agg(round(y.revenue, 2) order by y.n), '{}'),
               'refunds_usd', coalesce(array_agg(round(y.refunded, 2) order by y.n), '{}'),
               'cost_usd', coalesce(array_agg(round(y.cost, 2) order by y.n), '{}'),
               'margin_usd', coalesce(array_agg(round(y.revenue - y.cost, 2) order by y.n), '{}'),
               'margin_pct', coalesce(array_agg(case when y.revenue > 0 then round(100 * (y.revenue - y.cost) / y.revenue, 1) end
                                                order by y.n), '{}'))
        from (select z.*, row_number() over (order by z.revenue - z.cost desc, z.provider, z.model) as n
                from by_model z) y),
    'top_customers', (
      select json_build_object(
               'customer_id', coalesce(array_agg(tp.customer_id order by tp.cost desc, tp.customer_id), '{}'),
               'email', coalesce(array_agg(c.email order by tp.cost desc, tp.customer_id), '{}'),
               'generations', coalesce(array_agg(tp.generations order by tp.cost desc, tp.customer_id), '{}'),
               'cost_usd', coalesce(array_agg(round(tp.cost, 2) order by tp.cost desc, tp.customer_id), '{}'),
               'revenue_usd', coalesce(array_agg(round(coalesce(tr.revenue, 0), 2) order by tp.cost desc, tp.customer_id), '{}'),
               'margin_usd', coalesce(array_agg(round(coalesce(tr.revenue, 0) - tp.cost, 2)
                                                order by tp.cost desc, tp.customer_id), '{}'))
        from top tp join public.customers c on c.id = tp.customer_id
        left join top_revenue tr on tr.customer_id = tp.customer_id))
    into v_result
    from money m cross join totals t cross join deferred d;
  return v_result;
end $$;

create or replace function private.creditdesk_tables()
returns text[] language sql immutable set search_path = '' as $$
  select array['staff', 'customers', 'sessions', 'generations', 'feedback', 'credit_transactions',
               'generation_types', 'admin_sessions', 'admin_audit', 'runtime_config', 'app_config',
               'generation_daily_stats', 'generation_daily_models', 'generation_daily_providers', 'ledger_daily_stats', 'customer_daily_activity',
               'customer_activity_keys', 'customer_activity_bitmaps', 'customer_activity_period_bitmaps',
               'credit_blocks', 'credit_block_draws', 'finance_daily_stats', 'finance_daily_deltas',
               'generation_daily_deltas', 'ledger_daily_deltas', 'customer_activity_changes',
               'customer_monthly_costs', 'customer_balances']
$$;

create or replace function private.rebuild_finance_rollups()
returns void language plpgsql security definer set search_path = '' as $$
begin
  -- Writers of blocks and draws wait meanwhile, so none of their deltas is lost or doubled;
  -- and the fold waits (or is waited for): it writes the same rows.
  lock table public.credit_blocks, public.credit_block_draws in share row exclusive mode;
  perform pg_advisory_xact_lock(hashtext('creditdesk.finance_fold'));
  delete from public.finance_daily_deltas where true;
  delete from public.finance_daily_stats where true;
  insert into public.finance_daily_stats (day, provider, model, cash_in_usd, credits_bought, paid_credited_usd,
    revenue_usd, refunded_usd, breakage_usd, adjusted_usd)
  select day, provider, model, sum(cash_in), sum(bought), sum(credited), sum(revenue), sum(refunded),
         sum(breakage), sum(adjusted)
    from (select (b.created_at at time zone 'UTC')::date as day, '' as provider, '' as model,
                 b.amount_usd as cash_in, b.original as bought, b.original * b.unit_price_usd as credited,
                 0 as revenue, 0 as refunded, 0 as breakage, 0 as adjusted
            from public.credit_blocks b where b.kind = 'paid'
          union all
          select (d.created_at at time zone 'UTC')::date, coalesce(t.provider, ''), coalesce(g.model, ''), 0, 0, 0,
                 case when t.type = 'spend' then d.amount * b.unit_price_usd else 0 end,
                 case when t.type = 'refund' then -d.amount * b.unit_price_usd else 0 end,
                 case when t.type = 'expiry' then d.amount * b.unit_price_usd else 0 end,
                 case when t.type not in ('spend', 'refund', 'expiry') then d.amount * b.unit_price_usd else 0 end
            from public.credit_block_draws d
            join public.credit_blocks b on b.id = d.block_id and b.kind = 'paid'
            join public.credit_transactions t on t.id = d.transaction_id
            left join public.generations g on t.ref_type = 'generation' and g.id = t.ref_id) x
   group by day, provider, model;
end $$;
revoke all on function private.rebuild_finance_rollups() from public;

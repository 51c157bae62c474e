-- What the dashboard reads: public.dashboard_metrics, the figures of a UTC date range from
-- the rollups only (70_rollups.sql), and the active-customer count it takes from the bitmaps.

-- The pieces covering [p_from, p_to]: at each uncovered day the largest of its month, its
-- ISO week and the day itself that lies inside the range.
create or replace function private.activity_cover(p_from date, p_to date)
returns table (grain text, start date)
language plpgsql immutable set search_path = '' as $$
declare
  d date := p_from;
  m date;
  w date;
begin
  while d <= p_to loop
    m := date_trunc('month', d)::date;
    w := date_trunc('week', d)::date;
    if m >= p_from and (m + interval '1 month')::date - 1 <= p_to then
      grain := 'month'; start := m; d := (m + interval '1 month')::date;
    elsif w >= p_from and w + 6 <= p_to then
      grain := 'week'; start := w; d := w + 7;
    else
      grain := 'day'; start := d; d := d + 1;
    end if;
    return next;
  end loop;
end $$;

-- Set bits of the OR of the bitmaps covering the range (bit_or wants equal lengths, so each
-- is padded to the widest). Materialized CTEs compute the width once and read each bitmap
-- once: without them the planner, expecting one row, re-ran max(length(bits)) for each row
-- of the join (14,400 detoasts, 330 ms, for 30 days at 200,000 customers).
create or replace function private.active_customers(p_from date, p_to date, p_provider text)
returns bigint language plpgsql stable set search_path = '' as $$
begin
  return (
    with c as materialized (
      select * from private.activity_cover(p_from, p_to)
    ), b as materialized (
      select p.bits from c join public.customer_activity_period_bitmaps p
          on p.grain = c.grain and p.start = c.start and p.provider = coalesce(p_provider, '*')
       where p_provider is null or c.grain <> 'day'
      union all
      select d.bits from c join public.customer_activity_bitmaps d
          on c.grain = 'day' and d.day = c.start and d.provider = p_provider
       where p_provider is not null
    ), w as materialized (
      select max(length(bits)) as n from b
    ), u as materialized (
      select coalesce(bit_or(b.bits || repeat('0', w.n - length(b.bits))::varbit), ''::varbit) as bits
        from b cross join w
    ), pending as materialized (
      select t.customer_id, k.key,
             exists (select 1 from public.customer_daily_activity a
                      where a.customer_id = t.customer_id and a.day between p_from and p_to
                        and (p_provider is null or a.provider = p_provider) and a.generations > 0) as active
        from (select distinct customer_id from public.customer_activity_changes
               where day between p_from and p_to and (p_provider is null or provider = p_provider)) t
        left join public.customer_activity_keys k on k.customer_id = t.customer_id
    )
    select coalesce(bit_count(u.bits), 0)
           - (select count(*) from pending p
               where p.key is not null and p.key < length(u.bits) and get_bit(u.bits, p.key) = 1)
           + (select count(*) from pending p where p.active)
      from u
  );
end $$;

-- Dashboard figures for a UTC date range (inclusive). Each figure reads the coarsest rollup
-- that holds it (20261205300000): the totals, `daily` and `daily_by_provider` the (day,
-- provider) rows (720 for 180 days at bench scale), only `by_provider_model` the (day,
-- provider, model) rows (1,620), once. Before, one pass summed the 1,620 rows per (day,
-- provider, model) and every figure grouped that result again (and before 20261203300100,
-- 8,094 rows of generation_daily_stats). The unfolded tail is read once and added to each.
-- The ledger rollup is summed per day once and the totals come from the days.
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

-- Issue 15: dashboard_metrics stops shipping every model's daily series (`daily_by_model`,
-- 263 kB of the 180-day answer at bench scale, most of its time through PostgREST). The
-- drill-down asks for one provider's models with the new p_models_of parameter, and gets only
-- those. A parameter rather than a new RPC: the same callers, the same checks, and the access
-- contract (private.client_definer_contract) lists RPCs by name, so it stays as it is.
-- PostgREST cannot choose between two overloads that differ by a defaulted argument, so the
-- three-argument function goes and the four-argument one takes its grants.
drop function public.dashboard_metrics(date, date, text);

-- Dashboard figures for a UTC date range (inclusive). The rollups are read once: one pass
-- folds the statuses into (day, provider, model) rows and every figure is derived from those
-- (180 days are ~8,100 generation_daily_stats rows; summing them six times cost ~17 ms), the
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
                                   from (select day, provider, model, calls, cost_usd from public.generation_daily_stats
                                         union all
                                         select day, provider, model, calls, cost_usd from public.generation_daily_deltas) s
                                  where day between p_from and p_to and provider = p_models_of
                                  group by day, model
                                 having sum(calls) <> 0) x));
  end if;
  v_prev_to := p_from - 1;
  v_prev_from := p_from - v_days;

  with base as materialized (
    -- Every provider: `providers` lists them all whatever p_provider.
    select day, provider, model, sum(calls) as calls,
           sum(calls) filter (where status = 'succeeded') as succeeded,
           sum(calls) filter (where status = 'failed') as failed,
           sum(cost_usd) as cost_usd, sum(credits_charged) as credits_charged,
           sum(latency_ms_sum) as latency_ms_sum, sum(latency_count) as latency_count
      from (select day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum, latency_count, refunded from public.generation_daily_stats
              union all select day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum, latency_count, refunded from public.generation_daily_deltas) s
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
    'previous_generations', (select coalesce(sum(calls), 0) from (select day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum, latency_count, refunded from public.generation_daily_stats
              union all select day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum, latency_count, refunded from public.generation_daily_deltas) s
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

revoke all on function public.dashboard_metrics(date, date, text, text) from public, anon, authenticated, service_role;
grant execute on function public.dashboard_metrics(date, date, text, text) to authenticated;

-- The generation rollup trigger with static statements, one per operation, instead of one
-- statement built per operation and run with EXECUTE: PL/pgSQL keeps a static statement's plan
-- for the session, EXECUTE parsed and planned the statement on every write (twice per charged
-- generation: its insert, then consume_credits' update of credits_charged). Same deltas, same
-- triggers; see 70_rollups.sql for the figures.

create or replace function private.rollup_generations()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' then
    with src as materialized (
      select (created_at at time zone 'UTC')::date as day, provider, coalesce(model, '') as model,
             status, customer_id, credits_charged, cost_usd, latency_ms, refunded_at
        from new_rows
    ), stats as (
      insert into public.generation_daily_deltas
        (day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum, latency_count, refunded)
      select day, provider, model, status, count(*), sum(credits_charged), sum(cost_usd),
             coalesce(sum(latency_ms), 0), count(latency_ms), count(refunded_at)
        from src group by day, provider, model, status
    ), activity as (
      -- Key order, so two bulk statements over many customers cannot deadlock here.
      insert into public.customer_daily_activity as a (day, provider, customer_id, generations)
      select day, provider, customer_id, count(*)
        from src group by day, provider, customer_id
       order by day, provider, customer_id
      on conflict (day, provider, customer_id) do update set generations = a.generations + excluded.generations
      returning day, provider, customer_id, xmax = 0 as inserted
    )
    -- A new row (xmax = 0): the customer's bit for that day changes. Further generations of a
    -- customer already active that day append nothing.
    insert into public.customer_activity_changes (day, provider, customer_id)
    select day, provider, customer_id from activity where inserted;
    return null;
  elsif tg_op = 'DELETE' then
    -- The insert's statement negated (a statement naming new_rows cannot even be parsed in a
    -- delete's trigger): a count that drops to 0 clears the customer's bit for that day.
    with src as materialized (
      select (created_at at time zone 'UTC')::date as day, provider, coalesce(model, '') as model,
             status, customer_id, credits_charged, cost_usd, latency_ms, refunded_at
        from old_rows
    ), stats as (
      insert into public.generation_daily_deltas
        (day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum, latency_count, refunded)
      select day, provider, model, status, -count(*), -sum(credits_charged), -sum(cost_usd),
             -coalesce(sum(latency_ms), 0), -count(latency_ms), -count(refunded_at)
        from src group by day, provider, model, status
    ), activity as (
      insert into public.customer_daily_activity as a (day, provider, customer_id, generations)
      select day, provider, customer_id, -count(*)
        from src group by day, provider, customer_id
       order by day, provider, customer_id
      on conflict (day, provider, customer_id) do update set generations = a.generations + excluded.generations
      returning day, provider, customer_id, generations > 0 as active
    )
    insert into public.customer_activity_changes (day, provider, customer_id)
    select day, provider, customer_id from activity where not active;
    delete from public.customer_daily_activity where generations = 0;
    return null;
  end if;

  -- An update: its old images signed -1, its new ones +1.
  with src as materialized (
    select sign, (created_at at time zone 'UTC')::date as day, provider, coalesce(model, '') as model,
           status, customer_id, credits_charged, cost_usd, latency_ms, refunded_at
      from (select -1 as sign, o.created_at, o.provider, o.model, o.status, o.customer_id,
                   o.credits_charged, o.cost_usd, o.latency_ms, o.refunded_at
              from old_rows o
            union all
            select 1, n.created_at, n.provider, n.model, n.status, n.customer_id,
                   n.credits_charged, n.cost_usd, n.latency_ms, n.refunded_at
              from new_rows n) r
  ), stats as (
    insert into public.generation_daily_deltas
      (day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum, latency_count, refunded)
    select day, provider, model, status, sum(sign), sum(sign * credits_charged), sum(sign * cost_usd),
           coalesce(sum(sign * latency_ms), 0), coalesce(sum(sign) filter (where latency_ms is not null), 0),
           coalesce(sum(sign) filter (where refunded_at is not null), 0)
      from src group by day, provider, model, status
    having sum(sign) <> 0 or sum(sign * credits_charged) <> 0 or sum(sign * cost_usd) <> 0
        or coalesce(sum(sign * latency_ms), 0) <> 0
        or coalesce(sum(sign) filter (where latency_ms is not null), 0) <> 0
        or coalesce(sum(sign) filter (where refunded_at is not null), 0) <> 0
  ), activity as (
    insert into public.customer_daily_activity as a (day, provider, customer_id, generations)
    select day, provider, customer_id, sum(sign)
      from src group by day, provider, customer_id
    having sum(sign) <> 0
     order by day, provider, customer_id
    on conflict (day, provider, customer_id) do update set generations = a.generations + excluded.generations
    returning day, provider, customer_id, generations > 0 as active, xmax = 0 as inserted
  )
  -- A new row or one that dropped to 0 (rows at 0 are deleted right after): the customer's bit
  -- for that day changes.
  insert into public.customer_activity_changes (day, provider, customer_id)
  select day, provider, customer_id from activity where inserted or not active;

  delete from public.customer_daily_activity where generations = 0;
  return null;
end $$;

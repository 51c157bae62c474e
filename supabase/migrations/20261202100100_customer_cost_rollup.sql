-- finance_metrics' top customers by cost from the per-customer daily rollup instead of the
-- raw generations of the range (issue 13 / 15 read budget): customer_daily_activity also sums
-- its generations' provider cost, kept by the generation rollup trigger (a finish that sets
-- the cost updates the customer's row, which its lock already serialises) and by the rebuild.
-- The backfill runs with generation writes held off, so no cost is missed or counted twice.

lock table public.generations in share row exclusive mode;

alter table public.customer_daily_activity add column cost_usd numeric(18, 6) not null default 0;

update public.customer_daily_activity a set cost_usd = g.cost_usd
  from (select (created_at at time zone 'UTC')::date as day, provider, customer_id, sum(cost_usd) as cost_usd
          from public.generations group by 1, 2, 3 having sum(cost_usd) <> 0) g
 where a.day = g.day and a.provider = g.provider and a.customer_id = g.customer_id;

create or replace function private.rollup_generations()
returns trigger language plpgsql security definer set search_path = '' as $$
declare
  v_day date[];
  v_provider text[];
  v_customer text[];
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
      insert into public.customer_daily_activity as a (day, provider, customer_id, generations, cost_usd)
      select day, provider, customer_id, count(*), sum(cost_usd)
        from src group by day, provider, customer_id
       order by day, provider, customer_id
      on conflict (day, provider, customer_id) do update
        set generations = a.generations + excluded.generations, cost_usd = a.cost_usd + excluded.cost_usd
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
      insert into public.customer_daily_activity as a (day, provider, customer_id, generations, cost_usd)
      select day, provider, customer_id, -count(*), -sum(cost_usd)
        from src group by day, provider, customer_id
       order by day, provider, customer_id
      on conflict (day, provider, customer_id) do update
        set generations = a.generations + excluded.generations, cost_usd = a.cost_usd + excluded.cost_usd
      returning day, provider, customer_id, generations > 0 as active
    ), changes as (
      insert into public.customer_activity_changes (day, provider, customer_id)
      select day, provider, customer_id from activity where not active
    )
    select array_agg(day), array_agg(provider), array_agg(customer_id)
      into v_day, v_provider, v_customer
      from activity where not active;
  else
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
      -- A finish that only sets the cost changes no count, but the customer's cost.
      insert into public.customer_daily_activity as a (day, provider, customer_id, generations, cost_usd)
      select day, provider, customer_id, sum(sign), sum(sign * cost_usd)
        from src group by day, provider, customer_id
      having sum(sign) <> 0 or sum(sign * cost_usd) <> 0
       order by day, provider, customer_id
      on conflict (day, provider, customer_id) do update
        set generations = a.generations + excluded.generations, cost_usd = a.cost_usd + excluded.cost_usd
      returning day, provider, customer_id, generations > 0 as active, xmax = 0 as inserted
    ), changes as (
      -- A new row or one that dropped to 0 (deleted below): the customer's bit for that day
      -- changes.
      insert into public.customer_activity_changes (day, provider, customer_id)
      select day, provider, customer_id from activity where inserted or not active
    )
    select array_agg(day), array_agg(provider), array_agg(customer_id)
      into v_day, v_provider, v_customer
      from activity where not active;
  end if;

  -- The rows this statement brought to 0, by key (the rest of the rollup is never scanned).
  if v_day is not null then
    delete from public.customer_daily_activity a
     using unnest(v_day, v_provider, v_customer) as z(day, provider, customer_id)
     where a.day = z.day and a.provider = z.provider and a.customer_id = z.customer_id
       and a.generations = 0;
  end if;
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

  delete from public.customer_daily_activity where true;
  insert into public.customer_daily_activity (day, provider, customer_id, generations, cost_usd)
  select (created_at at time zone 'UTC')::date, provider, customer_id, count(*), sum(cost_usd)
    from public.generations group by 1, 2, 3;

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

create or replace function public.finance_metrics(p_from date, p_to date, p_provider text default null)
returns json language plpgsql stable security definer set search_path = '' as $$
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
      from (select day, provider, model, cost_usd, calls from public.generation_daily_stats
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
    -- From the per-customer daily rollup (70_rollups.sql), kept in the generation trigger
    -- under the customer's lock: exact at every moment, no tail to add.
    select a.customer_id, sum(a.cost_usd) as cost, sum(a.generations) as generations
      from public.customer_daily_activity a
     where a.day between p_from and p_to and (p_provider is null or a.provider = p_provider)
     group by a.customer_id order by sum(a.cost_usd) desc, a.customer_id limit 10
  ), top_revenue as (
    select t.customer_id,
           sum(d.amount * b.unit_price_usd) as revenue
      from top t
      join public.credit_transactions tx on tx.customer_id = t.customer_id and tx.type in ('spend', 'refund')
       and (p_provider is null or tx.provider = p_provider)
      join public.credit_block_draws d on d.transaction_id = tx.id
       and d.created_at >= p_from::timestamp at time zone 'UTC' and d.created_at < (p_to + 1)::timestamp at time zone 'UTC'
      join public.credit_blocks b on b.id = d.block_id and b.kind = 'paid'
     group by t.customer_id
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

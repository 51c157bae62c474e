-- finance_metrics' body said its top customers come from monthly rows "kept in the generation
-- trigger ... no tail to add"; since 20261204300000 the fold keeps them and the top customers
-- add the unfolded tail. Only that comment changes; the rest is main's current body (and its grants stay).

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
        from (select s.day, sum(pm.revenue) as revenue, sum(pm.cost) as cost,
                     (select sum(cash_in_usd) from in_range i where i.day = s.day) as cash_in,
                     (select sum(breakage_usd) from in_range i where i.day = s.day) as breakage
                from generate_series(p_from::timestamp, p_to::timestamp, interval '1 day') as s(day)
                left join per_model pm on pm.day = s.day::date
               group by s.day) x),
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
                from (select provider, model, sum(revenue) as revenue, sum(refunded) as refunded, sum(cost) as cost,
                             sum(generations) as generations
                        from per_model group by provider, model) z) y),
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

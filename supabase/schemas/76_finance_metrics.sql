-- What the credits earned: cash in, revenue recognised, refunds, breakage and
-- deferred revenue in USD, beside the provider cost the generation rollup already holds.
-- Only paid blocks carry money (free ones earn 0, legacy ones an unknown price), so only their
-- blocks and draws reach these tables.
--
-- Writers never update a shared row: each statement appends its deltas to
-- finance_daily_deltas (insert only, so concurrent purchases and spends never wait for one
-- another), and the dashboard rollups' fold (every 10 seconds, 70_rollups.sql) folds them into
-- finance_daily_stats, as does the expiry job after its entries. Readers add both, so a
-- figure is exact whether or not the fold has run.
create table public.finance_daily_stats (
  day date not null,
  provider text not null,
  model text not null,
  cash_in_usd numeric(18, 2) not null default 0,
  credits_bought bigint not null default 0,
  paid_credited_usd numeric(24, 10) not null default 0,
  revenue_usd numeric(24, 10) not null default 0,
  refunded_usd numeric(24, 10) not null default 0,
  breakage_usd numeric(24, 10) not null default 0,
  adjusted_usd numeric(24, 10) not null default 0,
  primary key (day, provider, model)
);

-- No key, no sequence, no index, like the dashboard's delta tables (70_rollups.sql, "Append
-- points"): one heap tuple per draw statement.
create table public.finance_daily_deltas (
  day date not null,
  provider text not null,
  model text not null,
  cash_in_usd numeric(18, 2) not null default 0,
  credits_bought bigint not null default 0,
  paid_credited_usd numeric(24, 10) not null default 0,
  revenue_usd numeric(24, 10) not null default 0,
  refunded_usd numeric(24, 10) not null default 0,
  breakage_usd numeric(24, 10) not null default 0,
  adjusted_usd numeric(24, 10) not null default 0,
  -- Whose block (20261206200000): what the fold adds to the per-customer revenue rows below.
  -- Last, as the migration added it.
  customer_id text not null
);

alter table public.finance_daily_deltas
  set (autovacuum_vacuum_threshold = 500, autovacuum_vacuum_scale_factor = 0, vacuum_truncate = false);

-- Revenue per customer (20261206200000): what finance_metrics' top customers earned, net of
-- refunds (spends and refunds of paid credits; expiry is breakage, not revenue), per (customer,
-- UTC day, provider) and per (customer, UTC month, provider), read like their cost
-- (private.range_cost_pieces): a month's row, give or take a few days. Before, each call
-- joined the top customers' paid blocks to their draws and each draw to its ledger entry
-- (3,178 blocks, 6,463 draws and entries for the bench's top 10 over 180 days: 133 of 147 ms).
-- Written only by the fold, from the customer column of finance_daily_deltas, in the statement
-- that deletes the deltas; readers add the unfolded tail, so exact whether or not the fold has
-- run (private.customer_range_revenue).
-- The customer rides on the finance delta each draw statement appends anyway, not on a delta
-- table of its own: a draw statement is one customer's (a spend, a refund, one customer's
-- expiry), so the write path appends the same one row, one column wider, where a table of
-- its own would be a second insert per spend; and one fold takes both in one statement.
-- No foreign key to customers, like customer_monthly_costs: a customer is never deleted while
-- it has blocks (credit_blocks' key restricts it).
create table public.customer_daily_revenue (
  customer_id text not null,
  day date not null,
  provider text not null,
  revenue_usd numeric(24, 10) not null default 0,
  primary key (customer_id, day, provider)
);

create table public.customer_monthly_revenue (
  customer_id text not null,
  month date not null check (month = date_trunc('month', month)::date),
  provider text not null,
  revenue_usd numeric(24, 10) not null default 0,
  primary key (customer_id, month, provider)
);

create or replace function private.finance_blocks_delta()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  insert into public.finance_daily_deltas (day, provider, model, cash_in_usd, credits_bought, paid_credited_usd,
    customer_id)
  select (n.created_at at time zone 'UTC')::date, '', '', sum(n.amount_usd), sum(n.original),
         sum(n.original * n.unit_price_usd), n.customer_id
    from new_rows n where n.kind = 'paid'
   group by 1, n.customer_id;
  return null;
end $$;

create or replace function private.finance_draws_delta()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  insert into public.finance_daily_deltas (day, provider, model, revenue_usd, refunded_usd, breakage_usd, adjusted_usd,
    customer_id)
  select (d.created_at at time zone 'UTC')::date, coalesce(t.provider, ''), coalesce(g.model, ''),
         coalesce(sum(d.amount * b.unit_price_usd) filter (where t.type = 'spend'), 0),
         coalesce(sum(-d.amount * b.unit_price_usd) filter (where t.type = 'refund'), 0),
         coalesce(sum(d.amount * b.unit_price_usd) filter (where t.type = 'expiry'), 0),
         coalesce(sum(d.amount * b.unit_price_usd) filter (where t.type not in ('spend', 'refund', 'expiry')), 0),
         b.customer_id
    from new_rows d
    join public.credit_blocks b on b.id = d.block_id and b.kind = 'paid'
    join public.credit_transactions t on t.id = d.transaction_id
    left join public.generations g on t.ref_type = 'generation' and g.id = t.ref_id
   group by 1, 2, 3, b.customer_id;
  return null;
end $$;

create trigger credit_blocks_finance after insert on public.credit_blocks
  referencing new table as new_rows for each statement execute function private.finance_blocks_delta();
create trigger credit_block_draws_finance after insert on public.credit_block_draws
  referencing new table as new_rows for each statement execute function private.finance_draws_delta();

-- Folds the appended deltas into the daily rows and the per-customer revenue rows, all in the
-- statement that deletes them, so each delta is counted once: here or in a reader's tail. One
-- fold at a time (advisory lock); writers keep appending meanwhile and the next fold takes
-- what they add.
create or replace function private.fold_finance_deltas()
returns integer language plpgsql security definer set search_path = '' as $$
declare
  v_rows integer;
begin
  if not pg_try_advisory_xact_lock(hashtext('creditdesk.finance_fold')) then
    return 0;
  end if;
  with taken as (
    delete from public.finance_daily_deltas where true returning *
  ), customer_revenue as materialized (
    -- Spends and refunds of paid credits, net, per (customer, day, provider): the top
    -- customers' revenue (a cash-in or breakage delta earns the customer nothing).
    select customer_id, day, provider, sum(revenue_usd) - sum(refunded_usd) as revenue_usd
      from taken where revenue_usd <> 0 or refunded_usd <> 0
     group by customer_id, day, provider
  ), by_customer_day as (
    insert into public.customer_daily_revenue as r (customer_id, day, provider, revenue_usd)
    select customer_id, day, provider, revenue_usd from customer_revenue
     order by customer_id, day, provider
    on conflict (customer_id, day, provider) do update set revenue_usd = r.revenue_usd + excluded.revenue_usd
  ), by_customer_month as (
    insert into public.customer_monthly_revenue as r (customer_id, month, provider, revenue_usd)
    select customer_id, date_trunc('month', day)::date, provider, sum(revenue_usd) from customer_revenue
     group by 1, 2, 3 order by 1, 2, 3
    on conflict (customer_id, month, provider) do update set revenue_usd = r.revenue_usd + excluded.revenue_usd
  ), folded as (
    insert into public.finance_daily_stats as s (day, provider, model, cash_in_usd, credits_bought,
      paid_credited_usd, revenue_usd, refunded_usd, breakage_usd, adjusted_usd)
    select day, provider, model, sum(cash_in_usd), sum(credits_bought), sum(paid_credited_usd), sum(revenue_usd),
           sum(refunded_usd), sum(breakage_usd), sum(adjusted_usd)
      from taken group by day, provider, model
    on conflict (day, provider, model) do update set
      cash_in_usd = s.cash_in_usd + excluded.cash_in_usd, credits_bought = s.credits_bought + excluded.credits_bought,
      paid_credited_usd = s.paid_credited_usd + excluded.paid_credited_usd,
      revenue_usd = s.revenue_usd + excluded.revenue_usd, refunded_usd = s.refunded_usd + excluded.refunded_usd,
      breakage_usd = s.breakage_usd + excluded.breakage_usd, adjusted_usd = s.adjusted_usd + excluded.adjusted_usd
    returning 1
  )
  select count(*) into v_rows from folded;
  return v_rows;
end $$;

-- The blocks made from existing balances before this migration are legacy (no money), so
-- there is nothing to backfill; the seed's and the import's paid blocks arrive through the
-- triggers above.

-- Recomputes the finance rollups (finance_daily_stats and the per-customer revenue rows) from
-- the blocks and draws, for operators (and the bench loader) after a load that bypassed the
-- triggers above (session_replication_role = replica, pg_restore --disable-triggers), as
-- private.rebuild_dashboard_rollups does for the generation and ledger rollups. The same
-- expressions as the two triggers, over every row, grouped as the fold groups the deltas.
-- Not through the delta table and the fold: millions of deltas appended and deleted would
-- leave its heap that large (it is never truncated, "Append points"), and every reader's scan
-- of the tail would read the empty pages.
create or replace function private.rebuild_finance_rollups()
returns void language plpgsql security definer set search_path = '' as $$
begin
  -- Writers of blocks and draws wait meanwhile, so none of their deltas is lost or doubled;
  -- and the fold waits (or is waited for): it writes the same rows.
  lock table public.credit_blocks, public.credit_block_draws in share row exclusive mode;
  perform pg_advisory_xact_lock(hashtext('creditdesk.finance_fold'));
  delete from public.finance_daily_deltas where true;
  delete from public.finance_daily_stats where true;
  delete from public.customer_daily_revenue where true;
  delete from public.customer_monthly_revenue where true;
  with x as materialized (
    select (b.created_at at time zone 'UTC')::date as day, '' as provider, '' as model, b.customer_id,
           b.amount_usd as cash_in, b.original as bought, b.original * b.unit_price_usd as credited,
           0 as revenue, 0 as refunded, 0 as breakage, 0 as adjusted
      from public.credit_blocks b where b.kind = 'paid'
    union all
    select (d.created_at at time zone 'UTC')::date, coalesce(t.provider, ''), coalesce(g.model, ''), b.customer_id,
           0, 0, 0,
           case when t.type = 'spend' then d.amount * b.unit_price_usd else 0 end,
           case when t.type = 'refund' then -d.amount * b.unit_price_usd else 0 end,
           case when t.type = 'expiry' then d.amount * b.unit_price_usd else 0 end,
           case when t.type not in ('spend', 'refund', 'expiry') then d.amount * b.unit_price_usd else 0 end
      from public.credit_block_draws d
      join public.credit_blocks b on b.id = d.block_id and b.kind = 'paid'
      join public.credit_transactions t on t.id = d.transaction_id
      left join public.generations g on t.ref_type = 'generation' and g.id = t.ref_id
  ), daily as (
    insert into public.finance_daily_stats (day, provider, model, cash_in_usd, credits_bought, paid_credited_usd,
      revenue_usd, refunded_usd, breakage_usd, adjusted_usd)
    select day, provider, model, sum(cash_in), sum(bought), sum(credited), sum(revenue), sum(refunded),
           sum(breakage), sum(adjusted)
      from x group by day, provider, model
  ), customer_revenue as materialized (
    select customer_id, day, provider, sum(revenue) - sum(refunded) as revenue_usd
      from x where revenue <> 0 or refunded <> 0
     group by customer_id, day, provider
  ), by_customer_day as (
    insert into public.customer_daily_revenue (customer_id, day, provider, revenue_usd)
    select customer_id, day, provider, revenue_usd from customer_revenue
  )
  insert into public.customer_monthly_revenue (customer_id, month, provider, revenue_usd)
  select customer_id, date_trunc('month', day)::date, provider, sum(revenue_usd) from customer_revenue
   group by 1, 2, 3;
end $$;

-- The revenue of each of p_customers in [p_from, p_to] (of p_provider, or all providers): the
-- spends of paid credits net of their refunds, read as private.range_cost_pieces says (the
-- monthly rows of p_months, plus or minus the daily rows in each [p_lo[i], p_hi[i]]) and the
-- unfolded tail in the range. The monthly and the daily rows are folded in one statement, so
-- they agree, and the tail holds exactly what neither holds yet; a customer without revenue is
-- left out. Lateral reads with offset 0, as private.customer_range_costs, so that each piece is
-- one index range.
create or replace function private.customer_range_revenue(
  p_customers text[], p_from date, p_to date, p_months date[], p_lo date[], p_hi date[], p_sign integer[],
  p_provider text
) returns table (customer_id text, revenue_usd numeric)
language plpgsql stable set search_path = '' set plan_cache_mode = force_generic_plan as $$
begin
  return query
  select x.customer_id, sum(x.revenue_usd)
    from (
      select c.customer_id, y.revenue_usd
        from unnest(p_customers) c(customer_id)
       cross join lateral (
         select m.revenue_usd from public.customer_monthly_revenue m
          where m.customer_id = c.customer_id and m.month = any (p_months)
            and (p_provider is null or m.provider = p_provider)
         union all
         select r.sign * a.revenue_usd
           from unnest(p_lo, p_hi, p_sign) as r(lo, hi, sign)
          cross join lateral (
            select d.revenue_usd from public.customer_daily_revenue d
             where d.customer_id = c.customer_id and d.day between r.lo and r.hi
               and (p_provider is null or d.provider = p_provider)
            offset 0) a) y
      union all
      -- The tail, in one pass over the (short, unindexed) delta table for all the customers.
      select t.customer_id, t.revenue_usd - t.refunded_usd
        from public.finance_daily_deltas t
       where t.customer_id = any (p_customers) and t.day between p_from and p_to
         and (p_provider is null or t.provider = p_provider)) x
   group by x.customer_id;
end $$;

-- The exact cost and generations of each of p_customers that has generations in the range
-- the pieces describe: the monthly rows of p_months with their unfolded tail (the generation
-- deltas of those months, which the fold has yet to add to them: 70_rollups.sql, "The monthly
-- costs"), plus (p_sign 1) or minus (p_sign -1) the daily rows of customer_daily_activity
-- (kept by the trigger, so exact without a tail) in each [p_lo[i], p_hi[i]]. So a month the
-- range covers most of is read as its monthly row minus the few days outside the range
-- (private.range_cost_pieces). PL/pgSQL: as a SQL function (with a search_path, so never
-- inlined) its plan scanned the rank index over a month range, 410 ms for 20 customers.
-- Callers are stable functions, so the monthly rows and the tail are read in one snapshot.
create or replace function private.customer_range_costs(
  p_customers text[], p_months date[], p_lo date[], p_hi date[], p_sign integer[], p_provider text
) returns table (customer_id text, cost numeric, gens bigint)
language plpgsql stable set search_path = '' set plan_cache_mode = force_generic_plan as $$
begin
  return query
  select x.customer_id, sum(x.cost_usd), sum(x.generations)::bigint
    from (
      select c.customer_id, y.cost_usd, y.generations
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
            offset 0) a) y
      union all
      -- The tail, in one pass over the (short, unindexed) delta table for all the customers.
      select t.customer_id, t.cost_usd, t.calls
        from public.generation_daily_deltas t
       where t.customer_id = any (p_customers) and date_trunc('month', t.day)::date = any (p_months)
         and (p_provider is null or t.provider = p_provider)) x
   group by x.customer_id
  having sum(x.generations) > 0;
end $$;

-- How [p_from, p_to] is read per customer: each month it covers whole is its monthly row; a
-- month it covers in part is either its days in the range (daily rows) or its monthly row
-- minus its days outside the range, whichever reads fewer days (days after today hold no
-- rows and cost nothing). For 180 days ending today that is the last month's monthly row
-- alone and five days of the first month, instead of 25 + 2 days of daily rows (1,639 rows
-- for the bench's top 20, 5.5 ms). Exact either way: the monthly rows with their tail are the
-- daily rows' sums (private.customer_range_costs).
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
-- The monthly rows lag the fold (70_rollups.sql, "The monthly costs"): a customer with
-- unfolded deltas in a list's month is a candidate whatever its rank, with the deltas added to
-- its bound, so the bounds stay upper bounds (a list's true cost for such a customer is its
-- row plus its deltas, the row at most the d-th cost where unseen), and every customer left out
-- is folded, so the threshold holds for it as before.
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

-- For finance and admin: in total, per UTC day, per (provider, model) and for the 10
-- customers who cost most. With p_provider, revenue, refunds and cost are that provider's;
-- cash in, breakage and deferred revenue belong to no provider and stay whole.
-- JIT off, as dashboard_metrics (75_dashboard_metrics.sql): compiling cost more than reading.
create or replace function public.finance_metrics(p_from date, p_to date, p_provider text default null)
returns json language plpgsql stable security definer set search_path = '' set jit = off as $$
declare
  v_result json;
  v_pieces record;
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
  v_pieces := private.range_cost_pieces(p_from, p_to);

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
    -- From the per-customer revenue rollup and its tail (20261206200000), over the same
    -- pieces of the range as the top customers' cost.
    select r.customer_id, r.revenue_usd as revenue
      from private.customer_range_revenue(array(select t.customer_id from top t), p_from, p_to, v_pieces.months,
                                          v_pieces.lo, v_pieces.hi, v_pieces.sign, p_provider) r
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

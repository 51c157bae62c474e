-- Issue 15 item 3 (and issue 13's rollup cost): customer_monthly_costs is kept by the periodic
-- fold, not by the generation trigger (70_rollups.sql, "The monthly costs"). The generation
-- deltas carry their customer; private.fold_dashboard_rollups adds them to the monthly rows in
-- the statement that deletes them; private.rollup_generations no longer upserts the monthly
-- rows; private.customer_range_costs and private.top_customers_by_cost add the unfolded tail.
--
-- The deltas pending now were written by the old trigger, which had already added them to
-- customer_monthly_costs, so they must not reach it again: with writers held off (the lock on
-- generations waits for the transactions writing them and stops new ones until this commits)
-- and no fold running (its advisory lock), the old fold takes them all into the other rollups,
-- and the new column is added to an empty table. (range_cost_pieces is redefined for its
-- comment only.)

lock table public.generations in share row exclusive mode;
select pg_advisory_xact_lock(hashtext('creditdesk.fold_dashboard_rollups'));
select private.fold_dashboard_rollups();

-- Whose generations: what the fold adds to customer_monthly_costs.
alter table public.generation_daily_deltas add column customer_id text not null;

-- One trigger function for insert, update (status, refunded_at, cost, customer, provider,
-- model or created_at) and delete: the rows of the statement become deltas, signed for an
-- update or a delete (-1 for the old image, +1 for the new) and summed per key, so an update
-- that changes nothing the rollups hold writes nothing, and a pending -> succeeded move touches
-- exactly two keys. It appends to generation_daily_deltas and customer_activity_changes and
-- keeps the per-customer activity counts (customer_monthly_costs comes from the deltas, in the
-- fold: "The monthly costs" above).
--
-- Static statements, one per operation (transition tables exist only for the operation that
-- fired), not one statement built per operation and run with EXECUTE: PL/pgSQL keeps a static
-- statement's plan for the session, while EXECUTE parsed and planned the three-CTE statement
-- on every write, twice per charged generation (its insert, then consume_credits' update of
-- credits_charged). Measured with pg_stat_statements on one client: ~0.8 ms of planning per
-- transaction gone; the generation insert took 1.6 ms and now 0.6 ms, the credits_charged
-- update 1.7 ms and now 0.5 ms. The insert needs no signs (nothing cancels, no row drops to 0).
--
-- Bitmaps are not touched here: a customer whose count for a day becomes or stops being
-- positive is appended to customer_activity_changes, which the fold applies.
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
        (day, provider, model, status, customer_id, calls, credits_charged, cost_usd, latency_ms_sum,
         latency_count, refunded)
      select day, provider, model, status, customer_id, count(*), sum(credits_charged), sum(cost_usd),
             coalesce(sum(latency_ms), 0), count(latency_ms), count(refunded_at)
        from src group by day, provider, model, status, customer_id
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
        (day, provider, model, status, customer_id, calls, credits_charged, cost_usd, latency_ms_sum,
         latency_count, refunded)
      select day, provider, model, status, customer_id, -count(*), -sum(credits_charged), -sum(cost_usd),
             -coalesce(sum(latency_ms), 0), -count(latency_ms), -count(refunded_at)
        from src group by day, provider, model, status, customer_id
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
        (day, provider, model, status, customer_id, calls, credits_charged, cost_usd, latency_ms_sum,
         latency_count, refunded)
      select day, provider, model, status, customer_id, sum(sign), sum(sign * credits_charged),
             sum(sign * cost_usd), coalesce(sum(sign * latency_ms), 0),
             coalesce(sum(sign) filter (where latency_ms is not null), 0),
             coalesce(sum(sign) filter (where refunded_at is not null), 0)
        from src group by day, provider, model, status, customer_id
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

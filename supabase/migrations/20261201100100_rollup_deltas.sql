-- Dashboard rollups without hot rows, still exact.
--
-- Every generation and ledger write upserted the same rollup rows (generation_daily_stats per
-- day/provider/model/status, ledger_daily_stats per day/type/source/provider, and on a
-- customer's first generation of a day up to six activity bitmaps) and held them to commit, so
-- all writers of a day queued on a handful of rows, and the rollup trigger's bitmap work was
-- most of a generation's cost even at one client (bench/README.md, "before").
--
-- The choice: an append-only delta table folded by a periodic job, not counters striped over
-- N slots. Striping shortens the queue (N rows instead of one) but each slot is still locked to
-- commit and a transaction touches several of them across statements (the generation insert,
-- the ledger insert, the credits_charged update), so waits remain and the lock order across
-- slots has to be argued for every path; and the bitmaps cannot be striped at all. Deltas are
-- plain inserts into tables with no unique index but an identity key: a writer never waits on another, whatever
-- the customer or the day. Readers add the unfolded tail, so every figure is exact at every
-- moment:
-- (The delta tables have an identity key only because every CreditDesk table has a primary
-- key; no writer ever looks a row up.)
--   - generation_daily_deltas / ledger_daily_deltas: the rollup trigger inserts its
--     statement's aggregate there; dashboard_metrics reads rollup UNION ALL deltas (it sums
--     anyway), and private.fold_dashboard_rollups() moves the deltas into the rollups
--     (DELETE ... RETURNING into the upsert, one transaction: a reader's snapshot sees the rows
--     either as deltas or folded, never both, never neither);
--   - customer_daily_activity stays in the trigger: its row is per customer and the customer is
--     already locked (20261201100000), so it serialises nothing that was not serialised anyway,
--     and it is what makes the active-customer counts exact. Where a customer's count for a
--     day becomes or stops being positive, the trigger appends (day, provider, customer) to
--     customer_activity_changes instead of rewriting bitmaps; the fold sets or clears those
--     bits from customer_daily_activity, and private.active_customers counts the customers with
--     pending changes from customer_daily_activity directly (a few rows) instead of their bits.
-- The fold runs every 10 seconds: pg_cron on hosted Supabase (scheduled below when the
-- extension is there), and the embedded stack's timer locally (supabase/local/rollup-fold.mjs,
-- through public.fold_dashboard_rollups() as the service role). The tail a reader adds is
-- what was written since the last fold: at 1,000 generations a second ~20,000 delta rows
-- (aggregated per statement), a few ms; the rebuild (private.rebuild_dashboard_rollups)
-- empties the deltas with everything else.

create table public.generation_daily_deltas (
  id bigint generated always as identity primary key,
  day date not null,
  provider text not null,
  model text not null,
  status text not null,
  calls bigint not null,
  credits_charged bigint not null,
  cost_usd numeric(18, 6) not null,
  latency_ms_sum bigint not null,
  latency_count bigint not null,
  refunded bigint not null
);

create table public.ledger_daily_deltas (
  id bigint generated always as identity primary key,
  day date not null,
  type text not null,
  source text not null,
  provider text not null,
  entries bigint not null,
  delta_sum bigint not null,
  cost_usd numeric(18, 6) not null
);

create table public.customer_activity_changes (
  id bigint generated always as identity primary key,
  day date not null,
  provider text not null,
  customer_id text not null
);

-- A pending change's customer is looked up per customer over a range of days.
create index customer_daily_activity_customer_idx on public.customer_daily_activity (customer_id, day);

alter table public.generation_daily_deltas enable row level security;
alter table public.ledger_daily_deltas enable row level security;
alter table public.customer_activity_changes enable row level security;
revoke all on public.generation_daily_deltas, public.ledger_daily_deltas,
  public.customer_activity_changes from anon, authenticated, service_role;
grant select on public.generation_daily_deltas, public.ledger_daily_deltas,
  public.customer_activity_changes to service_role;

create or replace function private.rollup_generations()
returns trigger language plpgsql security definer set search_path = '' as $$
declare
  v_source text := case tg_op
    when 'INSERT' then 'select 1 as sign, * from new_rows'
    when 'DELETE' then 'select -1 as sign, * from old_rows'
    else 'select -1 as sign, * from old_rows union all select 1, * from new_rows' end;
begin
  execute format($sql$
    with src as materialized (
      select sign, (created_at at time zone 'UTC')::date as day, provider, coalesce(model, '') as model,
             status, customer_id, credits_charged, cost_usd, latency_ms, refunded_at
        from (%s) r
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
      -- Key order, so two bulk statements over many customers cannot deadlock here.
      insert into public.customer_daily_activity as a (day, provider, customer_id, generations)
      select day, provider, customer_id, sum(sign)
        from src group by day, provider, customer_id
      having sum(sign) <> 0
       order by day, provider, customer_id
      on conflict (day, provider, customer_id) do update set generations = a.generations + excluded.generations
      returning day, provider, customer_id, generations > 0 as active, xmax = 0 as inserted
    )
    -- A new row (xmax = 0: rows at 0 are deleted at the end of each statement) or one that
    -- dropped to 0: the customer's bit for that day changes. Further generations of a customer
    -- already active that day append nothing.
    insert into public.customer_activity_changes (day, provider, customer_id)
    select day, provider, customer_id from activity where inserted or not active
  $sql$, v_source);

  if tg_op <> 'INSERT' then
    delete from public.customer_daily_activity where generations = 0;
  end if;
  return null;
end $$;

create or replace function private.rollup_ledger()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  insert into public.ledger_daily_deltas (day, type, source, provider, entries, delta_sum, cost_usd)
  select (created_at at time zone 'UTC')::date, type, source, coalesce(provider, ''),
         count(*), sum(delta), coalesce(sum(cost_usd), 0)
    from new_rows group by 1, 2, 3, 4;
  return null;
end $$;

create or replace function private.clear_generation_rollups()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  delete from public.generation_daily_stats where true;
  delete from public.generation_daily_deltas where true;
  delete from public.customer_daily_activity where true;
  delete from public.customer_activity_changes where true;
  delete from public.customer_activity_bitmaps where true;
  delete from public.customer_activity_period_bitmaps where true;
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
revoke all on function private.fold_dashboard_rollups() from public;

-- For the embedded stack's timer (and any scheduler outside the database): the service role
-- only.
create or replace function public.fold_dashboard_rollups()
returns json language plpgsql security definer set search_path = '' as $$
begin
  if not private.is_service_role() then
    perform private.raise_forbidden('fold_dashboard_rollups is for the service role (the scheduler) only.');
  end if;
  return private.fold_dashboard_rollups();
end $$;
revoke all on function public.fold_dashboard_rollups() from public, anon, authenticated;
grant execute on function public.fold_dashboard_rollups() to service_role;

-- The bitmaps OR the folded state; customers with pending changes in the range are counted
-- from customer_daily_activity instead (their bits, possibly stale, are taken out of the count).
create or replace function private.active_customers(p_from date, p_to date, p_provider text)
returns bigint language sql stable set search_path = '' as $$
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
$$;

-- The rebuild of 20261122007000, emptying the deltas and pending changes too.
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
  insert into public.customer_daily_activity (day, provider, customer_id, generations)
  select (created_at at time zone 'UTC')::date, provider, customer_id, count(*)
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

-- dashboard_metrics of 20261122007200, reading each rollup together with its unfolded deltas.
create or replace function public.dashboard_metrics(p_from date, p_to date, p_provider text default null)
returns json language plpgsql stable security definer set search_path = '' as $$
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
          from gen group by day, provider) x),
    'daily_by_model', (select coalesce(json_agg(x order by x.day, x.provider, x.model), '[]'::json) from (
        select day, provider, model, calls, round(cost_usd, 6) as cost_usd from gen) x)
  ) into v_result
  from totals t, ledger l;
  return v_result;
end $$;

create or replace function private.creditdesk_tables()
returns text[] language sql immutable set search_path = '' as $$
  select array['staff', 'customers', 'sessions', 'generations', 'feedback', 'credit_transactions',
               'generation_types', 'admin_sessions', 'admin_audit', 'runtime_config', 'app_config',
               'generation_daily_stats', 'ledger_daily_stats', 'customer_daily_activity',
               'customer_activity_keys', 'customer_activity_bitmaps', 'customer_activity_period_bitmaps',
               'generation_daily_deltas', 'ledger_daily_deltas', 'customer_activity_changes']
$$;

-- Where pg_cron is installed (hosted Supabase), the database folds every 10 seconds itself;
-- pg_cron before 1.5 knows no seconds (invalid_parameter_value), and there it folds every
-- minute.
do $$
begin
  if exists (select from pg_catalog.pg_extension where extname = 'pg_cron') then
    begin
      execute $c$select cron.schedule('creditdesk-fold-dashboard-rollups', '10 seconds',
                                      'select private.fold_dashboard_rollups()')$c$;
    exception when invalid_parameter_value then
      execute $c$select cron.schedule('creditdesk-fold-dashboard-rollups', '* * * * *',
                                      'select private.fold_dashboard_rollups()')$c$;
    end;
  end if;
end $$;

-- Dashboard rollups the database keeps current itself, so a dashboard never scans raw rows.
-- Days are UTC days. Statement-level triggers with transition tables: a bulk backfill of a
-- million rows updates each rollup once per key, not once per row. Read only through
-- public.dashboard_metrics (75_dashboard_metrics.sql); private.rebuild_dashboard_rollups
-- recomputes them all.

create table public.generation_daily_stats (
  day date not null,
  provider text not null,
  model text not null,
  status text not null,
  calls bigint not null default 0,
  credits_charged bigint not null default 0,
  cost_usd numeric(18, 6) not null default 0,
  latency_ms_sum bigint not null default 0,
  latency_count bigint not null default 0,
  refunded bigint not null default 0,
  primary key (day, provider, model, status)
);

create table public.ledger_daily_stats (
  day date not null,
  type text not null,
  source text not null,
  provider text not null,
  entries bigint not null default 0,
  delta_sum bigint not null default 0,
  cost_usd numeric(18, 6) not null default 0,
  primary key (day, type, source, provider)
);

-- One row per (day, provider, customer) with a generation, and how many generations back it,
-- so that deleting a generation or moving it to another customer, day or provider decrements
-- the count and drops the row at 0 (active customers stay equal to a direct count).
create table public.customer_daily_activity (
  day date not null,
  provider text not null,
  customer_id text not null,
  generations bigint not null default 0,
  primary key (day, provider, customer_id)
);

-- Rows that reach 0 are deleted right after each write; these partial indexes hold only
-- those few rows, so that clean-up never scans the rollup.
create index customer_daily_activity_emptied_idx
  on public.customer_daily_activity (day) where generations = 0;
create index generation_daily_stats_emptied_idx
  on public.generation_daily_stats (day) where calls = 0;

-- Active customers over a range is a distinct count, which daily rows cannot simply add up:
-- count(distinct customer_id) over a month of customer_daily_activity reads ~150k rows for
-- 2M generations a year, far from a 20 ms dashboard. Instead each (UTC day, provider) keeps a
-- bitmap with one bit per customer who has a generation that day; a range's active customers
-- are the set bits of the OR of its bitmaps. customer_daily_activity (with counts) stays the
-- truth; the bitmaps follow it.
-- A dense number per customer, the bit position. Never reused, so a bit means one customer.
create table public.customer_activity_keys (
  customer_id text primary key,
  key integer generated always as identity (minvalue 0 start with 0) unique
);

create table public.customer_activity_bitmaps (
  day date not null,
  provider text not null,
  bits varbit not null default ''::varbit,
  primary key (day, provider)
);

-- Pre-ORed bitmaps for coarser periods, kept current by the same statement-level trigger:
--   grain 'day'   provider '*'  all providers of one UTC day;
--   grain 'week'  provider p/'*' the ISO week (Monday..Sunday) starting `start`;
--   grain 'month' provider p/'*' the calendar month starting `start`.
-- (The per-provider days stay in customer_activity_bitmaps.) A range is covered by the
-- largest periods inside it (private.activity_cover), overlaps allowed since OR is
-- idempotent: 180 days read ~20 bitmaps instead of 720.
create table public.customer_activity_period_bitmaps (
  grain text not null check (grain in ('day', 'week', 'month')),
  start date not null,
  provider text not null, -- '*': all providers
  bits varbit not null default ''::varbit,
  primary key (grain, start, provider),
  check (grain <> 'day' or provider = '*'),
  check (start = case grain when 'week' then date_trunc('week', start)::date
                            when 'month' then date_trunc('month', start)::date else start end)
);

-- Bitmaps stored uncompressed (STORAGE EXTERNAL: out of line, no pglz). A bitmap compresses
-- ~5:1, but every write compressed 25 kB again and every read decompressed it: at 200,000
-- customers a generation that makes a customer active (up to six bitmaps: the day, the day
-- over all providers, its week and month, each per provider and over all) cost 7.7 ms with
-- compression and 1.6 ms without, and a 180-day active_customers reads faster too. The price
-- is disk: 25 kB instead of ~5 kB per (day, provider) at 200,000 customers (~13 MB a year at
-- 4 providers, plus the week and month bitmaps).
alter table public.customer_activity_bitmaps alter column bits set storage external;
alter table public.customer_activity_period_bitmaps alter column bits set storage external;

-- The bitmap with the `p_set` bits on and the `p_clear` bits off, grown in steps of 8192
-- customers so it is not re-padded for each new customer.
create or replace function private.bitmap_apply(p_bits varbit, p_set integer[], p_clear integer[])
returns varbit language plpgsql immutable set search_path = '' as $$
declare
  v_bits varbit := coalesce(p_bits, ''::varbit);
  v_need integer := coalesce((select max(k) from unnest(p_set) k), -1) + 1;
  k integer;
begin
  if v_need > length(v_bits) then
    v_bits := v_bits || repeat('0', ((v_need + 8191) / 8192) * 8192 - length(v_bits))::varbit;
  end if;
  foreach k in array coalesce(p_set, '{}') loop
    v_bits := set_bit(v_bits, k, 1);
  end loop;
  foreach k in array coalesce(p_clear, '{}') loop
    if k < length(v_bits) then
      v_bits := set_bit(v_bits, k, 0);
    end if;
  end loop;
  return v_bits;
end $$;

-- Whether bitmap_apply would change anything: most writes touch a customer already active
-- that day, and skipping those updates keeps a generation insert from rewriting a bitmap.
create or replace function private.bitmap_differs(p_bits varbit, p_set integer[], p_clear integer[])
returns boolean language sql immutable set search_path = '' as $$
  select exists (select 1 from unnest(p_set) k where k >= length(p_bits) or get_bit(p_bits, k) = 0)
      or exists (select 1 from unnest(p_clear) k where k < length(p_bits) and get_bit(p_bits, k) = 1)
$$;

-- OR of bitmaps of different lengths (bit_or wants equal lengths); '' for none.
create or replace function private.bitmap_union(p_bits varbit[])
returns varbit language sql immutable set search_path = '' as $$
  select coalesce(bit_or(b || repeat('0', w.n - length(b))::varbit), ''::varbit)
    from unnest(p_bits) b, (select max(length(x)) as n from unnest(p_bits) x) w
$$;

-- The coarse periods a (day, provider) bitmap feeds.
create or replace function private.activity_periods(p_day date, p_provider text)
returns table (grain text, start date, provider text)
language sql immutable set search_path = '' as $$
  values ('day', p_day, '*'),
         ('week', date_trunc('week', p_day)::date, p_provider),
         ('week', date_trunc('week', p_day)::date, '*'),
         ('month', date_trunc('month', p_day)::date, p_provider),
         ('month', date_trunc('month', p_day)::date, '*')
$$;

-- A period bitmap recomputed from the per-(day, provider) bitmaps it covers.
create or replace function private.activity_period_bits(p_grain text, p_start date, p_provider text)
returns varbit language sql stable set search_path = '' as $$
  select private.bitmap_union(array_agg(bits))
    from public.customer_activity_bitmaps
   where day between p_start and case p_grain when 'day' then p_start
                                              when 'week' then p_start + 6
                                              else (p_start + interval '1 month')::date - 1 end
     and (p_provider = '*' or provider = p_provider)
$$;

-- One trigger function for insert, update (status, refunded_at, cost, customer, provider,
-- model or created_at) and delete: the rows of the statement become signed deltas (-1 for the
-- old image, +1 for the new), summed per key, so an update that changes nothing the rollups
-- hold writes nothing, and a pending -> succeeded move touches exactly two keys. Transition
-- tables exist only for the operation that fired, hence the source query chosen per
-- operation and run with EXECUTE. It keeps generation_daily_stats, the per-customer activity
-- counts, the day bitmaps and the period bitmaps.
--
-- Bitmaps are touched only where a customer's activity that day starts or ends. Sets are
-- applied only where a bit is missing, so a customer already active that month rewrites
-- nothing. A clear cannot simply drop the bit: the customer may be active on another day of
-- the week or month, maybe in a transaction not yet committed. So a statement that clears
-- takes SHARE ROW EXCLUSIVE on the period table, which waits for every transaction that has
-- set (or checked) period bits — each setter holds ROW EXCLUSIVE from its insert/update of
-- the table to commit — and holds off new ones; the next statement (a fresh snapshot in READ
-- COMMITTED) then recomputes each affected period from its day bitmaps. Clears come only from
-- deletes and from moving generations to another customer, day or provider; inserts wait for
-- such a statement's transaction to end.
create or replace function private.rollup_generations()
returns trigger language plpgsql security definer set search_path = '' as $$
declare
  v_provider text[];
  v_day date[];
  v_customer text[];
  v_active boolean[];
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
      insert into public.generation_daily_stats as s
        (day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum, latency_count, refunded)
      select day, provider, model, status, sum(sign), sum(sign * credits_charged), sum(sign * cost_usd),
             coalesce(sum(sign * latency_ms), 0), coalesce(sum(sign) filter (where latency_ms is not null), 0),
             coalesce(sum(sign) filter (where refunded_at is not null), 0)
        from src group by day, provider, model, status
      having sum(sign) <> 0 or sum(sign * credits_charged) <> 0 or sum(sign * cost_usd) <> 0
          or coalesce(sum(sign * latency_ms), 0) <> 0
          or coalesce(sum(sign) filter (where latency_ms is not null), 0) <> 0
          or coalesce(sum(sign) filter (where refunded_at is not null), 0) <> 0
      -- A fixed lock order, so two concurrent bulk statements cannot deadlock on the rollup.
      order by day, provider, model, status
      on conflict (day, provider, model, status) do update set
        calls = s.calls + excluded.calls, credits_charged = s.credits_charged + excluded.credits_charged,
        cost_usd = s.cost_usd + excluded.cost_usd, latency_ms_sum = s.latency_ms_sum + excluded.latency_ms_sum,
        latency_count = s.latency_count + excluded.latency_count, refunded = s.refunded + excluded.refunded
    ), activity as (
      insert into public.customer_daily_activity as a (day, provider, customer_id, generations)
      select day, provider, customer_id, sum(sign)
        from src group by day, provider, customer_id
      having sum(sign) <> 0
       order by day, provider, customer_id
      on conflict (day, provider, customer_id) do update set generations = a.generations + excluded.generations
      returning day, provider, customer_id, generations > 0 as active, xmax = 0 as inserted
    )
    -- Only the rows whose customer became active or inactive there: a new row (xmax = 0, as
    -- rows at 0 are deleted at the end of each statement) or one that dropped to 0. Further
    -- generations of a customer already active that day touch no bitmap at all.
    select array_agg(provider), array_agg(day), array_agg(customer_id), array_agg(active)
      from activity where inserted or not active
  $sql$, v_source) into v_provider, v_day, v_customer, v_active;

  if v_provider is not null then
    -- Before any period bit is set by this statement, so two clearing statements queue here
    -- instead of deadlocking on each other's ROW EXCLUSIVE.
    if false = any(v_active) then
      lock table public.customer_activity_period_bitmaps in share row exclusive mode;
    end if;

    -- Each customer's bit follows the count this statement just wrote. That count was read
    -- and written under the activity row's lock, which is held to commit, so concurrent
    -- writers for one customer and day set and clear the bit in the order they counted.
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

    -- Period bits cleared: recomputed under the lock taken above, in a fresh snapshot.
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

  if tg_op <> 'INSERT' then
    delete from public.generation_daily_stats where calls = 0;
    delete from public.customer_daily_activity where generations = 0;
  end if;
  return null;
end $$;

create trigger generations_rollup_insert after insert on public.generations
  referencing new table as new_rows for each statement execute function private.rollup_generations();
create trigger generations_rollup_update after update on public.generations
  referencing old table as old_rows new table as new_rows
  for each statement execute function private.rollup_generations();
create trigger generations_rollup_delete after delete on public.generations
  referencing old table as old_rows for each statement execute function private.rollup_generations();

-- TRUNCATE fires no row or transition-table trigger; without this the rollups would keep
-- counting generations that no longer exist.
create or replace function private.clear_generation_rollups()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  delete from public.generation_daily_stats;
  delete from public.customer_daily_activity;
  delete from public.customer_activity_bitmaps;
  delete from public.customer_activity_period_bitmaps;
  return null;
end $$;

create trigger generations_rollup_truncate after truncate on public.generations
  for each statement execute function private.clear_generation_rollups();

create or replace function private.rollup_ledger()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  insert into public.ledger_daily_stats as s (day, type, source, provider, entries, delta_sum, cost_usd)
  select (created_at at time zone 'UTC')::date, type, source, coalesce(provider, ''),
         count(*), sum(delta), coalesce(sum(cost_usd), 0)
    from new_rows group by 1, 2, 3, 4
  on conflict (day, type, source, provider) do update set
    entries = s.entries + excluded.entries, delta_sum = s.delta_sum + excluded.delta_sum,
    cost_usd = s.cost_usd + excluded.cost_usd;
  return null;
end $$;

create trigger credit_transactions_rollup after insert on public.credit_transactions
  referencing new table as new_rows for each statement execute function private.rollup_ledger();

-- Recomputes every dashboard rollup from the raw rows, for operators after a load that
-- bypassed triggers (session_replication_role = replica, pg_restore --disable-triggers).
create or replace function private.rebuild_dashboard_rollups()
returns void language plpgsql security definer set search_path = '' as $$
begin
  -- Writers wait while the rollups are rebuilt, so none of their deltas is lost or doubled;
  -- readers carry on.
  lock table public.generations, public.credit_transactions in share row exclusive mode;

  delete from public.generation_daily_stats;
  insert into public.generation_daily_stats
    (day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum, latency_count, refunded)
  select (created_at at time zone 'UTC')::date, provider, coalesce(model, ''), status,
         count(*), sum(credits_charged), sum(cost_usd), coalesce(sum(latency_ms), 0),
         count(latency_ms), count(refunded_at)
    from public.generations group by 1, 2, 3, 4;

  delete from public.customer_daily_activity;
  insert into public.customer_daily_activity (day, provider, customer_id, generations)
  select (created_at at time zone 'UTC')::date, provider, customer_id, count(*)
    from public.generations group by 1, 2, 3;

  insert into public.customer_activity_keys (customer_id)
  select distinct customer_id from public.customer_daily_activity order by 1
  on conflict do nothing;
  delete from public.customer_activity_bitmaps;
  insert into public.customer_activity_bitmaps (day, provider, bits)
  select a.day, a.provider, private.bitmap_apply(''::varbit, array_agg(k.key), null)
    from public.customer_daily_activity a
    join public.customer_activity_keys k on k.customer_id = a.customer_id
   group by a.day, a.provider;

  delete from public.customer_activity_period_bitmaps;
  insert into public.customer_activity_period_bitmaps (grain, start, provider, bits)
  select p.grain, p.start, p.provider, private.activity_period_bits(p.grain, p.start, p.provider)
    from (select distinct p.grain, p.start, p.provider
            from public.customer_activity_bitmaps b
           cross join lateral private.activity_periods(b.day, b.provider) p) p;

  delete from public.ledger_daily_stats;
  insert into public.ledger_daily_stats (day, type, source, provider, entries, delta_sum, cost_usd)
  select (created_at at time zone 'UTC')::date, type, source, coalesce(provider, ''),
         count(*), sum(delta), coalesce(sum(cost_usd), 0)
    from public.credit_transactions group by 1, 2, 3, 4;
end $$;

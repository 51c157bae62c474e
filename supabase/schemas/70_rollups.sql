-- Dashboard rollups the database keeps current itself, so a dashboard never scans raw rows.
-- Days are UTC days. Row triggers append deltas that a periodic fold adds into the rollups
-- (below, "Dashboard rollups without hot rows"). Read only through
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

-- generation_daily_stats summed over statuses, one row per (day, provider, model) with the
-- per-status counts the dashboards show as columns (20261203300100): what dashboard_metrics
-- and finance_metrics group. For 180 days at bench scale that is 1,620 rows instead of 8,094,
-- and grouping those rows (numeric sums, seven aggregates) was most of either call's time in
-- SQL. Written only by the fold, from the same deltas in the same statement as
-- generation_daily_stats, so the two always agree; no writer waits on it.
create table public.generation_daily_models (
  day date not null,
  provider text not null,
  model text not null,
  calls bigint not null default 0,
  succeeded bigint not null default 0,
  failed bigint not null default 0,
  credits_charged bigint not null default 0,
  cost_usd numeric(18, 6) not null default 0,
  latency_ms_sum bigint not null default 0,
  latency_count bigint not null default 0,
  primary key (day, provider, model)
);

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
-- the count and drops the row at 0 (active customers stay equal to a direct count). It also
-- sums their provider cost, so finance_metrics' top customers by cost add these rows instead
-- of grouping the raw generations of the range (20261202100100); a row at 0 generations is
-- at 0 cost too (the same rows summed with opposite signs).
create table public.customer_daily_activity (
  day date not null,
  provider text not null,
  customer_id text not null,
  generations bigint not null default 0,
  cost_usd numeric(18, 6) not null default 0,
  primary key (day, provider, customer_id)
);

-- The same cost per (UTC month, provider, customer), for finance_metrics' top customers by
-- cost: summing customer_daily_activity over a range reads every active customer's days
-- (314,125 rows for 30 days, 1.9 million for 180 at bench scale, seconds), so the top is found
-- from these monthly lists instead, read best first through the rank index
-- (private.top_customers_by_cost, 76_finance_metrics.sql). Written only by the fold, from the
-- customer column of generation_daily_deltas (20261204300000; below, "The monthly costs");
-- readers add the unfolded tail. Rows at 0 stay (they rank last).
create table public.customer_monthly_costs (
  customer_id text not null,
  month date not null check (month = date_trunc('month', month)::date),
  provider text not null,
  cost_usd numeric(18, 6) not null default 0,
  generations bigint not null default 0,
  primary key (customer_id, month, provider)
);
create index customer_monthly_costs_rank_idx
  on public.customer_monthly_costs (month, provider, cost_usd desc, customer_id);

-- generation_daily_stats rows that reach 0 are deleted right after each fold; this partial
-- index holds only those few rows, so that clean-up never scans the rollup. (Not for
-- customer_daily_activity: an index whose predicate names `generations` would make every
-- count update a non-HOT update, a new index entry in each of its indexes per generation; its
-- emptied rows are deleted by key instead, in the trigger that emptied them.)
create index generation_daily_stats_emptied_idx
  on public.generation_daily_stats (day) where calls = 0;
create index generation_daily_models_emptied_idx
  on public.generation_daily_models (day) where calls = 0;
create index generation_daily_providers_emptied_idx
  on public.generation_daily_providers (day) where calls = 0;

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

-- Pre-ORed bitmaps for coarser periods, kept current by the fold like the day bitmaps:
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
-- plain inserts into heaps with no key and no index: a writer never waits on another's row,
-- whatever the customer or the day. Readers add the unfolded tail, so every figure is exact at every
-- moment:
--   - generation_daily_deltas / ledger_daily_deltas: the rollup trigger inserts its
--     row's deltas there; dashboard_metrics reads rollup UNION ALL deltas (it sums
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
-- (one or two per written row), a few ms; the rebuild (private.rebuild_dashboard_rollups)
-- empties the deltas with everything else.

-- Append points (20261202100000). With the deltas, every charged generation appended to three
-- or four tables in the transaction (its generation delta, the ledger's, finance's from the
-- block draw, sometimes an activity change), and each append had three shared hot spots: the
-- heap's last page, the identity sequence's page (nextval locks it) and the primary key's
-- rightmost btree leaf. Sampling pg_stat_activity under 40-64 clients showed the waits on
-- LWLock:BufferContent and LWLock:LockManager (every relation a transaction touches beyond 16
-- is a lock in the shared lock table: a delta table with its key and sequence is three), and
-- Lock:extend. So the delta tables have no key, no sequence and no index: an append is one
-- heap tuple and one relation lock, and nothing ever looks a delta up (the fold takes them
-- all with DELETE ... RETURNING, readers scan the short tail). Their emptied pages are
-- vacuumed soon (autovacuum after 500 dead rows, not 20 % of the table), so appends reuse
-- them instead of extending the heap under the extension lock after every fold, and never
-- truncated (vacuum_truncate off): truncating the emptied tail takes an ACCESS EXCLUSIVE lock
-- that every writer would queue behind, and the next appends would extend the heap again. Striping the
-- heap too (list partitions by pg_backend_pid() % 4, so writers do not share the last page)
-- was measured and not taken: on the loaded 2-core machine 64 clients ran the lifecycle path
-- at 177 tx/s striped vs 179 unstriped (189 with the keys, within the noise), and each
-- partition is one more relation lock per append (bench/README.md, "Append points").
create table public.generation_daily_deltas (
  day date not null,
  provider text not null,
  model text not null,
  status text not null,
  calls bigint not null,
  credits_charged bigint not null,
  cost_usd numeric(18, 6) not null,
  latency_ms_sum bigint not null,
  latency_count bigint not null,
  refunded bigint not null,
  -- Whose generations (20261204300000): what the fold adds to customer_monthly_costs. Last, as
  -- the migration added it.
  customer_id text not null
);

create table public.ledger_daily_deltas (
  day date not null,
  type text not null,
  source text not null,
  provider text not null,
  entries bigint not null,
  delta_sum bigint not null,
  cost_usd numeric(18, 6) not null
);

create table public.customer_activity_changes (
  day date not null,
  provider text not null,
  customer_id text not null
);

alter table public.generation_daily_deltas
  set (autovacuum_vacuum_threshold = 500, autovacuum_vacuum_scale_factor = 0, vacuum_truncate = false);
alter table public.ledger_daily_deltas
  set (autovacuum_vacuum_threshold = 500, autovacuum_vacuum_scale_factor = 0, vacuum_truncate = false);
alter table public.customer_activity_changes
  set (autovacuum_vacuum_threshold = 500, autovacuum_vacuum_scale_factor = 0, vacuum_truncate = false);

-- The monthly costs (20261204300000). customer_monthly_costs was upserted by the generation
-- trigger in every statement that added a generation or moved a cost: one more unique-index
-- probe and row update per write on the product's hottest path, and a non-HOT one (a new entry
-- in both its indexes) whenever the cost changed, since cost_usd is in the rank index. Now
-- each generation delta carries its customer and the fold adds the deltas to the monthly rows
-- in the statement that deletes them. The write path writes nothing for it: the delta row it
-- appended anyway is one column wider (still one row for a one-generation statement). And it is
-- exact under concurrency the way the other rollups are: the fold's DELETE takes exactly the
-- deltas its snapshot sees, a transaction that commits after that leaves its deltas for the
-- next fold, and a reader's snapshot sees each delta either still in the tail or in the monthly
-- row, never both, never neither. Readers (private.customer_range_costs,
-- private.top_customers_by_cost, 76_finance_metrics.sql) add the tail.
-- Not taken: folding from the generations since a watermark (a day, and a two-phase fold by
-- snapshot xmin so a late commit is neither missed nor counted twice). A watermark on the day
-- misses what changes in days already folded (a finish sets the cost of a generation started
-- before midnight; staff move and delete old ones), so updates would have had to write
-- something per statement anyway, or the fold scan customer_daily_activity by xmin, which no
-- index serves; and the xmin bookkeeping re-derives what deleting the visible deltas gives.

-- A pending change's customer is looked up per customer over a range of days.
create index customer_daily_activity_customer_idx on public.customer_daily_activity (customer_id, day);


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

-- One row trigger function for insert, update and delete of a generation (20261206100000).
-- Each row becomes deltas: +1 for the new image, -1 for the old, so a pending -> succeeded
-- move appends exactly two delta rows, and an update that keeps the whole delta key (day,
-- provider, model, status, customer) appends one row of differences. It appends to
-- generation_daily_deltas and customer_activity_changes and keeps the per-customer activity
-- counts (customer_monthly_costs comes from the deltas, in the fold: "The monthly costs"
-- above).
--
-- Row triggers, not statement triggers with transition tables. Nearly every write is a
-- one-row statement (the insert of a generation, the charge's credits_charged update, the
-- finish), and for those a statement trigger paid for the transition tuplestores and for a
-- set-based statement grouping one row: bench/writes/profile.mjs measured this function's
-- self time per charged generation at 227 µs as statement triggers and 123 µs as row
-- triggers, and the rollups' CPU per transaction at 0.84 -> 0.94 of the no-rollup CPU
-- (bench/README.md, "What the rollups cost one transaction"). The price is that bulk
-- statements (the legacy import, the seed, a staff edit of many rows) run this once per row:
-- one delta row per generation instead of one per key, which the fold sums the same way.
-- The update trigger's WHEN skips updates that change nothing the rollups hold (a new output
-- URL, updated_at) without calling the function at all.
--
-- A generation's activity (customer_daily_activity, and the change that moves its bit) is per
-- (day, provider, customer): only an update that changes one of those moves the generation
-- from one activity row to another. An update that keeps them (a status, model, cost, latency
-- or refund change) adjusts that row's cost and nothing else, so the row is neither emptied
-- and refilled nor is a bit change recorded for a customer whose activity did not change.
--
-- Lock order (40_ledger.sql): the rows written here are appends and the customer's own
-- activity rows, and the customer is locked by generations_lock_customer before the row
-- exists, so the order a statement's rows reach these writes in cannot make a cycle: two
-- transactions never touch one customer's activity rows at the same time. (An AFTER row
-- trigger fires at the end of the statement, after every row's BEFORE trigger has locked its
-- customer.)
--
-- Bitmaps are not touched here: a customer whose count for a day becomes or stops being
-- positive is appended to customer_activity_changes, which the fold applies.
create or replace function private.rollup_generations()
returns trigger language plpgsql security definer set search_path = '' as $$
declare
  v_old_day date;
  v_new_day date;
  v_left bigint;
  v_inserted boolean;
begin
  if tg_op <> 'INSERT' then
    v_old_day := (old.created_at at time zone 'UTC')::date;
  end if;
  if tg_op <> 'DELETE' then
    v_new_day := (new.created_at at time zone 'UTC')::date;
  end if;

  if tg_op = 'UPDATE' and v_old_day = v_new_day and old.provider = new.provider
     and coalesce(old.model, '') = coalesce(new.model, '') and old.status = new.status
     and old.customer_id = new.customer_id then
    -- The same delta key: the differences, in one row (none when only the time of day moved).
    if (old.credits_charged, old.cost_usd, old.latency_ms, old.refunded_at is null)
       is distinct from (new.credits_charged, new.cost_usd, new.latency_ms, new.refunded_at is null) then
      insert into public.generation_daily_deltas
        (day, provider, model, status, customer_id, calls, credits_charged, cost_usd, latency_ms_sum,
         latency_count, refunded)
      values (v_new_day, new.provider, coalesce(new.model, ''), new.status, new.customer_id, 0,
              new.credits_charged - old.credits_charged, new.cost_usd - old.cost_usd,
              coalesce(new.latency_ms, 0) - coalesce(old.latency_ms, 0),
              (new.latency_ms is not null)::int - (old.latency_ms is not null)::int,
              (new.refunded_at is not null)::int - (old.refunded_at is not null)::int);
    end if;
  else
    if tg_op <> 'INSERT' then
      insert into public.generation_daily_deltas
        (day, provider, model, status, customer_id, calls, credits_charged, cost_usd, latency_ms_sum,
         latency_count, refunded)
      values (v_old_day, old.provider, coalesce(old.model, ''), old.status, old.customer_id, -1,
              -old.credits_charged, -old.cost_usd, -coalesce(old.latency_ms, 0),
              -(old.latency_ms is not null)::int, -(old.refunded_at is not null)::int);
    end if;
    if tg_op <> 'DELETE' then
      insert into public.generation_daily_deltas
        (day, provider, model, status, customer_id, calls, credits_charged, cost_usd, latency_ms_sum,
         latency_count, refunded)
      values (v_new_day, new.provider, coalesce(new.model, ''), new.status, new.customer_id, 1,
              new.credits_charged, new.cost_usd, coalesce(new.latency_ms, 0),
              (new.latency_ms is not null)::int, (new.refunded_at is not null)::int);
    end if;
  end if;

  if tg_op = 'UPDATE' and v_old_day = v_new_day and old.provider = new.provider
     and old.customer_id = new.customer_id then
    -- The same activity row: only its cost can change.
    if new.cost_usd <> old.cost_usd then
      update public.customer_daily_activity a set cost_usd = a.cost_usd + (new.cost_usd - old.cost_usd)
       where a.day = v_new_day and a.provider = new.provider and a.customer_id = new.customer_id;
    end if;
    return null;
  end if;

  if tg_op <> 'INSERT' then
    update public.customer_daily_activity a
       set generations = a.generations - 1, cost_usd = a.cost_usd - old.cost_usd
     where a.day = v_old_day and a.provider = old.provider and a.customer_id = old.customer_id
    returning a.generations into v_left;
    -- Its last generation gone: the row goes (a row at 0 generations is at 0 cost too) and the
    -- customer's bit for that day changes.
    if v_left <= 0 then
      delete from public.customer_daily_activity a
       where a.day = v_old_day and a.provider = old.provider and a.customer_id = old.customer_id
         and a.generations <= 0;
      insert into public.customer_activity_changes (day, provider, customer_id)
      values (v_old_day, old.provider, old.customer_id);
    end if;
  end if;
  if tg_op <> 'DELETE' then
    insert into public.customer_daily_activity as a (day, provider, customer_id, generations, cost_usd)
    values (v_new_day, new.provider, new.customer_id, 1, new.cost_usd)
    on conflict (day, provider, customer_id) do update
      set generations = a.generations + 1, cost_usd = a.cost_usd + excluded.cost_usd
    returning xmax = 0 into v_inserted;
    -- A new row: the customer's first generation there, so the bit changes. Further
    -- generations of a customer already active that day append nothing.
    if v_inserted then
      insert into public.customer_activity_changes (day, provider, customer_id)
      values (v_new_day, new.provider, new.customer_id);
    end if;
  end if;
  return null;
end $$;

create trigger generations_rollup_insert after insert on public.generations
  for each row execute function private.rollup_generations();
-- The columns the rollups hold; an update changing none of them fires nothing.
create trigger generations_rollup_update after update on public.generations
  for each row
  when ((old.created_at, old.provider, old.model, old.status, old.customer_id, old.credits_charged,
         old.cost_usd, old.latency_ms, old.refunded_at)
        is distinct from
        (new.created_at, new.provider, new.model, new.status, new.customer_id, new.credits_charged,
         new.cost_usd, new.latency_ms, new.refunded_at))
  execute function private.rollup_generations();
create trigger generations_rollup_delete after delete on public.generations
  for each row execute function private.rollup_generations();

-- TRUNCATE fires no row or transition-table trigger; without this the rollups would keep
-- counting generations that no longer exist.
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

create trigger generations_rollup_truncate after truncate on public.generations
  for each statement execute function private.clear_generation_rollups();

-- A row trigger too (20261206100000): every ledger insert is one row (apply_credit_change and
-- the import's entries alike go through the trigger once per entry either way).
create or replace function private.rollup_ledger()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  insert into public.ledger_daily_deltas (day, type, source, provider, entries, delta_sum, cost_usd)
  values ((new.created_at at time zone 'UTC')::date, new.type, new.source, coalesce(new.provider, ''),
          1, new.delta, coalesce(new.cost_usd, 0));
  return null;
end $$;

create trigger credit_transactions_rollup after insert on public.credit_transactions
  for each row execute function private.rollup_ledger();

-- Recomputes every dashboard rollup from the raw rows, for operators after a load that
-- bypassed triggers (session_replication_role = replica, pg_restore --disable-triggers).
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

-- Moves the deltas into the rollups (finance's too) and applies the pending activity changes to
-- the bitmaps. One fold at a time (a second caller returns at once; the next tick folds);
-- writers are never waited for, since they only insert. Returns what it folded.
create or replace function private.fold_dashboard_rollups()
returns json language plpgsql security definer set search_path = '' as $$
declare
  v_generation_rows bigint;
  v_emptied bigint;
  v_ledger_rows bigint;
  v_finance_rows integer;
  v_day date[];
  v_provider text[];
  v_customer text[];
  v_active boolean[];
begin
  if not pg_try_advisory_xact_lock(hashtext('creditdesk.fold_dashboard_rollups')) then
    return json_build_object('folded', false);
  end if;

  -- The deltas are summed once per (day, provider, model, status, customer) into `g`, and each
  -- rollup groups those few rows (at most a few hundred per fold) instead of every delta row
  -- again (20261207100000): a fold of 16 clients' five seconds takes ~4,000 delta rows.
  with d as (
    delete from public.generation_daily_deltas where true returning *
  ), g as materialized (
    select day, provider, model, status, customer_id, sum(calls) as calls,
           sum(credits_charged) as credits_charged, sum(cost_usd) as cost_usd,
           sum(latency_ms_sum) as latency_ms_sum, sum(latency_count) as latency_count,
           sum(refunded) as refunded
      from d group by day, provider, model, status, customer_id
  ), by_model as (
    insert into public.generation_daily_models as s
      (day, provider, model, calls, succeeded, failed, credits_charged, cost_usd, latency_ms_sum, latency_count)
    select day, provider, model, sum(calls), coalesce(sum(calls) filter (where status = 'succeeded'), 0),
           coalesce(sum(calls) filter (where status = 'failed'), 0), sum(credits_charged), sum(cost_usd),
           sum(latency_ms_sum), sum(latency_count)
      from g group by day, provider, model
     order by day, provider, model
    on conflict (day, provider, model) do update set
      calls = s.calls + excluded.calls, succeeded = s.succeeded + excluded.succeeded,
      failed = s.failed + excluded.failed, credits_charged = s.credits_charged + excluded.credits_charged,
      cost_usd = s.cost_usd + excluded.cost_usd, latency_ms_sum = s.latency_ms_sum + excluded.latency_ms_sum,
      latency_count = s.latency_count + excluded.latency_count
    returning s.calls
  ), by_provider as (
    insert into public.generation_daily_providers as s (day, provider, calls, succeeded, failed, cost_usd)
    select day, provider, sum(calls), coalesce(sum(calls) filter (where status = 'succeeded'), 0),
           coalesce(sum(calls) filter (where status = 'failed'), 0), sum(cost_usd)
      from g group by day, provider
     order by day, provider
    on conflict (day, provider) do update set
      calls = s.calls + excluded.calls, succeeded = s.succeeded + excluded.succeeded,
      failed = s.failed + excluded.failed, cost_usd = s.cost_usd + excluded.cost_usd
    returning s.calls
  ), monthly as (
    -- The same deltas per customer ("The monthly costs" above): taken and added in one
    -- statement, so each is counted once, here or in a reader's tail.
    insert into public.customer_monthly_costs as m (customer_id, month, provider, cost_usd, generations)
    select customer_id, date_trunc('month', day)::date, provider, sum(cost_usd), sum(calls)
      from g group by 1, 2, 3
    having sum(calls) <> 0 or sum(cost_usd) <> 0
     order by 1, 2, 3
    on conflict (customer_id, month, provider) do update
      set cost_usd = m.cost_usd + excluded.cost_usd, generations = m.generations + excluded.generations
  ), f as (
    insert into public.generation_daily_stats as s
      (day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum, latency_count, refunded)
    select day, provider, model, status, sum(calls), sum(credits_charged), sum(cost_usd),
           sum(latency_ms_sum), sum(latency_count), sum(refunded)
      from g group by day, provider, model, status
     order by day, provider, model, status
    on conflict (day, provider, model, status) do update set
      calls = s.calls + excluded.calls, credits_charged = s.credits_charged + excluded.credits_charged,
      cost_usd = s.cost_usd + excluded.cost_usd, latency_ms_sum = s.latency_ms_sum + excluded.latency_ms_sum,
      latency_count = s.latency_count + excluded.latency_count, refunded = s.refunded + excluded.refunded
    returning s.calls
  )
  select (select count(*) from f),
         (select count(*) from f where calls = 0) + (select count(*) from by_model where calls = 0)
           + (select count(*) from by_provider where calls = 0)
    into v_generation_rows, v_emptied;
  -- A rollup row this fold brought to 0 calls goes. Only this fold's rows can be at 0 (every
  -- fold deletes the ones it empties, and the rebuild writes none), so the three scans of the
  -- whole rollup tables run only when a fold emptied one: a day's last generation of a key
  -- deleted or moved, not every 5 seconds.
  if v_emptied > 0 then
    delete from public.generation_daily_stats where calls = 0;
    delete from public.generation_daily_models where calls = 0;
    delete from public.generation_daily_providers where calls = 0;
  end if;

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

  -- Finance's deltas (76_finance_metrics.sql) fold on the same tick: a reader adds the unfolded
  -- tail, and left to the 5-minute expiry job that tail was minutes of every purchase and spend.
  v_finance_rows := private.fold_finance_deltas();

  return json_build_object('folded', true, 'generation_rows', v_generation_rows,
    'ledger_rows', v_ledger_rows, 'activity_changes', coalesce(cardinality(v_day), 0),
    'finance_rows', v_finance_rows);
end $$;

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

-- The generation list's provider, model and type filter choices: the values that exist, from
-- the rollup (not readable by the API roles) and the price list, for staff.
create or replace function public.generation_filter_choices()
returns json language plpgsql stable security definer set search_path = '' as $$
begin
  if not private.is_staff() then
    perform private.raise_forbidden('Only CreditDesk staff may read the generation filters.');
  end if;
  return json_build_object(
    'providers', (
      select coalesce(json_agg(provider order by provider), '[]'::json)
        from (select provider from public.generation_daily_stats where provider <> ''
              union select provider from public.generation_daily_deltas where provider <> '') p),
    'models', (
      select coalesce(json_agg(json_build_object('provider', provider, 'model', model)
                               order by provider, model), '[]'::json)
        from (select provider, model from public.generation_daily_stats where model <> ''
              union select provider, model from public.generation_daily_deltas where model <> '') m),
    'types', (
      select coalesce(json_agg(json_build_object('type_key', type_key, 'display_name', display_name)
                               order by type_key), '[]'::json)
        from public.generation_types));
end $$;

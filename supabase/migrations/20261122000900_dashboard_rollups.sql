-- Daily rollups the database keeps current itself, so a dashboard never scans raw rows.
-- Days are UTC days.
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

create table public.customer_daily_activity (
  day date not null,
  provider text not null,
  customer_id text not null,
  primary key (day, provider, customer_id)
);

-- Statement-level with transition tables: a bulk backfill of a million rows updates the
-- rollup once per (day, provider, model, status), not once per row.
create or replace function private.rollup_generations()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    insert into public.generation_daily_stats as s
      (day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum, latency_count, refunded)
    select (created_at at time zone 'UTC')::date, provider, coalesce(model, ''), status,
           -count(*), -sum(credits_charged), -sum(cost_usd), -coalesce(sum(latency_ms), 0),
           -count(latency_ms), -count(refunded_at)
      from old_rows group by 1, 2, 3, 4
    on conflict (day, provider, model, status) do update set
      calls = s.calls + excluded.calls, credits_charged = s.credits_charged + excluded.credits_charged,
      cost_usd = s.cost_usd + excluded.cost_usd, latency_ms_sum = s.latency_ms_sum + excluded.latency_ms_sum,
      latency_count = s.latency_count + excluded.latency_count, refunded = s.refunded + excluded.refunded;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into public.generation_daily_stats as s
      (day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum, latency_count, refunded)
    select (created_at at time zone 'UTC')::date, provider, coalesce(model, ''), status,
           count(*), sum(credits_charged), sum(cost_usd), coalesce(sum(latency_ms), 0),
           count(latency_ms), count(refunded_at)
      from new_rows group by 1, 2, 3, 4
    on conflict (day, provider, model, status) do update set
      calls = s.calls + excluded.calls, credits_charged = s.credits_charged + excluded.credits_charged,
      cost_usd = s.cost_usd + excluded.cost_usd, latency_ms_sum = s.latency_ms_sum + excluded.latency_ms_sum,
      latency_count = s.latency_count + excluded.latency_count, refunded = s.refunded + excluded.refunded;
    insert into public.customer_daily_activity (day, provider, customer_id)
    select distinct (created_at at time zone 'UTC')::date, provider, customer_id from new_rows
    on conflict do nothing;
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

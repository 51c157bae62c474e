-- Issue 13: the rollups cost little. The generation and ledger rollup triggers become row
-- triggers (same names, same functions, same deltas), the update trigger with a WHEN that
-- skips updates changing nothing the rollups hold. For one-row statements, nearly every write,
-- the statement triggers' transition tables and set-based grouping were most of the rollups'
-- cost (bench/README.md, "What the rollups cost one transaction").
-- And an update that keeps a generation's (day, provider, customer) now only adjusts that
-- customer_daily_activity row's cost: the statement trigger netted it too, a row trigger
-- written naively would decrement and re-increment it (deleting and re-inserting the row and
-- recording two activity changes).
-- Deltas already written stay valid: the fold sums delta rows whatever wrote them.

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
-- set-based statement grouping one row: bench/writes/profile.mjs measured 340 µs of this
-- function's self time per charged generation as statement triggers, 149 µs as row triggers
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

drop trigger generations_rollup_insert on public.generations;
drop trigger generations_rollup_update on public.generations;
drop trigger generations_rollup_delete on public.generations;
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

drop trigger credit_transactions_rollup on public.credit_transactions;
create trigger credit_transactions_rollup after insert on public.credit_transactions
  for each row execute function private.rollup_ledger();

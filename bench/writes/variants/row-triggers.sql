-- Variant for bench/writes/profile.mjs: the generation and ledger rollups as row triggers
-- (a WHEN on the update so that updates changing nothing the rollups hold skip it).
create or replace function private.rollup_generation_row()
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
    insert into public.generation_daily_deltas
      (day, provider, model, status, customer_id, calls, credits_charged, cost_usd, latency_ms_sum,
       latency_count, refunded)
    values (v_new_day, new.provider, coalesce(new.model, ''), new.status, new.customer_id, 0,
            new.credits_charged - old.credits_charged, new.cost_usd - old.cost_usd,
            coalesce(new.latency_ms, 0) - coalesce(old.latency_ms, 0),
            (new.latency_ms is not null)::int - (old.latency_ms is not null)::int,
            (new.refunded_at is not null)::int - (old.refunded_at is not null)::int);
    if new.cost_usd <> old.cost_usd then
      insert into public.customer_daily_activity as a (day, provider, customer_id, generations, cost_usd)
      values (v_new_day, new.provider, new.customer_id, 0, new.cost_usd - old.cost_usd)
      on conflict (day, provider, customer_id) do update set cost_usd = a.cost_usd + excluded.cost_usd;
    end if;
    return null;
  end if;
  if tg_op <> 'INSERT' then
    insert into public.generation_daily_deltas
      (day, provider, model, status, customer_id, calls, credits_charged, cost_usd, latency_ms_sum,
       latency_count, refunded)
    values (v_old_day, old.provider, coalesce(old.model, ''), old.status, old.customer_id, -1,
            -old.credits_charged, -old.cost_usd, -coalesce(old.latency_ms, 0),
            -(old.latency_ms is not null)::int, -(old.refunded_at is not null)::int);
    insert into public.customer_daily_activity as a (day, provider, customer_id, generations, cost_usd)
    values (v_old_day, old.provider, old.customer_id, -1, -old.cost_usd)
    on conflict (day, provider, customer_id) do update
      set generations = a.generations - 1, cost_usd = a.cost_usd - old.cost_usd
    returning a.generations into v_left;
    if v_left <= 0 then
      delete from public.customer_daily_activity a
       where a.day = v_old_day and a.provider = old.provider and a.customer_id = old.customer_id
         and a.generations = 0;
      insert into public.customer_activity_changes (day, provider, customer_id)
      values (v_old_day, old.provider, old.customer_id);
    end if;
  end if;
  if tg_op <> 'DELETE' then
    insert into public.generation_daily_deltas
      (day, provider, model, status, customer_id, calls, credits_charged, cost_usd, latency_ms_sum,
       latency_count, refunded)
    values (v_new_day, new.provider, coalesce(new.model, ''), new.status, new.customer_id, 1,
            new.credits_charged, new.cost_usd, coalesce(new.latency_ms, 0),
            (new.latency_ms is not null)::int, (new.refunded_at is not null)::int);
    insert into public.customer_daily_activity as a (day, provider, customer_id, generations, cost_usd)
    values (v_new_day, new.provider, new.customer_id, 1, new.cost_usd)
    on conflict (day, provider, customer_id) do update
      set generations = a.generations + 1, cost_usd = a.cost_usd + excluded.cost_usd
    returning xmax = 0 into v_inserted;
    if v_inserted then
      insert into public.customer_activity_changes (day, provider, customer_id)
      values (v_new_day, new.provider, new.customer_id);
    end if;
  end if;
  return null;
end $$;

create trigger generations_rollup_insert_variant after insert on public.generations
  for each row execute function private.rollup_generation_row();
create trigger generations_rollup_update_variant after update on public.generations
  for each row
  when ((old.created_at, old.provider, old.model, old.status, old.customer_id, old.credits_charged,
         old.cost_usd, old.latency_ms, old.refunded_at)
        is distinct from
        (new.created_at, new.provider, new.model, new.status, new.customer_id, new.credits_charged,
         new.cost_usd, new.latency_ms, new.refunded_at))
  execute function private.rollup_generation_row();
create trigger generations_rollup_delete_variant after delete on public.generations
  for each row execute function private.rollup_generation_row();

create or replace function private.rollup_ledger_row()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  insert into public.ledger_daily_deltas (day, type, source, provider, entries, delta_sum, cost_usd)
  values ((new.created_at at time zone 'UTC')::date, new.type, new.source, coalesce(new.provider, ''),
          1, new.delta, coalesce(new.cost_usd, 0));
  return null;
end $$;

create trigger credit_transactions_rollup_variant after insert on public.credit_transactions
  for each row execute function private.rollup_ledger_row();

-- Bench-only objects for npm run bench:writes, created on its throwaway cluster only (never in
-- a migration). Schema `bench`, so nothing here can be mistaken for the product.

-- @setup
create schema if not exists bench;
-- How long each transaction held the customer row in an exclusive mode (FOR UPDATE / FOR NO KEY
-- UPDATE): from the statement that takes it to the start of commit. Unlogged, no index, so
-- appending here is cheap and contends on nothing.
create unlogged table if not exists bench.lock_hold (held_us bigint not null);
-- The triggers run as whoever writes (the service role, staff).
grant usage on schema bench to public;
grant insert on bench.lock_hold to public;

-- Stamps the start of the hold. A BEFORE INSERT row trigger on credit_transactions fires right
-- after apply_credit_change has taken the customer's row lock (it locks, then inserts); on
-- generations it stamps only when the probe below found that the generation insert itself
-- takes that lock (bench.generation_locks = on). Named zzz_ so it fires after the product's own
-- BEFORE triggers (Postgres fires them in name order).
create or replace function bench.stamp_lock() returns trigger language plpgsql as $$
begin
  if coalesce(current_setting('bench.locked_at', true), '') = ''
     and (tg_table_name = 'credit_transactions' or current_setting('bench.generation_locks', true) = 'on') then
    perform set_config('bench.locked_at', clock_timestamp()::text, true);
  end if;
  return new;
end $$;

-- At commit (a deferred constraint trigger runs just before the commit record is written): the
-- hold so far, once per transaction.
create or replace function bench.record_hold() returns trigger language plpgsql as $$
declare
  v_at text := current_setting('bench.locked_at', true);
begin
  if coalesce(v_at, '') <> '' then
    insert into bench.lock_hold (held_us)
    values ((extract(epoch from clock_timestamp() - v_at::timestamptz) * 1e6)::bigint);
    perform set_config('bench.locked_at', '', true);
  end if;
  return null;
end $$;

drop trigger if exists zzz_bench_stamp_lock on public.credit_transactions;
create trigger zzz_bench_stamp_lock before insert on public.credit_transactions
  for each row execute function bench.stamp_lock();
drop trigger if exists zzz_bench_stamp_lock on public.generations;
create trigger zzz_bench_stamp_lock before insert on public.generations
  for each row execute function bench.stamp_lock();
drop trigger if exists zzz_bench_record_hold on public.credit_transactions;
create constraint trigger zzz_bench_record_hold after insert on public.credit_transactions
  deferrable initially deferred for each row execute function bench.record_hold();

-- @customers
-- The bench's own customers, funded as the product funds them: a paid credit pack through
-- purchase_credits (a paid block, so every spend's draw also writes finance's revenue delta,
-- as a paying customer's does), so credits = sum(delta) = the blocks' remaining. And the
-- price list entry the lifecycle path (start_generation) charges: 1 credit, like
-- consume_credits(customer, 1, ...) on the older path.
insert into public.customers (id, email, display_name)
select 'bench-' || lpad(i::text, 4, '0'), 'bench-' || i || '@bench.creditdesk.dev', 'Bench ' || i
  from generate_series(1, {{count}}) i
on conflict do nothing;
insert into public.generation_types (type_key, display_name, cost_credits, active)
values ('bench_image', 'Bench image', 1, true)
on conflict (type_key) do nothing;
do $$
begin
  perform set_config('request.jwt.claims', '{"role": "service_role"}', true);
  for i in 1..{{count}} loop
    perform public.purchase_credits('bench-' || lpad(i::text, 4, '0'), 1000000, 40000.00,
                                    'bench-pack-' || i, 'bench');
  end loop;
end $$;

-- @rollup_triggers
-- The dashboard and finance rollup triggers on the write path: every trigger whose function's
-- name says rollup (the rollups and activity bitmaps) on generations and credit_transactions,
-- and finance's delta triggers on credit blocks and their draws.
select t.tgrelid::regclass::text as tbl, t.tgname as name
  from pg_trigger t join pg_proc p on p.oid = t.tgfoid
 where not t.tgisinternal
   and ((t.tgrelid in ('public.generations'::regclass, 'public.credit_transactions'::regclass)
         and p.proname like '%rollup%' and p.proname not like 'clear%')
        or (t.tgrelid in ('public.credit_blocks'::regclass, 'public.credit_block_draws'::regclass)
            and p.proname like 'finance%delta'))
 order by 1, 2;

-- @invariant
-- The ledger invariant for the bench customers: balance = sum of deltas = latest balance_after,
-- and each generation's credits_charged = its spends minus nothing (refunds are separate rows).
select count(*) filter (where c.credits <> s.total or c.credits <> b.balance_after) as broken,
       count(*) as customers
  from public.customers c
  join (select customer_id, sum(delta) as total from public.credit_transactions
         where customer_id like 'bench-%' group by customer_id) s on s.customer_id = c.id
  join (select distinct on (customer_id) customer_id, balance_after from public.credit_transactions
         where customer_id like 'bench-%' order by customer_id, id desc) b on b.customer_id = c.id
 where c.id like 'bench-%';

-- @generation_invariant
-- Each bench generation's credits_charged is what its spends took, and it is refunded (once)
-- exactly when it has a refund entry of that amount.
select count(*) as broken
  from public.generations g
  left join (select ref_id, sum(-delta) filter (where type = 'spend') as spent,
                    sum(delta) filter (where type = 'refund') as refunded,
                    count(*) filter (where type = 'refund') as refunds
               from public.credit_transactions
              where ref_type = 'generation' and customer_id like 'bench-%' group by ref_id) t
    on t.ref_id = g.id
 where g.customer_id like 'bench-%'
   and (g.credits_charged <> coalesce(t.spent, 0)
        or (g.refunded_at is not null) <> (coalesce(t.refunds, 0) = 1)
        or coalesce(t.refunds, 0) > 1
        or (g.refunded_at is not null and t.refunded <> g.credits_charged));

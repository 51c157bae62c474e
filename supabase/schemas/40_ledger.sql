-- The credit ledger: the immutable table and every function that moves credits. For every
-- customer, credits = sum(delta) = latest balance_after.
--
-- Every credit movement goes through private.apply_credit_change: one transaction writes the
-- ledger row with balance_after, the new balance and one audit row, under a lock on the
-- customer row so concurrent calls for one customer serialise. The RPCs in front of it:
--   staff:        adjust_credits, refund_generation
--   backend only: consume_credits, refund_credits (service role)

create table public.credit_transactions (
  id bigint generated always as identity primary key,
  customer_id text not null references public.customers (id) on delete restrict,
  type text not null check (type in ('purchase', 'grant', 'spend', 'refund', 'adjustment', 'expiry')),
  delta integer not null check (delta <> 0),
  balance_after integer not null check (balance_after >= 0),
  reason text check (length(reason) <= 500),
  source text not null default 'system' check (length(source) between 1 and 50),
  ref_type text,
  ref_id text,
  provider text,
  cost_usd numeric(12, 6),
  idempotency_key text check (length(idempotency_key) between 1 and 200),
  actor uuid,
  created_at timestamptz not null default now()
);

-- Idempotency keys are scoped by operation (type and source) and caller (actor; the service
-- role has none): a key one caller used for one kind of change does not answer for another.
create unique index credit_transactions_idempotency_scope
  on public.credit_transactions (idempotency_key, type, source,
    coalesce(actor, '00000000-0000-0000-0000-000000000000'::uuid))
  where idempotency_key is not null;
create index credit_transactions_customer_idx on public.credit_transactions (customer_id, id desc);
create index credit_transactions_created_at_idx on public.credit_transactions (created_at desc, id desc);
create index credit_transactions_type_idx on public.credit_transactions (type, created_at desc);
create index credit_transactions_source_idx on public.credit_transactions (source, created_at desc);
create index credit_transactions_ref_idx on public.credit_transactions (ref_type, ref_id) where ref_id is not null;
-- A generation is refunded at most once, whichever path refunds it.
create unique index credit_transactions_one_refund_per_generation
  on public.credit_transactions (ref_id) where type = 'refund' and ref_type = 'generation';

create trigger credit_transactions_immutable
  before update or delete on public.credit_transactions
  for each row execute function private.refuse_ledger_change();
create trigger credit_transactions_no_truncate
  before truncate on public.credit_transactions
  for each statement execute function private.refuse_ledger_change();

-- customers.credits moves only with a ledger row. Column privileges keep clients off it;
-- this guard also stops the service role and table owners, unless a ledger function (or a
-- bulk loader that rebuilds the ledger in the same transaction) says so.
create or replace function private.guard_customer_credits()
returns trigger language plpgsql set search_path = '' as $$
begin
  if coalesce(current_setting('creditdesk.ledger_write', true), '') <> 'on' then
    if tg_op = 'INSERT' and new.credits <> 0 then
      raise exception using errcode = '42501',
        message = 'A new customer starts with 0 credits; grant credits through the ledger.';
    elsif tg_op = 'UPDATE' and new.credits is distinct from old.credits then
      raise exception using errcode = '42501',
        message = 'Credits change only through adjust_credits, consume_credits or refund_credits.';
    end if;
  end if;
  return new;
end $$;

create trigger customers_guard_credits
  before insert or update of credits on public.customers
  for each row execute function private.guard_customer_credits();
-- The same guard on the balance row, the one source (30_customers_generations.sql).
create trigger customer_balances_guard_credits
  before insert or update of credits on public.customer_balances
  for each row execute function private.guard_customer_credits();

-- Every customer has its balance row before the row itself is checked against it (the foreign
-- key customers_credits_fkey is checked at the end of the insert). `on conflict do nothing`:
-- an `insert ... on conflict` on customers runs this before it finds its conflict, and the row
-- it keeps already has its balance. Named to sort after customers_guard_credits, so a refused
-- opening balance is refused with that guard's message.
create or replace function private.open_customer_balance()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  insert into public.customer_balances (customer_id, credits) values (new.id, new.credits)
  on conflict (customer_id) do nothing;
  return new;
end $$;
revoke all on function private.open_customer_balance() from public;

create trigger customers_open_balance before insert on public.customers
  for each row execute function private.open_customer_balance();

-- A deleted customer's balance row goes with it (the foreign key points from the customer to
-- the balance, so nothing else removes it).
create or replace function private.close_customer_balance()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  delete from public.customer_balances where customer_id = old.id;
  return old;
end $$;
revoke all on function private.close_customer_balance() from public;

create trigger customers_close_balance after delete on public.customers
  for each row execute function private.close_customer_balance();

-- Lock order on every ledger and generation path.
-- The order, the same for the product backend and for staff, so no two transactions can wait
-- on each other in a cycle (issue 13: the customer first, and once):
--   1. the customer row, FOR NO KEY UPDATE, before anything else of the call is locked or
--      inserted. NO KEY UPDATE, not FOR UPDATE: the foreign-key checks of the inserts that
--      reference the customer (generation, ledger) take FOR KEY SHARE on it, which FOR UPDATE
--      conflicts with — two generations of one customer deadlocked on exactly that. A call
--      about an existing generation (a refund, a finish, a charge for it) reads the
--      generation's customer without a lock, locks the customer, then locks the generation
--      and checks it still belongs to that customer. A generation insert takes the customer
--      lock itself (trigger below); apply_credit_change takes it again, which in the same
--      transaction is a no-op re-read of the locked row;
--   2. the existing generation the call is about, if any (FOR NO KEY UPDATE), and the
--      customer's credit blocks (45_credit_blocks.sql: drawn in drawdown order, only ever
--      under the customer's lock, so two transactions never hold blocks of one customer);
--   3. the inserts (generation, ledger, draws, audit) and the balance update;
--   4. rollup and activity writes, from AFTER row triggers, which fire at the end of the
--      statement, after every row's customer is locked (appends, or per-customer rows).
-- The one writer outside this order is the backend's own `update generations` (seed 003's
-- path): Postgres locks the row before any trigger runs, so it holds the generation before
-- the trigger below locks the customer. It meets a customer-first call only on the same
-- generation at the same moment (a staff refund of a generation the backend is just
-- failing); finish_generation is the path that takes the order above.
--

create or replace function private.lock_credit_customer(p_customer_id text)
returns public.customers language plpgsql security definer set search_path = '' as $$
declare
  v_customer public.customers;
begin
  select * into v_customer from public.customers c where c.id = p_customer_id for no key update;
  if not found then
    perform private.raise_not_found(format('No customer with id "%s".', left(p_customer_id, 200)));
  end if;
  if v_customer.deleted_at is not null then
    perform private.raise_conflict(
      format('This customer account was deleted on %s; its credits can no longer change.',
             to_char(v_customer.deleted_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')),
      'A deleted account is closed: it cannot be charged, refunded or adjusted.');
  end if;
  return v_customer;
end $$;
revoke all on function private.lock_credit_customer(text) from public;

-- Steps 1 and 2 for a call about an existing generation: its customer (read without a lock),
-- locked; then the generation, locked and read again. A generation whose customer changed in
-- between (only the backend's own update can do that) is refused rather than followed, so no
-- call ever holds a generation before its customer.
create or replace function private.lock_generation_and_customer(p_generation_id text)
returns public.generations language plpgsql security definer set search_path = '' as $$
declare
  v_customer_id text;
  v_gen public.generations;
begin
  select g.customer_id into v_customer_id from public.generations g where g.id = p_generation_id;
  if not found then
    perform private.raise_not_found(format('No generation with id "%s".', left(p_generation_id, 200)));
  end if;
  perform private.lock_credit_customer(v_customer_id);
  select * into v_gen from public.generations g where g.id = p_generation_id for no key update;
  if not found or v_gen.customer_id is distinct from v_customer_id then
    perform private.raise_conflict('This generation was moved or deleted while the call waited for it.',
      'Look the generation up again and retry.');
  end if;
  return v_gen;
end $$;
revoke all on function private.lock_generation_and_customer(text) from public;

-- Step 1 for every write of a generation: the customer is locked before the row (and its
-- foreign-key check) exists, and before the statement's rollup trigger writes the shared
-- rollup rows. Without it the backend's `update generations set status = 'failed'` took those
-- rows first and the refund then waited for the customer, while a charge of the same
-- customer held the customer and waited for the rollup rows: a cycle. (A plain update has
-- locked its generation row before any BEFORE trigger runs: the exception named above.) A
-- missing customer is left to the foreign key's own error.
create or replace function private.lock_generation_customer()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  perform 1 from public.customers c
   where c.id = case when tg_op = 'DELETE' then old.customer_id else new.customer_id end
     for no key update;
  return case when tg_op = 'DELETE' then old else new end;
end $$;
revoke all on function private.lock_generation_customer() from public;

create trigger generations_lock_customer before insert or update or delete on public.generations
  for each row execute function private.lock_generation_customer();

-- The size check is done in bigint: abs() of the one integer whose absolute value is not an
-- integer (-2147483648) would raise "integer out of range" instead of the limit message.
-- disabled (for a spend) and deleted_at are read with the customer locked (lock_credit_customer);
-- a replay is looked up in its key's scope and must be the same call in full.
create or replace function private.apply_credit_change(
  p_customer_id text,
  p_delta integer,
  p_type text,
  p_reason text,
  p_source text,
  p_action text,
  p_idempotency_key text default null,
  p_ref_type text default null,
  p_ref_id text default null,
  p_provider text default null,
  p_cost_usd numeric default null
) returns json language plpgsql security definer set search_path = '' as $$
declare
  v_actor uuid := (select auth.uid());
  v_existing public.credit_transactions;
  v_customer public.customers;
  v_balance integer;
  v_new_balance bigint;
  v_tx_id bigint;
  v_differs text;
begin
  if p_customer_id is null or btrim(p_customer_id) = '' then
    perform private.raise_bad_input('Choose the customer whose credits change (customer id is empty).');
  end if;
  if p_delta is null or p_delta = 0 then
    perform private.raise_bad_input('The credit change must be a whole number other than 0.');
  end if;
  if abs(p_delta::bigint) > 1000000 then
    perform private.raise_bad_input(
      format('A change of %s credits is beyond the 1,000,000 limit of one entry.', p_delta),
      'Check the amount; split a genuine bulk change into several entries.');
  end if;
  if p_idempotency_key is not null and (length(p_idempotency_key) not between 8 and 200) then
    perform private.raise_bad_input('The idempotency key must be 8 to 200 characters long.');
  end if;

  -- A replay needs no lock: the entry it answers with is immutable.
  if p_idempotency_key is not null then
    select * into v_existing from public.credit_transactions t
     where t.idempotency_key = p_idempotency_key and t.type = p_type and t.source = p_source
       and coalesce(t.actor, '00000000-0000-0000-0000-000000000000'::uuid)
         = coalesce(v_actor, '00000000-0000-0000-0000-000000000000'::uuid);
  end if;
  if v_existing.id is null then
    v_customer := private.lock_credit_customer(p_customer_id);
    v_balance := v_customer.credits;
    if p_delta < 0 and p_type = 'spend' and v_customer.disabled then
      perform private.raise_conflict('This customer account is disabled; it cannot spend credits.',
        'Enable the account first if it should generate again.');
    end if;
    -- A concurrent call with the same key may have committed while this one waited for the lock.
    if p_idempotency_key is not null then
      select * into v_existing from public.credit_transactions t
       where t.idempotency_key = p_idempotency_key and t.type = p_type and t.source = p_source
         and coalesce(t.actor, '00000000-0000-0000-0000-000000000000'::uuid)
           = coalesce(v_actor, '00000000-0000-0000-0000-000000000000'::uuid);
    end if;
  end if;

  if v_existing.id is not null then
    v_differs := concat_ws(', ',
      case when v_existing.customer_id <> p_customer_id then 'the customer' end,
      case when v_existing.delta <> p_delta
           then format('the amount (%s then, %s now)', v_existing.delta, p_delta) end,
      case when v_existing.reason is distinct from p_reason then 'the reason' end,
      case when v_existing.ref_type is distinct from p_ref_type or v_existing.ref_id is distinct from p_ref_id
           then 'the generation' end,
      -- Provider and cost are details a retry may leave out; when it sends them they must match.
      case when p_provider is not null and v_existing.provider is distinct from p_provider
           then 'the provider' end,
      case when p_cost_usd is not null and v_existing.cost_usd is distinct from round(p_cost_usd, 6)
           then 'the provider cost' end);
    if v_differs <> '' then
      perform private.raise_conflict(
        format('This idempotency key was already used for a different credit change: %s differ%s.',
               v_differs, case when v_differs like '%,%' then '' else 's' end),
        'Send the same call again to replay it, or use a new key for a new change.');
    end if;
    return json_build_object('transaction_id', v_existing.id, 'balance', v_existing.balance_after,
                             'replayed', true);
  end if;

  v_new_balance := v_balance::bigint + p_delta;
  if v_new_balance < 0 then
    perform private.raise_conflict(
      format('The customer has %s credits; a change of %s would leave %s. The balance cannot go below 0.',
             v_balance, p_delta, v_new_balance),
      format('Remove at most %s credits.', v_balance));
  end if;
  if v_new_balance > 2147483647 then
    perform private.raise_bad_input('The balance would exceed the largest storable number of credits.');
  end if;

  insert into public.credit_transactions (customer_id, type, delta, balance_after, reason, source,
    ref_type, ref_id, provider, cost_usd, idempotency_key, actor)
  values (p_customer_id, p_type, p_delta, v_new_balance, p_reason, p_source,
    p_ref_type, p_ref_id, p_provider, p_cost_usd, p_idempotency_key, v_actor)
  returning id into v_tx_id;

  perform set_config('creditdesk.ledger_write', 'on', true);
  perform set_config('creditdesk.skip_row_audit', 'on', true);
  -- The balance row; the foreign key's ON UPDATE CASCADE rewrites customers.credits in this
  -- statement (a HOT update of the row locked above).
  update public.customer_balances set credits = v_new_balance where customer_id = p_customer_id;
  perform set_config('creditdesk.ledger_write', '', true);
  perform set_config('creditdesk.skip_row_audit', '', true);

  perform private.write_audit(p_action, 'customers', p_customer_id, jsonb_build_object(
    'transaction_id', v_tx_id, 'type', p_type, 'delta', p_delta, 'reason', p_reason,
    'ref_type', p_ref_type, 'ref_id', p_ref_id,
    'changes', jsonb_build_object('credits', jsonb_build_object('before', v_balance, 'after', v_new_balance))));

  return json_build_object('transaction_id', v_tx_id, 'balance', v_new_balance, 'replayed', false);
end $$;

-- A positive adjustment is a free block (expiring at p_expires_at), a negative one draws like a
-- spend (45_credit_blocks.sql).
create or replace function public.adjust_credits(
  p_customer_id text, p_delta integer, p_reason text, p_idempotency_key text default null,
  p_expires_at timestamptz default null
) returns json language plpgsql security definer set search_path = '' as $$
declare
  v_reason text;
  v_result json;
begin
  if not private.has_role('admin', 'support') then
    perform private.raise_forbidden('Only support and admin staff may adjust credits.');
  end if;
  v_reason := private.check_reason(p_reason, 'adjust credits');
  if p_expires_at is not null and p_delta < 0 then
    perform private.raise_bad_input('Only credits added can expire; leave the expiry empty when removing credits.');
  end if;
  perform private.check_future_expiry(p_expires_at);
  if p_expires_at is not null then
    perform set_config('creditdesk.block_terms', json_build_object('kind', 'free', 'expires_at', p_expires_at)::text, true);
  end if;
  v_result := private.apply_credit_change(p_customer_id, p_delta, 'adjustment', v_reason, 'manual', 'credits.adjust',
    p_idempotency_key);
  perform set_config('creditdesk.block_terms', '', true);
  return v_result;
end $$;

-- Marks the generation refunded and writes the refund entry; the unique index on refund
-- entries per generation makes a second refund impossible even by another path. Lock order:
-- the customer, then the generation (lock_generation_and_customer). A retry of the same refund with
-- the caller's own key (same key, operation and caller) answers with the refund it made; any
-- other second refund, including one with no key (a second click in the app), is a 409.
create or replace function private.refund_generation_credits(
  p_generation_id text, p_reason text, p_source text, p_action text, p_idempotency_key text
) returns json language plpgsql security definer set search_path = '' as $$
declare
  v_gen public.generations;
  v_key text := coalesce(p_idempotency_key, 'refund:generation:' || p_generation_id);
  v_prior public.credit_transactions;
  v_result json;
begin
  if p_generation_id is null or btrim(p_generation_id) = '' then
    perform private.raise_bad_input('Choose the generation to refund (generation id is empty).');
  end if;
  v_gen := private.lock_generation_and_customer(p_generation_id);
  if v_gen.refunded_at is not null then
    select * into v_prior from public.credit_transactions t
     where t.type = 'refund' and t.ref_type = 'generation' and t.ref_id = v_gen.id;
    if p_idempotency_key is not null and v_prior.idempotency_key = v_key and v_prior.source = p_source
       and v_prior.actor is not distinct from (select auth.uid()) then
      return private.apply_credit_change(v_gen.customer_id, v_gen.credits_charged, 'refund', p_reason,
        p_source, p_action, v_key, 'generation', v_gen.id, v_gen.provider, null);
    end if;
    perform private.raise_conflict(
      format('This generation was already refunded on %s.', to_char(v_gen.refunded_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')),
      'A generation is refunded at most once.');
  end if;
  if v_gen.status <> 'failed' then
    perform private.raise_conflict(
      format('Only failed generations can be refunded; this one is %s.', v_gen.status));
  end if;
  if v_gen.credits_charged = 0 then
    perform private.raise_conflict('This generation charged no credits, so there is nothing to refund.');
  end if;
  v_result := private.apply_credit_change(v_gen.customer_id, v_gen.credits_charged, 'refund', p_reason,
    p_source, p_action, v_key, 'generation', v_gen.id, v_gen.provider, null);
  update public.generations set refunded_at = now() where id = v_gen.id;
  return v_result;
end $$;

create or replace function public.refund_generation(p_generation_id text, p_reason text default null)
returns json language plpgsql security definer set search_path = '' as $$
begin
  if not private.has_role('admin', 'support') then
    perform private.raise_forbidden('Only support and admin staff may refund generations.');
  end if;
  return private.refund_generation_credits(p_generation_id,
    private.check_reason(coalesce(nullif(btrim(p_reason), ''), 'Refund of failed generation'), 'refund'),
    'manual', 'generations.refund', null);
end $$;

-- For the product's own backend (seed 003's consume_user_credits / refund_user_credits).
-- Its arguments are free-form, so they are checked before anything is written: a cost of NaN
-- would poison every later sum of provider spend, and an over-long provider or id would be
-- stored as given. A generation named by the backend must exist (for a spend) and belong to
-- the customer; a generation's refund gives back exactly what it charged.
create or replace function private.check_backend_generation(
  p_customer_id text, p_generation_id text, p_must_exist boolean
) returns void language plpgsql stable security definer set search_path = '' as $$
declare
  v_owner text;
begin
  select customer_id into v_owner from public.generations where id = p_generation_id;
  if not found then
    if p_must_exist then
      perform private.raise_not_found(format(
        'No generation with id "%s": create the generation row before charging for it.', left(p_generation_id, 200)));
    end if;
  elsif v_owner is distinct from p_customer_id then
    perform private.raise_bad_input(format(
      'Generation "%s" belongs to another customer, not "%s".', left(p_generation_id, 200), left(p_customer_id, 200)));
  end if;
end $$;

create or replace function public.consume_credits(
  p_customer_id text, p_amount integer, p_generation_id text default null,
  p_reason text default null, p_idempotency_key text default null,
  p_provider text default null, p_cost_usd numeric default null
) returns json language plpgsql security definer set search_path = '' as $$
declare
  v_result json;
begin
  if not private.is_service_role() then
    perform private.raise_forbidden('consume_credits is for the product backend (service role) only.');
  end if;
  if p_amount is null or p_amount <= 0 then
    perform private.raise_bad_input('The amount to consume must be a whole number above 0.');
  end if;
  -- numeric orders NaN above every number, so this also refuses NaN and Infinity.
  if p_cost_usd is not null and (p_cost_usd = 'NaN'::numeric or p_cost_usd < 0 or p_cost_usd >= 1000000) then
    perform private.raise_bad_input(format('The provider cost must be a number of USD from 0 to 999999.999999, not %s.', p_cost_usd));
  end if;
  if length(p_provider) > 100 then
    perform private.raise_bad_input(format('The provider name is %s characters long; keep it under 100.', length(p_provider)));
  end if;
  if length(p_generation_id) > 200 then
    perform private.raise_bad_input(format('The generation id is %s characters long; ids are at most 200.', length(p_generation_id)));
  end if;
  if p_generation_id is not null then
    -- The customer first, then the generation (the lock order above).
    if nullif(btrim(p_customer_id), '') is not null then
      perform private.lock_credit_customer(p_customer_id);
    end if;
    perform 1 from public.generations where id = p_generation_id for no key update;
    perform private.check_backend_generation(p_customer_id, p_generation_id, true);
  end if;
  v_result := private.apply_credit_change(p_customer_id, -p_amount, 'spend',
    case when nullif(btrim(p_reason), '') is null then 'Generation' else private.check_reason(p_reason, 'consume credits') end,
    'system', 'credits.consume', p_idempotency_key,
    case when p_generation_id is not null then 'generation' end, p_generation_id, p_provider, p_cost_usd);
  if p_generation_id is not null and not (v_result ->> 'replayed')::boolean then
    update public.generations set credits_charged = credits_charged + p_amount where id = p_generation_id;
  end if;
  return v_result;
end $$;

create or replace function public.refund_credits(
  p_customer_id text, p_amount integer, p_generation_id text default null,
  p_reason text default null, p_idempotency_key text default null
) returns json language plpgsql security definer set search_path = '' as $$
declare
  v_reason text;
  v_charged integer;
begin
  if not private.is_service_role() then
    perform private.raise_forbidden('refund_credits is for the product backend (service role) only.');
  end if;
  v_reason := case when nullif(btrim(p_reason), '') is not null then private.check_reason(p_reason, 'refund credits') end;
  if p_generation_id is not null then
    if p_customer_id is not null then
      perform private.check_backend_generation(p_customer_id, p_generation_id, false);
    end if;
    select credits_charged into v_charged from public.generations where id = p_generation_id;
    if p_amount is not null and v_charged is not null and p_amount <> v_charged then
      perform private.raise_bad_input(format(
        'Generation "%s" charged %s credits; a refund of it gives back exactly that (pass no amount, or %s).',
        left(p_generation_id, 200), v_charged, v_charged));
    end if;
    return private.refund_generation_credits(p_generation_id,
      coalesce(v_reason, 'Automatic refund of failed generation'), 'system', 'credits.refund', p_idempotency_key);
  end if;
  if p_amount is null or p_amount <= 0 then
    perform private.raise_bad_input('The amount to refund must be a whole number above 0.');
  end if;
  return private.apply_credit_change(p_customer_id, p_amount, 'refund',
    coalesce(v_reason, 'Refund'), 'system', 'credits.refund', p_idempotency_key);
end $$;

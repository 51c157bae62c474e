-- The credit lifecycle: every credit a customer holds sits in a block (paid, free
-- or legacy) with an optional expiry and a revenue per credit; every entry that lowers a
-- balance records which blocks it drew from, and a refund gives back to the blocks its spend
-- drew from. For every customer: credits = sum(delta) = latest balance_after = sum(remaining).

-- ── tables ─────────────────────────────────────────────────────────────────────────────────
create table public.credit_blocks (
  id bigint generated always as identity primary key,
  customer_id text not null references public.customers (id) on delete restrict,
  kind text not null check (kind in ('paid', 'free', 'legacy')),
  source_transaction_id bigint not null references public.credit_transactions (id),
  original integer not null check (original > 0),
  remaining integer not null,
  -- Revenue per credit: amount paid / credits for paid blocks, 0 for free ones, null for
  -- legacy balances whose price nobody knows.
  unit_price_usd numeric(20, 10) check (unit_price_usd >= 0),
  -- What the customer paid for a paid block, kept exact for cash-in figures.
  amount_usd numeric(12, 2) check (amount_usd > 0),
  expires_at timestamptz,
  -- Drawdown order after expiry: free before legacy before paid.
  draw_rank smallint generated always as (case kind when 'free' then 0 when 'legacy' then 1 else 2 end) stored,
  created_at timestamptz not null default now(),
  -- What the partial indexes below select on, instead of remaining itself: an index predicate
  -- naming remaining made every draw and restore a non-HOT update (a new entry in each of the
  -- block's five indexes per spend). Postgres decides HOT by comparing the indexed values, so
  -- a draw that leaves credits in the block (has_credits stays true) is HOT (issue 13).
  has_credits boolean generated always as (remaining > 0) stored,
  check (remaining between 0 and original),
  check (case kind when 'paid' then unit_price_usd is not null and amount_usd is not null
                   when 'free' then unit_price_usd = 0 and amount_usd is null
                   else amount_usd is null end)
) with (fillfactor = 90);
create index credit_blocks_drawdown_idx on public.credit_blocks
  (customer_id, expires_at nulls last, draw_rank, created_at, id) where has_credits;
create index credit_blocks_customer_idx on public.credit_blocks (customer_id, id);
create index credit_blocks_expiry_idx on public.credit_blocks (expires_at)
  where has_credits and expires_at is not null;
create index credit_blocks_source_idx on public.credit_blocks (source_transaction_id);

-- amount > 0 takes credits from the block, amount < 0 gives them back (a refund).
-- For every block: original - remaining = sum(amount).
create table public.credit_block_draws (
  id bigint generated always as identity primary key,
  transaction_id bigint not null references public.credit_transactions (id),
  block_id bigint not null references public.credit_blocks (id),
  amount integer not null check (amount <> 0),
  created_at timestamptz not null default now(),
  unique (transaction_id, block_id)
);
create index credit_block_draws_block_idx on public.credit_block_draws (block_id, id);
create index credit_block_draws_created_at_idx on public.credit_block_draws (created_at, id);

-- Draws are immutable like the ledger; a block changes only in remaining and expires_at, and
-- only from the credit functions (they set creditdesk.ledger_write).
create trigger credit_block_draws_immutable
  before update or delete on public.credit_block_draws
  for each row execute function private.refuse_ledger_change();
create trigger credit_block_draws_no_truncate
  before truncate on public.credit_block_draws
  for each statement execute function private.refuse_ledger_change();

create or replace function private.guard_credit_block()
returns trigger language plpgsql set search_path = '' as $$
begin
  if tg_op = 'DELETE' then
    raise exception using errcode = '42501',
      message = 'Credit blocks are never deleted: expire or draw them through the credit functions.';
  end if;
  if coalesce(current_setting('creditdesk.ledger_write', true), '') <> 'on' then
    raise exception using errcode = '42501',
      message = 'Credit blocks change only through the credit functions (grant_credits, extend_credit_expiry, …).';
  end if;
  if tg_op = 'UPDATE' and (new.id, new.customer_id, new.kind, new.source_transaction_id, new.original,
        new.unit_price_usd, new.amount_usd, new.created_at)
     is distinct from (old.id, old.customer_id, old.kind, old.source_transaction_id, old.original,
        old.unit_price_usd, old.amount_usd, old.created_at) then
    raise exception using errcode = '42501',
      message = 'Only the remaining credits and the expiry of a credit block can change.';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $$;

create trigger credit_blocks_guard
  before insert or update or delete on public.credit_blocks
  for each row execute function private.guard_credit_block();
create trigger credit_blocks_no_truncate
  before truncate on public.credit_blocks
  for each statement execute function private.refuse_ledger_change();

-- ── the clock ──────────────────────────────────────────────────────────────────────────────
-- The credit functions read the time here. A seed or an import replaying history through the
-- real functions sets creditdesk.clock for its transaction; a request through PostgREST
-- (session user authenticator) always gets the real time, whatever it sets.
-- PL/pgSQL, so its plan is kept for the session (10_private_helpers.sql, request_header): a
-- charged generation reads the clock three times.
create or replace function private.clock()
returns timestamptz language plpgsql stable set search_path = '' as $$
begin
  return case when session_user::text <> 'authenticator'
                   and nullif(current_setting('creditdesk.clock', true), '') is not null
              then current_setting('creditdesk.clock', true)::timestamptz
              else now() end;
end $$;

create or replace function private.stamp_with_clock()
returns trigger language plpgsql set search_path = '' as $$
begin
  if nullif(current_setting('creditdesk.clock', true), '') is not null then
    if tg_table_name = 'admin_audit' then
      new.at := private.clock();
    else
      new.created_at := private.clock();
    end if;
  end if;
  return new;
end $$;

create trigger credit_transactions_clock before insert on public.credit_transactions
  for each row execute function private.stamp_with_clock();
create trigger generations_clock before insert on public.generations
  for each row execute function private.stamp_with_clock();
create trigger credit_blocks_clock before insert on public.credit_blocks
  for each row execute function private.stamp_with_clock();
create trigger credit_block_draws_clock before insert on public.credit_block_draws
  for each row execute function private.stamp_with_clock();
create trigger admin_audit_clock before insert on public.admin_audit
  for each row execute function private.stamp_with_clock();

-- ── drawing and restoring ──────────────────────────────────────────────────────────────────
-- Takes p_amount credits from the customer's blocks for ledger entry p_transaction_id:
-- soonest expiry first (never-expiring last), then free before legacy before paid, then
-- oldest first. Blocks already past their expiry that the expiry job has not reached yet are
-- still part of the balance; they are drawn only after every live block. With p_block_id the
-- credits come from that block alone (an expiry entry). Runs under the customer's lock.
create or replace function private.draw_credit_blocks(
  p_customer_id text, p_transaction_id bigint, p_amount integer, p_block_id bigint default null
) returns void language plpgsql security definer set search_path = '' as $$
declare
  v_prev_write text;
  v_now timestamptz := private.clock();
  v_taken bigint;
begin
  v_prev_write := current_setting('creditdesk.ledger_write', true);
  perform set_config('creditdesk.ledger_write', 'on', true);
  with ordered as (
    select b.id, b.remaining,
           sum(b.remaining) over (order by (b.expires_at <= v_now) is true, b.expires_at nulls last,
                                           b.draw_rank, b.created_at, b.id) as upto
      from public.credit_blocks b
     where b.customer_id = p_customer_id and b.has_credits
       and (p_block_id is null or b.id = p_block_id)
  ), take as (
    select o.id, least(o.remaining, p_amount - (o.upto - o.remaining))::integer as amount
      from ordered o where o.upto - o.remaining < p_amount
  ), drawn as (
    insert into public.credit_block_draws (transaction_id, block_id, amount)
    select p_transaction_id, t.id, t.amount from take t
    returning block_id, amount
  ), updated as (
    update public.credit_blocks b set remaining = b.remaining - d.amount
      from drawn d where b.id = d.block_id
    returning d.amount
  )
  select coalesce(sum(amount), 0) into v_taken from updated;
  perform set_config('creditdesk.ledger_write', coalesce(v_prev_write, ''), true);
  if v_taken <> p_amount then
    raise exception using errcode = 'XX000',
      message = format('Credit blocks of customer %s hold %s credits fewer than its balance needs (%s asked).',
                       p_customer_id, p_amount - v_taken, p_amount),
      hint = 'ledger_integrity lists the customers whose blocks and balance differ.';
  end if;
end $$;

-- Gives p_amount credits back for refund entry p_refund_transaction_id to the blocks the
-- spends p_spend_transaction_ids drew from, latest in drawdown order first (so the credits
-- that would last longest come back first), never more than a block lost to them. A block
-- that has expired meanwhile gets its credits back too, and the next expiry run takes them
-- with an entry of its own. Returns how many credits found no drawn block (older spends,
-- before blocks existed): the caller puts those in a block of their own.
create or replace function private.restore_credit_blocks(
  p_refund_transaction_id bigint, p_amount integer, p_spend_transaction_ids bigint[]
) returns integer language plpgsql security definer set search_path = '' as $$
declare
  v_prev_write text;
  v_restored bigint;
begin
  v_prev_write := current_setting('creditdesk.ledger_write', true);
  perform set_config('creditdesk.ledger_write', 'on', true);
  with net as (
    select d.block_id, sum(d.amount) as drawn
      from public.credit_block_draws d
     where d.transaction_id = any (p_spend_transaction_ids)
     group by d.block_id having sum(d.amount) > 0
  ), ordered as (
    select n.block_id, n.drawn,
           sum(n.drawn) over (order by b.expires_at desc nulls first, b.draw_rank desc, b.created_at desc, b.id desc) as upto
      from net n join public.credit_blocks b on b.id = n.block_id
  ), give as (
    select o.block_id, least(o.drawn, p_amount - (o.upto - o.drawn))::integer as amount
      from ordered o where o.upto - o.drawn < p_amount
  ), restored as (
    insert into public.credit_block_draws (transaction_id, block_id, amount)
    select p_refund_transaction_id, g.block_id, -g.amount from give g
    returning block_id, -amount as amount
  ), updated as (
    update public.credit_blocks b set remaining = b.remaining + r.amount
      from restored r where b.id = r.block_id
    returning r.amount
  )
  select coalesce(sum(amount), 0) into v_restored from updated;
  perform set_config('creditdesk.ledger_write', coalesce(v_prev_write, ''), true);
  return p_amount - v_restored;
end $$;

create or replace function private.insert_credit_block(
  p_customer_id text, p_transaction_id bigint, p_kind text, p_credits integer,
  p_unit_price_usd numeric, p_amount_usd numeric, p_expires_at timestamptz
) returns bigint language plpgsql security definer set search_path = '' as $$
declare
  v_prev_write text;
  v_id bigint;
begin
  v_prev_write := current_setting('creditdesk.ledger_write', true);
  perform set_config('creditdesk.ledger_write', 'on', true);
  insert into public.credit_blocks (customer_id, kind, source_transaction_id, original, remaining,
    unit_price_usd, amount_usd, expires_at)
  values (p_customer_id, p_kind, p_transaction_id, p_credits, p_credits, p_unit_price_usd, p_amount_usd, p_expires_at)
  returning id into v_id;
  perform set_config('creditdesk.ledger_write', coalesce(v_prev_write, ''), true);
  return v_id;
end $$;

-- Called for every ledger entry written (trigger below), so no entry can move a balance
-- without moving blocks. A lowering entry draws; a refund of a generation restores
-- what its spends drew; any other raising entry becomes a block. What kind of block (and which
-- block an expiry entry takes) the caller says in creditdesk.block_terms, a json set for the
-- one call: {kind, unit_price_usd, amount_usd, expires_at} or {block_id}. Without it a raising
-- entry is a free, never-expiring block.
create or replace function private.move_credit_blocks(p_transaction_id bigint)
returns void language plpgsql security definer set search_path = '' as $$
declare
  v_tx public.credit_transactions;
  v_terms jsonb := nullif(current_setting('creditdesk.block_terms', true), '')::jsonb;
  v_left integer;
begin
  perform set_config('creditdesk.block_terms', '', true);
  select * into v_tx from public.credit_transactions where id = p_transaction_id;
  if v_tx.delta < 0 then
    perform private.draw_credit_blocks(v_tx.customer_id, v_tx.id, -v_tx.delta, (v_terms ->> 'block_id')::bigint);
    return;
  end if;
  v_left := v_tx.delta;
  if v_tx.type = 'refund' and v_tx.ref_type = 'generation' then
    v_left := private.restore_credit_blocks(v_tx.id, v_tx.delta, array(
      select s.id from public.credit_transactions s
       where s.ref_type = 'generation' and s.ref_id = v_tx.ref_id and s.type = 'spend'
         and s.customer_id = v_tx.customer_id));
  end if;
  if v_left > 0 then
    perform private.insert_credit_block(v_tx.customer_id, v_tx.id, coalesce(v_terms ->> 'kind', 'free'), v_left,
      case when coalesce(v_terms ->> 'kind', 'free') = 'free' then 0 else (v_terms ->> 'unit_price_usd')::numeric end,
      (v_terms ->> 'amount_usd')::numeric, (v_terms ->> 'expires_at')::timestamptz);
  end if;
end $$;

-- Existing balances (before blocks existed, or loaded in bulk by the seed or the legacy
-- import) become one legacy block per customer, created by the customer's latest entry.
-- Customers that already have blocks are left alone, so it can run again.
create or replace function private.create_legacy_blocks()
returns integer language plpgsql security definer set search_path = '' as $$
declare
  v_prev_write text;
  v_count integer;
begin
  v_prev_write := current_setting('creditdesk.ledger_write', true);
  perform set_config('creditdesk.ledger_write', 'on', true);
  insert into public.credit_blocks (customer_id, kind, source_transaction_id, original, remaining,
    unit_price_usd, expires_at, created_at)
  select c.id, 'legacy', t.id, c.credits, c.credits, null, null, t.created_at
    from public.customers c
    cross join lateral (select x.id, x.created_at from public.credit_transactions x
                         where x.customer_id = c.id order by x.id desc limit 1) t
   where c.credits > 0
     and not exists (select 1 from public.credit_blocks b where b.customer_id = c.id);
  get diagnostics v_count = row_count;
  perform set_config('creditdesk.ledger_write', coalesce(v_prev_write, ''), true);
  return v_count;
end $$;

-- ── the ledger path draws and restores blocks ──────────────────────────────────────────────
-- Every ledger row written moves blocks in the same statement, whichever function writes it
-- (apply_credit_change and its callers need no change). The bulk loaders (seed.sql's history,
-- public.import_legacy) write ledger rows with creditdesk.skip_row_audit on and make one legacy
-- block per customer afterwards (create_legacy_blocks), so their rows are left alone here.
create or replace function private.ledger_moves_blocks()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  if coalesce(current_setting('creditdesk.skip_row_audit', true), '') <> 'on' then
    perform private.move_credit_blocks(new.id);
  end if;
  return null;
end $$;

create trigger credit_transactions_move_blocks after insert on public.credit_transactions
  for each row execute function private.ledger_moves_blocks();

-- ── checks shared by the lifecycle functions ───────────────────────────────────────────────
create or replace function private.check_credit_amount(p_credits integer, p_what text)
returns void language plpgsql immutable set search_path = '' as $$
begin
  if p_credits is null or p_credits <= 0 or p_credits > 1000000 then
    perform private.raise_bad_input(
      format('The number of credits to %s must be a whole number from 1 to 1,000,000, not %s.', p_what,
             coalesce(p_credits::text, 'empty')));
  end if;
end $$;

create or replace function private.check_future_expiry(p_expires_at timestamptz)
returns void language plpgsql stable set search_path = '' as $$
begin
  if p_expires_at is null then
    return;
  end if;
  if p_expires_at = 'infinity' or p_expires_at = '-infinity' then
    perform private.raise_bad_input('Give the expiry as a date and time, or leave it empty for credits that never expire.');
  end if;
  if p_expires_at <= private.clock() then
    perform private.raise_bad_input(
      format('The expiry %s is in the past; choose a later date and time.',
             to_char(p_expires_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')));
  end if;
  if p_expires_at > private.clock() + interval '10 years' then
    perform private.raise_bad_input('An expiry more than 10 years ahead is not allowed; leave it empty for credits that never expire.');
  end if;
end $$;

create or replace function private.check_idempotency_key(p_key text, p_required boolean)
returns void language plpgsql immutable set search_path = '' as $$
begin
  if p_key is null then
    if p_required then
      perform private.raise_bad_input('An idempotency key is required, so a retried call is not charged twice.',
        'Send the same key (8 to 200 characters, e.g. a request id) with every retry.');
    end if;
  elsif length(p_key) not between 8 and 200 then
    perform private.raise_bad_input('The idempotency key must be 8 to 200 characters long.');
  end if;
end $$;

-- PL/pgSQL for the plan cache (10_private_helpers.sql, request_header): every purchase and
-- grant answers through it.
create or replace function private.block_result(p_transaction_id bigint, p_replayed boolean)
returns json language plpgsql stable security definer set search_path = '' as $$
begin
  return (select json_build_object('transaction_id', t.id,
            'block_id', (select b.id from public.credit_blocks b where b.source_transaction_id = t.id
                          order by b.id limit 1),
            'balance', t.balance_after, 'replayed', p_replayed)
     from public.credit_transactions t where t.id = p_transaction_id);
end $$;

-- ── purchases and grants ───────────────────────────────────────────────────────────────────
create or replace function public.purchase_credits(
  p_customer_id text, p_credits integer, p_amount_usd numeric, p_payment_ref text, p_source text,
  p_expires_at timestamptz default null
) returns json language plpgsql security definer set search_path = '' as $$
declare
  v_key text;
  v_first public.credit_transactions;
  v_block public.credit_blocks;
  v_result json;
begin
  if not private.is_service_role() then
    perform private.raise_forbidden('purchase_credits is for the payment webhooks (service role) only.');
  end if;
  perform private.check_credit_amount(p_credits, 'buy');
  if p_amount_usd is null or p_amount_usd = 'NaN'::numeric or p_amount_usd <= 0 or p_amount_usd >= 1000000
     or p_amount_usd <> round(p_amount_usd, 2) then
    perform private.raise_bad_input(format('The amount paid must be a USD amount from 0.01 to 999999.99 in cents, not %s.',
      coalesce(p_amount_usd::text, 'empty')), 'A free credit is a grant: use grant_credits.');
  end if;
  if p_payment_ref is null or btrim(p_payment_ref) = '' or length(p_payment_ref) > 150 then
    perform private.raise_bad_input('The payment reference (the order or payment id, up to 150 characters) is required.');
  end if;
  if p_source is null or p_source !~ '^[a-z][a-z0-9_-]{0,29}$' then
    perform private.raise_bad_input(format('The source must be a short lower-case name such as shopify or stripe, not %s.',
      coalesce(quote_literal(p_source), 'empty')));
  end if;
  perform private.check_future_expiry(p_expires_at);
  v_key := 'purchase:' || p_source || ':' || p_payment_ref;

  perform private.lock_credit_customer(p_customer_id);
  select * into v_first from public.credit_transactions t
   where t.idempotency_key = v_key and t.type = 'purchase' and t.source = p_source and t.actor is null;
  if found then
    select * into v_block from public.credit_blocks where source_transaction_id = v_first.id;
    if v_first.customer_id <> p_customer_id or v_first.delta <> p_credits or v_block.amount_usd <> p_amount_usd
       or v_block.expires_at is distinct from p_expires_at then
      perform private.raise_conflict(
        format('Payment %s from %s was already recorded as %s credits for $%s for customer %s.',
               p_payment_ref, p_source, v_first.delta, v_block.amount_usd, v_first.customer_id),
        'A payment is recorded once; a new payment needs its own reference.');
    end if;
    return private.block_result(v_first.id, true);
  end if;

  perform set_config('creditdesk.block_terms', json_build_object('kind', 'paid', 'amount_usd', p_amount_usd,
    'unit_price_usd', round(p_amount_usd / p_credits, 10), 'expires_at', p_expires_at)::text, true);
  v_result := private.apply_credit_change(p_customer_id, p_credits, 'purchase',
    format('%s credits for $%s', p_credits, to_char(p_amount_usd, 'FM999999990.00')), p_source, 'credits.purchase',
    v_key, 'payment', p_payment_ref);
  perform set_config('creditdesk.block_terms', '', true);
  return private.block_result((v_result ->> 'transaction_id')::bigint, false);
end $$;

create or replace function public.grant_credits(
  p_customer_id text, p_credits integer, p_reason text, p_expires_at timestamptz default null,
  p_idempotency_key text default null
) returns json language plpgsql security definer set search_path = '' as $$
declare
  v_reason text;
  v_result json;
begin
  if not (private.has_role('admin', 'support') or private.is_service_role()) then
    perform private.raise_forbidden('Only support and admin staff (or the product backend) may grant credits.');
  end if;
  perform private.check_credit_amount(p_credits, 'grant');
  v_reason := private.check_reason(p_reason, 'grant credits');
  perform private.check_future_expiry(p_expires_at);
  perform private.check_idempotency_key(p_idempotency_key, false);

  perform private.lock_credit_customer(p_customer_id);
  perform set_config('creditdesk.block_terms', json_build_object('kind', 'free', 'expires_at', p_expires_at)::text, true);
  v_result := private.apply_credit_change(p_customer_id, p_credits, 'grant', v_reason,
    case when private.is_service_role() then 'system' else 'manual' end, 'credits.grant', p_idempotency_key);
  perform set_config('creditdesk.block_terms', '', true);
  if (v_result ->> 'replayed')::boolean then
    if (select b.expires_at is distinct from p_expires_at from public.credit_blocks b
         where b.source_transaction_id = (v_result ->> 'transaction_id')::bigint) then
      perform private.raise_conflict('This idempotency key was already used for a grant with another expiry.',
        'Use a new key for a new grant.');
    end if;
  end if;
  return private.block_result((v_result ->> 'transaction_id')::bigint, (v_result ->> 'replayed')::boolean);
end $$;

-- ── expiry ─────────────────────────────────────────────────────────────────────────────────
-- One expiry entry per block past its expiry that still holds credits, for one customer
-- whose lock the caller holds. The key names the block and its latest draw, so credits
-- restored to an expired block later expire with an entry of their own.
create or replace function private.expire_customer_blocks(
  p_customer_id text, p_now timestamptz, out entries integer, out credits bigint
) language plpgsql security definer set search_path = '' as $$
declare
  v_block public.credit_blocks;
begin
  entries := 0;
  credits := 0;
  for v_block in
    select * from public.credit_blocks b
     where b.customer_id = p_customer_id and b.has_credits and b.expires_at <= p_now
     order by b.expires_at, b.id
  loop
    perform set_config('creditdesk.block_terms', json_build_object('block_id', v_block.id)::text, true);
    perform private.apply_credit_change(p_customer_id, -v_block.remaining, 'expiry',
      format('%s %s credits expired on %s', v_block.remaining, v_block.kind,
             to_char(v_block.expires_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')),
      'system', 'credits.expire',
      format('expiry:block:%s:%s', v_block.id,
             (select coalesce(max(d.id), 0) from public.credit_block_draws d where d.block_id = v_block.id)),
      'credit_block', v_block.id::text);
    perform set_config('creditdesk.block_terms', '', true);
    entries := entries + 1;
    credits := credits + v_block.remaining;
  end loop;
end $$;

-- The job (every 5 minutes, see the end of this file).
create or replace function public.expire_credits(p_now timestamptz default now())
returns json language plpgsql security definer set search_path = '' as $$
declare
  v_customers text[];
  v_customer text;
  v_done record;
  v_entries integer := 0;
  v_credits bigint := 0;
begin
  if not private.is_service_role() then
    perform private.raise_forbidden('expire_credits is the expiry job''s (service role) only.');
  end if;
  if p_now is null or p_now > private.clock() + interval '1 minute' then
    perform private.raise_bad_input('p_now must be a time not in the future (default: now).',
      'Credits expire when their time has come, never ahead of it.');
  end if;
  -- Every customer concerned is locked first, in id order, before anything is written: a
  -- transaction of one customer that waits here holds no rollup row this job needs. A deleted
  -- customer's credits never change again, so its blocks are left as they are.
  select array_agg(c.id order by c.id) into v_customers
    from (select c.id from public.customers c
           where c.deleted_at is null
             and exists (select 1 from public.credit_blocks b
                          where b.customer_id = c.id and b.has_credits and b.expires_at <= p_now)
           order by c.id for no key update of c) c;
  foreach v_customer in array coalesce(v_customers, '{}') loop
    select * into v_done from private.expire_customer_blocks(v_customer, p_now);
    v_entries := v_entries + v_done.entries;
    v_credits := v_credits + v_done.credits;
  end loop;
  -- The job also folds the finance rollup's appended deltas (76_finance_metrics.sql).
  perform private.fold_finance_deltas();
  return json_build_object('entries', v_entries, 'credits', v_credits,
                           'customers', coalesce(array_length(v_customers, 1), 0), 'at', p_now);
end $$;

create or replace function public.extend_credit_expiry(
  p_block_id bigint, p_expires_at timestamptz, p_reason text
) returns json language plpgsql security definer set search_path = '' as $$
declare
  v_reason text;
  v_customer text;
  v_block public.credit_blocks;
begin
  if not private.has_role('admin', 'support') then
    perform private.raise_forbidden('Only support and admin staff may extend an expiry.');
  end if;
  v_reason := private.check_reason(p_reason, 'extend an expiry');
  if p_block_id is null then
    perform private.raise_bad_input('Choose the credit block whose expiry to extend (block id is empty).');
  end if;
  perform private.check_future_expiry(p_expires_at);
  select customer_id into v_customer from public.credit_blocks where id = p_block_id;
  if not found then
    perform private.raise_not_found(format('No credit block with id %s.', p_block_id));
  end if;
  perform private.lock_credit_customer(v_customer);
  select * into v_block from public.credit_blocks where id = p_block_id for update;

  if v_block.expires_at is not distinct from p_expires_at then
    return json_build_object('block_id', v_block.id, 'expires_at', v_block.expires_at,
                             'previous_expires_at', v_block.expires_at, 'replayed', true);
  end if;
  if v_block.remaining = 0 then
    perform private.raise_conflict(
      format('Block %s has no credits left (%s of %s used or expired), so there is nothing to extend.',
             v_block.id, v_block.original, v_block.original));
  end if;
  if v_block.expires_at is null then
    perform private.raise_conflict(format('Block %s never expires; there is nothing to extend.', v_block.id));
  end if;
  if p_expires_at is not null and p_expires_at < v_block.expires_at then
    perform private.raise_conflict(
      format('Block %s expires on %s; an extension must be later than that.', v_block.id,
             to_char(v_block.expires_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')),
      'Shortening an expiry would take credits the customer was promised.');
  end if;

  perform set_config('creditdesk.ledger_write', 'on', true);
  update public.credit_blocks set expires_at = p_expires_at where id = v_block.id;
  perform set_config('creditdesk.ledger_write', '', true);
  perform private.write_audit('credits.extend_expiry', 'credit_blocks', v_block.id::text, jsonb_build_object(
    'customer_id', v_block.customer_id, 'reason', v_reason, 'remaining', v_block.remaining,
    'changes', jsonb_build_object('expires_at', jsonb_build_object('before', v_block.expires_at, 'after', p_expires_at))));
  return json_build_object('block_id', v_block.id, 'expires_at', p_expires_at,
                           'previous_expires_at', v_block.expires_at, 'replayed', false);
end $$;

-- ── generations ────────────────────────────────────────────────────────────────────────────
create or replace function private.start_result(p_generation public.generations, p_replayed boolean)
returns json language sql stable security definer set search_path = '' as $$
  select json_build_object('generation_id', p_generation.id,
           'transaction_id', (select t.id from public.credit_transactions t
                               where t.ref_type = 'generation' and t.ref_id = p_generation.id and t.type = 'spend'
                               order by t.id limit 1),
           'credits_charged', p_generation.credits_charged,
           'balance', (select c.credits from public.customers c where c.id = p_generation.customer_id),
           'replayed', p_replayed)
$$;

create or replace function public.start_generation(
  p_customer_id text, p_type text, p_provider text, p_model text, p_prompt text, p_idempotency_key text,
  p_session_id text default null, p_meta jsonb default null
) returns json language plpgsql security definer set search_path = '' as $$
declare
  v_customer public.customers;
  v_type public.generation_types;
  v_gen public.generations;
  v_spend json;
  v_expired record;
begin
  if not private.is_service_role() then
    perform private.raise_forbidden('start_generation is for the product backend (service role) only.');
  end if;
  perform private.check_idempotency_key(p_idempotency_key, true);
  if p_type is null or btrim(p_type) = '' then
    perform private.raise_bad_input('Say which generation type to start (e.g. text_to_image).');
  end if;
  if p_provider is null or btrim(p_provider) = '' or length(p_provider) > 100 then
    perform private.raise_bad_input('The provider (e.g. wavespeed, up to 100 characters) is required.');
  end if;
  if length(p_model) > 200 then
    perform private.raise_bad_input(format('The model name is %s characters long; keep it under 200.', length(p_model)));
  end if;
  if length(p_prompt) > 20000 then
    perform private.raise_bad_input(format('The prompt is %s characters long; the limit is 20,000.', length(p_prompt)));
  end if;
  if p_meta is not null and jsonb_typeof(p_meta) <> 'object' then
    perform private.raise_bad_input('p_meta must be a JSON object.');
  end if;

  v_customer := private.lock_credit_customer(p_customer_id);
  select * into v_gen from public.generations where idempotency_key = p_idempotency_key;
  if found then
    if v_gen.customer_id <> p_customer_id or v_gen.type is distinct from p_type then
      perform private.raise_conflict('This idempotency key already started another generation.',
        'Use a new key for a new generation.');
    end if;
    return private.start_result(v_gen, true);
  end if;
  if v_customer.disabled then
    perform private.raise_conflict('This customer account is disabled; it cannot start generations.');
  end if;
  select * into v_type from public.generation_types where type_key = p_type;
  if not found then
    perform private.raise_bad_input(format('There is no generation type %s.', quote_literal(left(p_type, 64))),
      'The types and their prices are on the Generation types page.');
  end if;
  if not v_type.active then
    perform private.raise_conflict(format('%s is not offered at the moment (the type is inactive).', v_type.display_name));
  end if;
  if p_session_id is not null
     and not exists (select 1 from public.sessions s where s.id = p_session_id and s.customer_id = p_customer_id) then
    perform private.raise_bad_input(format('Session "%s" is not a session of this customer.', left(p_session_id, 200)));
  end if;

  -- Credits past their expiry go first, so the price is checked against what is really there.
  select * into v_expired from private.expire_customer_blocks(p_customer_id, private.clock());
  if v_expired.entries > 0 then
    select credits into v_customer.credits from public.customers where id = p_customer_id;
  end if;
  if v_customer.credits < v_type.cost_credits then
    perform private.raise_conflict(
      format('Not enough credits: the customer has %s and %s costs %s.', v_customer.credits, v_type.display_name,
             v_type.cost_credits),
      format('Buy or grant at least %s more credits.', v_type.cost_credits - v_customer.credits));
  end if;

  insert into public.generations (customer_id, session_id, type, provider, model, prompt, status,
    credits_charged, meta, idempotency_key)
  values (p_customer_id, p_session_id, p_type, p_provider, p_model, p_prompt, 'pending',
    v_type.cost_credits, coalesce(p_meta, '{}'::jsonb), p_idempotency_key)
  returning * into v_gen;
  if v_type.cost_credits > 0 then
    v_spend := private.apply_credit_change(p_customer_id, -v_type.cost_credits, 'spend', 'Generation: ' || v_type.type_key,
      'system', 'generations.start', 'spend:generation:' || v_gen.id, 'generation', v_gen.id, p_provider, null);
  end if;
  -- What start_result looks up for a replay is known here: the spend just written and the
  -- balance it left (a SQL function's two lookups, planned again on every call, were 1.4 ms of
  -- a start's ~9 in the one-client profile, issue 13).
  return json_build_object('generation_id', v_gen.id, 'transaction_id', v_spend -> 'transaction_id',
    'credits_charged', v_gen.credits_charged,
    'balance', coalesce(v_spend -> 'balance', to_json(v_customer.credits)), 'replayed', false);
end $$;

create or replace function public.finish_generation(
  p_generation_id text, p_status text, p_output_url text default null, p_content_type text default null,
  p_latency_ms integer default null, p_cost_usd numeric default null, p_error text default null,
  p_meta jsonb default null
) returns json language plpgsql security definer set search_path = '' as $$
declare
  v_gen public.generations;
  v_refund json;
begin
  if not private.is_service_role() then
    perform private.raise_forbidden('finish_generation is for the product backend (service role) only.');
  end if;
  if p_status is null or p_status not in ('succeeded', 'failed', 'cancelled') then
    perform private.raise_bad_input(format('A generation finishes as succeeded, failed or cancelled, not %s.',
      coalesce(quote_literal(p_status), 'empty')));
  end if;
  if p_cost_usd is not null and (p_cost_usd = 'NaN'::numeric or p_cost_usd < 0 or p_cost_usd >= 1000000) then
    perform private.raise_bad_input(format('The provider cost must be a number of USD from 0 to 999999.999999, not %s.', p_cost_usd));
  end if;
  if p_latency_ms is not null and p_latency_ms < 0 then
    perform private.raise_bad_input('The latency cannot be negative.');
  end if;
  if length(p_output_url) > 2000 or length(p_error) > 2000 or length(p_content_type) > 100 then
    perform private.raise_bad_input('The output URL and error are limited to 2,000 characters, the content type to 100.');
  end if;
  if p_meta is not null and jsonb_typeof(p_meta) <> 'object' then
    perform private.raise_bad_input('p_meta must be a JSON object.');
  end if;
  if p_generation_id is null or btrim(p_generation_id) = '' then
    perform private.raise_bad_input('Choose the generation to finish (generation id is empty).');
  end if;

  -- The ledger's lock order (40_ledger.sql): the customer, then the generation.
  v_gen := private.lock_generation_and_customer(p_generation_id);

  if v_gen.status in ('succeeded', 'failed', 'cancelled') then
    if v_gen.status <> p_status then
      perform private.raise_conflict(format('This generation already finished as %s; it cannot become %s.',
        v_gen.status, p_status));
    end if;
    return json_build_object('generation_id', v_gen.id, 'status', v_gen.status,
      'credits_refunded', case when v_gen.refunded_at is not null then v_gen.credits_charged else 0 end,
      'balance', (select credits from public.customers where id = v_gen.customer_id), 'replayed', true);
  end if;

  update public.generations set status = p_status, output_url = p_output_url, content_type = p_content_type,
         latency_ms = p_latency_ms, cost_usd = coalesce(p_cost_usd, 0), error = p_error,
         meta = meta || coalesce(p_meta, '{}'::jsonb), completed_at = private.clock(),
         refunded_at = case when p_status <> 'succeeded' and credits_charged > 0 then private.clock() end
   where id = v_gen.id returning * into v_gen;
  if p_status <> 'succeeded' and v_gen.credits_charged > 0 then
    v_refund := private.apply_credit_change(v_gen.customer_id, v_gen.credits_charged, 'refund',
      format('Automatic refund: generation %s', p_status), 'system', 'generations.finish',
      'refund:generation:' || v_gen.id, 'generation', v_gen.id, v_gen.provider, null);
  end if;
  return json_build_object('generation_id', v_gen.id, 'status', v_gen.status,
    'refund_transaction_id', v_refund ->> 'transaction_id',
    'credits_refunded', case when v_refund is not null then v_gen.credits_charged else 0 end,
    'balance', (select credits from public.customers where id = v_gen.customer_id), 'replayed', false);
end $$;

-- ── the expiry job ─────────────────────────────────────────────────────────────────────────
-- expire_credits every 5 minutes, registered with private.schedule_job: pg_cron runs it on
-- hosted, the embedded stack's job timer (supabase/local/jobs.mjs) where pg_cron is absent.
-- The job runs as the migration's owner without a JWT, so a private wrapper says it is the
-- job before calling the service-role function.
create or replace function private.expire_credits_job()
returns json language plpgsql security definer set search_path = '' as $$
begin
  perform set_config('request.jwt.claims', '{"role": "service_role"}', true);
  return public.expire_credits(now());
end $$;

select private.schedule_job('creditdesk-expire-credits', '*/5 * * * *', 'select private.expire_credits_job()');

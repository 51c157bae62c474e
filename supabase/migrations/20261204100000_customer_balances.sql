-- Issue 13: the customers list sorted by balance without losing the HOT balance updates of
-- 20261203100000. The balance moves to a narrow row, public.customer_balances, indexed by
-- (credits desc, customer_id); customers.credits follows it through the foreign key
-- customers (id, credits) → customer_balances (customer_id, credits) ON UPDATE CASCADE, so the
-- two cannot disagree and every reader of customers.credits keeps working. The ledger writes
-- the balance row; the cascade's rewrite of the customer row changes no indexed column there,
-- so it stays HOT. 30_customers_generations.sql and 40_ledger.sql say why in full.

-- No balance may move between the copy below and the foreign key's check of it.
lock table public.customers in share row exclusive mode;

create table public.customer_balances (
  customer_id text primary key,
  credits integer not null default 0 check (credits >= 0)
);
create unique index customer_balances_credits_idx on public.customer_balances (credits desc, customer_id);

insert into public.customer_balances (customer_id, credits) select id, credits from public.customers;

alter table public.customers add constraint customers_credits_fkey foreign key (id, credits)
  references public.customer_balances (customer_id, credits) on update cascade;

create trigger customer_balances_guard_credits
  before insert or update of credits on public.customer_balances
  for each row execute function private.guard_customer_credits();

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

create or replace function private.legacy_import_ledger()
returns void language plpgsql set search_path = '' as $$
begin
  create temp table legacy_tx on commit drop as
  select s.ord, s.source, s.system, s.src_id, s.r,
         private.legacy_customer_ref(s.r) as customer_ref,
         private.legacy_customer_for(private.legacy_customer_ref(s.r)) as customer_id,
         private.legacy_delta(s.r) as delta,
         coalesce(private.legacy_ts(s.r ->> 'created_at'), private.legacy_ts(s.r ->> 'at')) as created_at,
         private.legacy_key('tx', coalesce(s.src_id, 'row:' || md5(s.r::text))) as idempotency_key,
         coalesce(private.legacy_text(s.r ->> 'ref_id'), private.legacy_text(s.r ->> 'api_request_id'),
                  private.legacy_text(s.r ->> 'generation_id')) as ref_id,
         null::text as type, null::text as ref_type, null::text as reason, null::text as outcome
    from pg_temp.legacy_stage s where s.target = 'credit_transactions';

  -- MEGA transactions have no type column: their source (shopify, stripe…) still tells a purchase.
  update pg_temp.legacy_tx set type = private.legacy_ledger_type(coalesce(r ->> 'transaction_type', r ->> 'type', r ->> 'source'), delta),
         ref_type = case when ref_id is not null then coalesce(private.legacy_text(r ->> 'ref_type', 50), 'generation') end
   where true;

  update pg_temp.legacy_tx set outcome = 'skipped', reason = format('no customer %s',
           coalesce(quote_literal(customer_ref), '(customer_id is empty)'))
   where customer_id is null;
  update pg_temp.legacy_tx set outcome = 'present'
   where outcome is null and customer_id not in (select id from pg_temp.legacy_new_customers);
  update pg_temp.legacy_tx set outcome = 'skipped', reason = 'no credit change (delta missing or 0)'
   where outcome is null and coalesce(delta, 0) = 0;
  update pg_temp.legacy_tx set outcome = 'skipped',
         reason = format('legacy status %s: the change never took effect', quote_literal(r ->> 'status'))
   where outcome is null and lower(r ->> 'status') in ('failed', 'cancelled', 'canceled', 'pending', 'reverted');
  update pg_temp.legacy_tx l set outcome = 'skipped', reason = 'transaction id already in the ledger'
   where l.outcome is null
     and exists (select 1 from public.credit_transactions t where t.idempotency_key = l.idempotency_key);
  update pg_temp.legacy_tx l set outcome = 'skipped', reason = format('duplicate of %s row %s (same id)', f.source, f.src_id)
    from (select distinct on (idempotency_key) * from pg_temp.legacy_tx where outcome is null
           order by idempotency_key, ord) f
   where l.outcome is null and f.idempotency_key = l.idempotency_key and f.ord < l.ord;
  -- A generation is refunded at most once (unique index on refund entries per generation).
  update pg_temp.legacy_tx l set outcome = 'skipped', reason = format('second refund of generation %s', l.ref_id)
   where l.outcome is null and l.type = 'refund' and l.ref_type = 'generation'
     and (exists (select 1 from public.credit_transactions t
                   where t.type = 'refund' and t.ref_type = 'generation' and t.ref_id = l.ref_id)
          or exists (select 1 from pg_temp.legacy_tx o where o.outcome is null and o.type = 'refund'
                      and o.ref_type = 'generation' and o.ref_id = l.ref_id and o.ord < l.ord));
  update pg_temp.legacy_tx set outcome = 'imported' where outcome is null;

  perform private.legacy_log(source, 'credit_transactions', coalesce(src_id, customer_ref), outcome, reason)
     from pg_temp.legacy_tx;

  create temp table legacy_ledger on commit drop as
  with history as (
    select t.customer_id, 1 as phase, coalesce(t.created_at, n.created_at) as at, t.ord, t.type, t.delta,
           coalesce(private.legacy_text(t.r ->> 'reason', 500), private.legacy_text(t.r ->> 'description', 500),
                    private.legacy_text(t.r ->> 'enhancement_type', 500)) as reason,
           coalesce(private.legacy_text(t.r ->> 'source', 50), 'legacy_import') as source,
           t.ref_type, t.ref_id, private.legacy_text(t.r ->> 'provider') as provider,
           private.legacy_numeric(t.r ->> 'cost_usd') as cost_usd, t.idempotency_key,
           sum(t.delta) over (partition by t.customer_id order by coalesce(t.created_at, n.created_at), t.ord) as prefix
      from pg_temp.legacy_tx t join pg_temp.legacy_new_customers n on n.id = t.customer_id
     where t.outcome = 'imported'
  ), plan as (
    select n.id as customer_id, n.system, n.balance, n.created_at,
           coalesce(sum(h.delta), 0) as history_sum,
           least(coalesce(min(h.prefix), 0), 0) as lowest,
           min(h.at) as first_at, max(h.at) as last_at
      from pg_temp.legacy_new_customers n left join history h on h.customer_id = n.id
     group by n.id, n.system, n.balance, n.created_at
  ), amounts as (
    -- The opening balance makes the history end at the legacy balance; when that would take
    -- the running balance below 0 somewhere, it covers the dip instead and a closing
    -- adjustment brings the end back to the legacy balance.
    select p.*, greatest(p.balance - p.history_sum, -p.lowest) as opening from plan p
  )
  select customer_id, 0 as phase, least(created_at, coalesce(first_at, created_at)) as at, 0::bigint as ord,
         'adjustment' as type, opening::integer as delta, 'Opening balance from ' || system as reason,
         'legacy_import' as source, null::text as ref_type, null::text as ref_id, null::text as provider,
         null::numeric as cost_usd, private.legacy_key('opening', customer_id) as idempotency_key
    from amounts where opening <> 0
  union all
  select customer_id, phase, at, ord, type, delta, reason, source, ref_type, ref_id, provider, cost_usd, idempotency_key
    from history
  union all
  select customer_id, 2, coalesce(last_at, created_at), 0, 'adjustment', (balance - history_sum - opening)::integer,
         'Closing adjustment to the ' || system || ' balance', 'legacy_import', null, null, null, null,
         private.legacy_key('closing', customer_id)
    from amounts where balance - history_sum - opening <> 0;

  insert into public.credit_transactions (customer_id, type, delta, balance_after, reason, source, ref_type,
    ref_id, provider, cost_usd, idempotency_key, created_at)
  select customer_id, type, delta,
         sum(delta) over (partition by customer_id order by phase, at, ord),
         reason, source, ref_type, ref_id, provider, cost_usd, idempotency_key, at
    from pg_temp.legacy_ledger
   -- Ids follow this order, so each customer's chain reads right in id order too.
   order by customer_id, phase, at, ord;

  -- The balance row; its foreign key's cascade sets customers.credits (30_customers_generations.sql).
  update public.customer_balances b set credits = n.balance
    from pg_temp.legacy_new_customers n where b.customer_id = n.id and n.balance <> 0;
end $$;

create or replace function public.ledger_integrity(p_stale_after interval default interval '1 hour')
returns json language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit constant integer := 200;
  v_balances json;
  v_chain json;
  v_unsettled json;
  v_block_balances json;
  v_block_draws json;
  v_overdue json;
begin
  if not (private.is_staff() or private.is_service_role()) then
    perform private.raise_forbidden('Only CreditDesk staff (or the service role) may read the ledger integrity report.');
  end if;
  if p_stale_after is null or p_stale_after < interval '0' then
    perform private.raise_bad_input('p_stale_after must be a positive interval, e.g. ''1 hour''.');
  end if;

  with sums as (
    select t.customer_id, sum(t.delta) as ledger_sum, count(*) as entries,
           (array_agg(t.balance_after order by t.id desc))[1] as latest_balance_after
      from public.credit_transactions t group by t.customer_id
  ), bad as (
    -- The balance row is the one source; customers.credits follows it by its foreign key.
    select c.id as customer_id, c.email, b.credits, coalesce(s.ledger_sum, 0) as ledger_sum,
           s.latest_balance_after, coalesce(s.entries, 0) as entries,
           b.credits - coalesce(s.ledger_sum, 0) as difference
      from public.customers c join public.customer_balances b on b.customer_id = c.id
      left join sums s on s.customer_id = c.id
     where b.credits <> coalesce(s.ledger_sum, 0)
        or b.credits <> coalesce(s.latest_balance_after, 0)
  )
  select json_build_object('count', (select count(*) from bad),
           'rows', coalesce((select json_agg(b order by abs(b.difference) desc, b.customer_id)
                               from (select * from bad order by abs(difference) desc, customer_id limit v_limit) b), '[]'))
    into v_balances;

  with chained as (
    select t.id as transaction_id, t.customer_id, t.type, t.delta, t.balance_after, t.created_at,
           lag(t.id) over w as previous_transaction_id,
           coalesce(lag(t.balance_after) over w, 0) + t.delta as expected_balance_after
      from public.credit_transactions t
    window w as (partition by t.customer_id order by t.id)
  ), bad as (
    select * from chained where balance_after <> expected_balance_after
  )
  select json_build_object('count', (select count(*) from bad),
           'rows', coalesce((select json_agg(b order by b.transaction_id)
                               from (select * from bad order by transaction_id limit v_limit) b), '[]'))
    into v_chain;

  with bad as (
    select g.id as generation_id, g.customer_id, g.status, g.credits_charged, g.provider, g.model,
           g.created_at,
           case when g.status in ('pending', 'processing') then 'still ' || g.status
                else g.status || ', not refunded' end as problem
      from public.generations g
     where g.credits_charged > 0
       and g.created_at < now() - p_stale_after
       and (g.status in ('pending', 'processing')
            or (g.status in ('failed', 'cancelled') and g.refunded_at is null
                and not exists (select 1 from public.credit_transactions r
                                 where r.type = 'refund' and r.ref_type = 'generation' and r.ref_id = g.id)))
  )
  select json_build_object('count', (select count(*) from bad),
           'credits', (select coalesce(sum(credits_charged), 0) from bad),
           -- Newest first: those are the ones support can still put right while the customer waits.
           'rows', coalesce((select json_agg(b order by b.created_at desc, b.generation_id)
                               from (select * from bad order by created_at desc, generation_id limit v_limit) b), '[]'))
    into v_unsettled;

  with held as (
    select b.customer_id, sum(b.remaining) as in_blocks from public.credit_blocks b group by b.customer_id
  ), bad as (
    select b.customer_id, b.credits, coalesce(h.in_blocks, 0) as in_blocks,
           b.credits - coalesce(h.in_blocks, 0) as difference
      from public.customer_balances b left join held h on h.customer_id = b.customer_id
     where b.credits <> coalesce(h.in_blocks, 0)
  )
  select json_build_object('count', (select count(*) from bad),
           'rows', coalesce((select json_agg(b order by abs(b.difference) desc, b.customer_id)
                               from (select * from bad order by abs(difference) desc, customer_id limit v_limit) b), '[]'))
    into v_block_balances;

  with drawn as (
    select d.block_id, sum(d.amount) as drawn from public.credit_block_draws d group by d.block_id
  ), bad as (
    select b.id as block_id, b.customer_id, b.original, b.remaining, coalesce(d.drawn, 0) as drawn
      from public.credit_blocks b left join drawn d on d.block_id = b.id
     where b.original - b.remaining <> coalesce(d.drawn, 0)
  )
  select json_build_object('count', (select count(*) from bad),
           'rows', coalesce((select json_agg(b order by b.block_id)
                               from (select * from bad order by block_id limit v_limit) b), '[]'))
    into v_block_draws;

  with bad as (
    select b.id as block_id, b.customer_id, b.kind, b.remaining, b.expires_at
      from public.credit_blocks b
     where b.remaining > 0 and b.expires_at <= now() - interval '15 minutes'
  )
  select json_build_object('count', (select count(*) from bad),
           'credits', (select coalesce(sum(remaining), 0) from bad),
           'rows', coalesce((select json_agg(b order by b.expires_at, b.block_id)
                               from (select * from bad order by expires_at, block_id limit v_limit) b), '[]'))
    into v_overdue;

  return json_build_object(
    'checked_at', now(),
    'stale_after', p_stale_after::text,
    'row_limit', v_limit,
    'balance_mismatches', v_balances,
    'broken_chain', v_chain,
    'unsettled_generations', v_unsettled,
    'block_balance_mismatches', v_block_balances,
    'block_draw_mismatches', v_block_draws,
    'overdue_blocks', v_overdue);
end $$;

-- A table CreditDesk creates (the health report's list).
create or replace function private.creditdesk_tables()
returns text[] language sql immutable set search_path = '' as $$
  select array['staff', 'customers', 'sessions', 'generations', 'feedback', 'credit_transactions',
               'generation_types', 'admin_sessions', 'admin_audit', 'runtime_config', 'app_config',
               'generation_daily_stats', 'generation_daily_models', 'ledger_daily_stats', 'customer_daily_activity',
               'customer_activity_keys', 'customer_activity_bitmaps', 'customer_activity_period_bitmaps',
               'credit_blocks', 'credit_block_draws', 'finance_daily_stats', 'finance_daily_deltas',
               'generation_daily_deltas', 'ledger_daily_deltas', 'customer_activity_changes',
               'customer_monthly_costs', 'customer_balances']
$$;

alter table public.customer_balances enable row level security;
create policy "staff read customer balances" on public.customer_balances for select to authenticated
  using ((select private.is_staff()));
-- The default privileges give a new table to the service role in full; it only reads this one.
revoke all on public.customer_balances from anon, authenticated, service_role;
grant select on public.customer_balances to authenticated, service_role;

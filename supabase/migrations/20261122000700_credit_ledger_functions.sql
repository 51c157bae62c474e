-- Every credit movement goes through private.apply_credit_change: one transaction writes the
-- ledger row with balance_after, the new balance and one audit row, under a lock on the
-- customer row so concurrent calls for one customer serialise.
create or replace function private.check_reason(p_reason text, p_what text)
returns text language plpgsql immutable set search_path = '' as $$
declare
  v_reason text := btrim(p_reason);
begin
  if v_reason is null or v_reason = '' then
    perform private.raise_bad_input(format('A reason is required to %s.', p_what),
      'Say why, e.g. "Goodwill for failed render" or a ticket number.');
  end if;
  if length(v_reason) > 500 then
    perform private.raise_bad_input(format('The reason is %s characters long; keep it under 500.', length(v_reason)));
  end if;
  if v_reason ~ '[\x01-\x08\x0B\x0C\x0E-\x1F\x7F]' then
    perform private.raise_bad_input('The reason contains control characters; type it as plain text.');
  end if;
  return v_reason;
end $$;

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
  v_existing public.credit_transactions;
  v_balance integer;
  v_new_balance bigint;
  v_tx_id bigint;
begin
  if p_customer_id is null or btrim(p_customer_id) = '' then
    perform private.raise_bad_input('Choose the customer whose credits change (customer id is empty).');
  end if;
  if p_delta is null or p_delta = 0 then
    perform private.raise_bad_input('The credit change must be a whole number other than 0.');
  end if;
  if abs(p_delta) > 1000000 then
    perform private.raise_bad_input(
      format('A change of %s credits is beyond the 1,000,000 limit of one entry.', p_delta),
      'Check the amount; split a genuine bulk change into several entries.');
  end if;
  if p_idempotency_key is not null and (length(p_idempotency_key) not between 8 and 200) then
    perform private.raise_bad_input('The idempotency key must be 8 to 200 characters long.');
  end if;

  select * into v_existing from public.credit_transactions where idempotency_key = p_idempotency_key;
  if not found then
    select c.credits into v_balance from public.customers c where c.id = p_customer_id for update;
    if not found then
      perform private.raise_not_found(format('No customer with id "%s".', left(p_customer_id, 200)));
    end if;
    -- A concurrent call with the same key may have committed while this one waited for the lock.
    select * into v_existing from public.credit_transactions where idempotency_key = p_idempotency_key;
  end if;

  if v_existing.id is not null then
    if v_existing.customer_id <> p_customer_id or v_existing.delta <> p_delta then
      perform private.raise_conflict(
        'This idempotency key was already used for a different credit change.',
        'Use a new key for a new change.');
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
    p_ref_type, p_ref_id, p_provider, p_cost_usd, p_idempotency_key, (select auth.uid()))
  returning id into v_tx_id;

  perform set_config('creditdesk.ledger_write', 'on', true);
  perform set_config('creditdesk.skip_row_audit', 'on', true);
  update public.customers set credits = v_new_balance where id = p_customer_id;
  perform set_config('creditdesk.ledger_write', '', true);
  perform set_config('creditdesk.skip_row_audit', '', true);

  perform private.write_audit(p_action, 'customers', p_customer_id, jsonb_build_object(
    'transaction_id', v_tx_id, 'type', p_type, 'delta', p_delta, 'reason', p_reason,
    'ref_type', p_ref_type, 'ref_id', p_ref_id,
    'changes', jsonb_build_object('credits', jsonb_build_object('before', v_balance, 'after', v_new_balance))));

  return json_build_object('transaction_id', v_tx_id, 'balance', v_new_balance, 'replayed', false);
end $$;

create or replace function public.adjust_credits(
  p_customer_id text, p_delta integer, p_reason text, p_idempotency_key text default null
) returns json language plpgsql security definer set search_path = '' as $$
begin
  if not private.has_role('admin', 'support') then
    perform private.raise_forbidden('Only support and admin staff may adjust credits.');
  end if;
  return private.apply_credit_change(p_customer_id, p_delta, 'adjustment',
    private.check_reason(p_reason, 'adjust credits'), 'manual', 'credits.adjust', p_idempotency_key);
end $$;

-- Marks the generation refunded and writes the refund entry; the unique index on refund
-- entries per generation makes a second refund impossible even by another path.
create or replace function private.refund_generation_credits(
  p_generation_id text, p_reason text, p_source text, p_action text, p_idempotency_key text
) returns json language plpgsql security definer set search_path = '' as $$
declare
  v_gen public.generations;
  v_result json;
begin
  if p_generation_id is null or btrim(p_generation_id) = '' then
    perform private.raise_bad_input('Choose the generation to refund (generation id is empty).');
  end if;
  select * into v_gen from public.generations where id = p_generation_id for update;
  if not found then
    perform private.raise_not_found(format('No generation with id "%s".', left(p_generation_id, 200)));
  end if;
  if v_gen.refunded_at is not null then
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
    p_source, p_action, coalesce(p_idempotency_key, 'refund:generation:' || v_gen.id),
    'generation', v_gen.id, v_gen.provider, null);
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

create or replace function public.set_customer_disabled(
  p_customer_id text, p_disabled boolean, p_reason text
) returns json language plpgsql security definer set search_path = '' as $$
declare
  v_customer public.customers;
  v_reason text;
begin
  if not private.has_role('admin', 'support') then
    perform private.raise_forbidden('Only support and admin staff may disable or enable customers.');
  end if;
  if p_disabled is null then
    perform private.raise_bad_input('Say whether the account should be disabled (true) or enabled (false).');
  end if;
  v_reason := private.check_reason(p_reason, case when p_disabled then 'disable an account' else 'enable an account' end);
  select * into v_customer from public.customers where id = p_customer_id for update;
  if not found then
    perform private.raise_not_found(format('No customer with id "%s".', left(coalesce(p_customer_id, ''), 200)));
  end if;
  if v_customer.disabled = p_disabled then
    perform private.raise_conflict(format('This account is already %s.',
      case when p_disabled then 'disabled' else 'enabled' end));
  end if;

  perform set_config('creditdesk.skip_row_audit', 'on', true);
  update public.customers
     set disabled = p_disabled, disabled_reason = case when p_disabled then v_reason end
   where id = p_customer_id;
  perform set_config('creditdesk.skip_row_audit', '', true);

  perform private.write_audit(case when p_disabled then 'customers.disable' else 'customers.enable' end,
    'customers', p_customer_id, jsonb_build_object('reason', v_reason, 'changes', jsonb_build_object(
      'disabled', jsonb_build_object('before', v_customer.disabled, 'after', p_disabled),
      'disabled_reason', jsonb_build_object('before', v_customer.disabled_reason,
                                            'after', case when p_disabled then v_reason end))));
  return json_build_object('id', p_customer_id, 'disabled', p_disabled);
end $$;

-- For the product's own backend (seed 003's consume_user_credits / refund_user_credits).
create or replace function public.consume_credits(
  p_customer_id text, p_amount integer, p_generation_id text default null,
  p_reason text default null, p_idempotency_key text default null,
  p_provider text default null, p_cost_usd numeric default null
) returns json language plpgsql security definer set search_path = '' as $$
declare
  v_disabled boolean;
  v_result json;
begin
  if not private.is_service_role() then
    perform private.raise_forbidden('consume_credits is for the product backend (service role) only.');
  end if;
  if p_amount is null or p_amount <= 0 then
    perform private.raise_bad_input('The amount to consume must be a whole number above 0.');
  end if;
  select disabled into v_disabled from public.customers where id = p_customer_id;
  if v_disabled then
    perform private.raise_conflict('This customer account is disabled; it cannot spend credits.');
  end if;
  v_result := private.apply_credit_change(p_customer_id, -p_amount, 'spend',
    coalesce(nullif(btrim(p_reason), ''), 'Generation'), 'system', 'credits.consume', p_idempotency_key,
    case when p_generation_id is not null then 'generation' end, p_generation_id, p_provider, p_cost_usd);
  if p_generation_id is not null and not (v_result ->> 'replayed')::boolean then
    update public.generations set credits_charged = credits_charged + p_amount
     where id = p_generation_id and customer_id = p_customer_id;
  end if;
  return v_result;
end $$;

create or replace function public.refund_credits(
  p_customer_id text, p_amount integer, p_generation_id text default null,
  p_reason text default null, p_idempotency_key text default null
) returns json language plpgsql security definer set search_path = '' as $$
begin
  if not private.is_service_role() then
    perform private.raise_forbidden('refund_credits is for the product backend (service role) only.');
  end if;
  if p_generation_id is not null then
    return private.refund_generation_credits(p_generation_id,
      coalesce(nullif(btrim(p_reason), ''), 'Automatic refund of failed generation'),
      'system', 'credits.refund', p_idempotency_key);
  end if;
  if p_amount is null or p_amount <= 0 then
    perform private.raise_bad_input('The amount to refund must be a whole number above 0.');
  end if;
  return private.apply_credit_change(p_customer_id, p_amount, 'refund',
    coalesce(nullif(btrim(p_reason), ''), 'Refund'), 'system', 'credits.refund', p_idempotency_key);
end $$;

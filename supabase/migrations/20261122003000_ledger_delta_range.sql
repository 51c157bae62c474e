-- apply_credit_change checked the size of a change with abs(p_delta): for the one integer whose
-- absolute value is not an integer (-2147483648) that raised "integer out of range" instead of the
-- limit message. The same function with the check done in bigint.
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
  if abs(p_delta::bigint) > 1000000 then
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

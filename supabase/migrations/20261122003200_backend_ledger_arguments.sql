-- consume_credits / refund_credits passed the backend's free-form arguments straight to the
-- ledger: a cost of 'NaN' or below 0 was stored (and a NaN poisons every later sum of provider
-- spend), Infinity or 1e20 failed as "numeric field overflow", and a provider, generation id or
-- reason of any length or with control characters was written as given. Both functions now
-- check their arguments first and say what is wrong; behaviour is otherwise unchanged.
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
  select disabled into v_disabled from public.customers where id = p_customer_id;
  if v_disabled then
    perform private.raise_conflict('This customer account is disabled; it cannot spend credits.');
  end if;
  v_result := private.apply_credit_change(p_customer_id, -p_amount, 'spend',
    case when nullif(btrim(p_reason), '') is null then 'Generation' else private.check_reason(p_reason, 'consume credits') end,
    'system', 'credits.consume', p_idempotency_key,
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
declare
  v_reason text;
begin
  if not private.is_service_role() then
    perform private.raise_forbidden('refund_credits is for the product backend (service role) only.');
  end if;
  v_reason := case when nullif(btrim(p_reason), '') is not null then private.check_reason(p_reason, 'refund credits') end;
  if p_generation_id is not null then
    return private.refund_generation_credits(p_generation_id,
      coalesce(v_reason, 'Automatic refund of failed generation'), 'system', 'credits.refund', p_idempotency_key);
  end if;
  if p_amount is null or p_amount <= 0 then
    perform private.raise_bad_input('The amount to refund must be a whole number above 0.');
  end if;
  return private.apply_credit_change(p_customer_id, p_amount, 'refund',
    coalesce(v_reason, 'Refund'), 'system', 'credits.refund', p_idempotency_key);
end $$;

-- consume_credits and refund_credits trusted the generation id the backend passed: a spend
-- for another customer's generation was written to the ledger while the generation's
-- credits_charged silently stayed unchanged (so its refund later found "nothing charged"), and
-- refund_credits refunded a generation's customer whoever p_customer_id named, with whatever
-- p_amount said ignored. The generation must now exist and belong to the customer, and a
-- refund's amount, when given, must be what the generation charged.
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
revoke all on function private.check_backend_generation(text, text, boolean) from public;

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
  if p_generation_id is not null then
    perform private.check_backend_generation(p_customer_id, p_generation_id, true);
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

-- One lock order, the customer first (issue 13), on every path the credit lifecycle touches:
-- a refund or a charge of an existing generation reads the generation's customer without a
-- lock, locks the customer, then locks the generation and checks it again
-- (supabase/schemas/40_ledger.sql, "Lock order"). finish_generation (20261201300000) calls
-- the same helper.

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

-- Issue 13: the write path's direct-SQL cost (bench/README.md, "Balance updates").
--
-- 1. A balance change is a HOT update of the customer row: no index on credits, room on the
--    page (fillfactor 85; pages written before this fill up to it as rows move), so the 13
--    indexes left (six trigram GIN) get no entry per credit movement.
-- 2. The ledger's balance update no longer calls the row audit trigger (it writes its own
--    audit row; the function turned both row images into jsonb before checking the flag).
-- 3. The small helpers every backend write calls (clock, is_service_role, request_header,
--    request_ip) are PL/pgSQL: as SQL functions with a SET clause they were parsed and planned
--    again in every transaction.
-- 4. start_generation answers from the spend it just wrote instead of looking it up again.

alter table public.customers set (fillfactor = 85);

drop index public.customers_credits_idx;

drop trigger customers_audit on public.customers;
create trigger customers_audit after insert or update or delete on public.customers
  for each row when (coalesce(current_setting('creditdesk.skip_row_audit', true), '') <> 'on')
  execute function private.audit_row_change('customers', 'id');


create or replace function private.request_header(p_name text)
returns text language plpgsql stable set search_path = '' as $$
begin
  return nullif(current_setting('request.headers', true), '')::json ->> p_name;
end $$;

create or replace function private.request_ip()
returns text language plpgsql stable set search_path = '' as $$
declare
  v_headers json := nullif(current_setting('request.headers', true), '')::json;
  v_ip text;
begin
  if v_headers is null then
    return null;
  end if;
  v_ip := coalesce(nullif(btrim(v_headers ->> 'cf-connecting-ip'), ''),
                   nullif(btrim(regexp_replace(v_headers ->> 'x-forwarded-for', '^.*,', '')), ''));
  return case when v_ip ~ '^[0-9A-Fa-f:.]{2,45}$' then v_ip end;
end $$;

create or replace function private.is_service_role()
returns boolean language plpgsql stable set search_path = '' as $$
begin
  return coalesce(auth.jwt() ->> 'role', '') = 'service_role';
end $$;

create or replace function private.clock()
returns timestamptz language plpgsql stable set search_path = '' as $$
begin
  return case when session_user::text <> 'authenticator'
                   and nullif(current_setting('creditdesk.clock', true), '') is not null
              then current_setting('creditdesk.clock', true)::timestamptz
              else now() end;
end $$;

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

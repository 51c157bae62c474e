-- Building blocks of the legacy import (public.import_legacy, next migration).
--
-- Where legacy data is read from: schema `legacy`. A deployer moves the old tables there
-- before importing (`alter table public.feedbacks set schema legacy;`), which is the only
-- way for the names that collide with CreditDesk's own (customers, sessions, generations,
-- feedback, credit_transactions, runtime_config, app_config, admin_sessions, admin_audit).
-- A legacy table whose name does not collide (feedbacks, profiles, customer_credits,
-- MEGA_CUSTOMERS…) is also read from `public` when `legacy` has no table of that name.
--
-- Rows are read as jsonb (to_jsonb of the row), so a legacy table that lacks a column or
-- has it under another type still imports: a missing column reads as null, and values are
-- converted with the forgiving casts below instead of failing the whole import.
create schema if not exists legacy;
revoke all on schema legacy from public;

create or replace function private.legacy_source(p_table text)
returns regclass language sql stable set search_path = '' as $$
  select coalesce(
    to_regclass(format('legacy.%I', p_table)),
    -- Unquoted CREATE TABLE MEGA_CUSTOMERS folds to mega_customers.
    to_regclass(format('legacy.%I', lower(p_table))),
    case when not (lower(p_table) = any (private.creditdesk_tables())) then
      coalesce(to_regclass(format('public.%I', p_table)), to_regclass(format('public.%I', lower(p_table)))) end)
$$;

-- Every row of a legacy table as jsonb, in physical order (so "first seen" is stable), or
-- nothing when the table does not exist.
create or replace function private.legacy_rows(p_table text)
returns setof jsonb language plpgsql stable set search_path = '' as $$
declare
  v_source regclass := private.legacy_source(p_table);
begin
  if v_source is not null then
    return query execute format('select to_jsonb(t) from %s t order by t.ctid', v_source);
  end if;
end $$;

-- mg_email -> email: seed 001's MEGA tables prefix every column, the rest of the import
-- then reads both shapes with the same keys.
create or replace function private.legacy_strip_mg(p_row jsonb)
returns jsonb language sql immutable set search_path = '' as $$
  select coalesce(jsonb_object_agg(regexp_replace(e.key, '^mg_', ''), e.value), '{}'::jsonb)
    from jsonb_each(p_row) e
$$;

create or replace function private.legacy_text(p_value text, p_max integer default null)
returns text language sql immutable set search_path = '' as $$
  select case when p_max is null then nullif(btrim(p_value), '') else left(nullif(btrim(p_value), ''), p_max) end
$$;

create or replace function private.legacy_int(p_value text)
returns integer language plpgsql immutable set search_path = '' as $$
begin
  return round(btrim(p_value)::numeric)::integer;
exception when others then
  return null;
end $$;

create or replace function private.legacy_numeric(p_value text)
returns numeric language plpgsql immutable set search_path = '' as $$
begin
  return btrim(p_value)::numeric;
exception when others then
  return null;
end $$;

create or replace function private.legacy_ts(p_value text)
returns timestamptz language plpgsql stable set search_path = '' as $$
begin
  -- Epoch seconds or milliseconds appear in JavaScript-written rows.
  if btrim(p_value) ~ '^\d{10}(\.\d+)?$' then
    return to_timestamp(btrim(p_value)::double precision);
  elsif btrim(p_value) ~ '^\d{13}$' then
    return to_timestamp(btrim(p_value)::double precision / 1000);
  end if;
  return btrim(p_value)::timestamptz;
exception when others then
  return null;
end $$;

create or replace function private.legacy_uuid(p_value text)
returns uuid language plpgsql immutable set search_path = '' as $$
begin
  return btrim(p_value)::uuid;
exception when others then
  return null;
end $$;

create or replace function private.legacy_bool(p_value text)
returns boolean language sql immutable set search_path = '' as $$
  select case when lower(btrim(p_value)) in ('true', 't', '1', 'yes', 'y', 'on') then true
              when lower(btrim(p_value)) in ('false', 'f', '0', 'no', 'n', 'off') then false end
$$;

create or replace function private.legacy_email(p_value text)
returns text language sql immutable set search_path = '' as $$
  select case when lower(btrim(p_value)) ~ '^[^@\s]+@[^@\s]+\.[^@\s.]+$' and length(btrim(p_value)) <= 320
              then lower(btrim(p_value)) end
$$;

-- How a legacy row names its customer: pass id, MEGA's pass_id, an auth user id (seed 003's
-- user_id) or, in Shopify-aware tables, only the Shopify id. private.legacy_customer_for
-- (next migration) resolves it.
create or replace function private.legacy_customer_ref(p_row jsonb)
returns text language sql immutable set search_path = '' as $$
  select private.legacy_text(coalesce(p_row ->> 'customer_id', p_row ->> 'pass_id', p_row ->> 'user_id',
                                      p_row ->> 'shopify_customer_id'))
$$;

-- Idempotency keys and audit markers of imported rows; long ids are hashed so the key stays
-- within the ledger's 200-character limit.
create or replace function private.legacy_key(p_kind text, p_id text)
returns text language sql immutable set search_path = '' as $$
  select 'legacy:' || p_kind || ':' || case when length(p_id) <= 150 then p_id else md5(p_id) end
$$;

create or replace function private.legacy_generation_status(p_status text, p_output_url text, p_error text)
returns text language sql immutable set search_path = '' as $$
  select case
    when lower(btrim(p_status)) in ('succeeded', 'success', 'completed', 'complete', 'done', 'ok') then 'succeeded'
    when lower(btrim(p_status)) in ('failed', 'failure', 'error', 'errored') then 'failed'
    when lower(btrim(p_status)) in ('processing', 'running', 'in_progress', 'started') then 'processing'
    when lower(btrim(p_status)) in ('pending', 'queued', 'created') then 'pending'
    when lower(btrim(p_status)) in ('cancelled', 'canceled', 'aborted') then 'cancelled'
    -- Legacy rows without a status: an output means it worked, an error that it failed.
    when nullif(btrim(p_output_url), '') is not null then 'succeeded'
    when nullif(btrim(p_error), '') is not null then 'failed'
    else 'succeeded' end
$$;

-- Ledger type from the legacy type names (seed 003: deduction / refund / allocation) and
-- the sign; a type whose sign disagrees with the amount becomes an adjustment.
create or replace function private.legacy_ledger_type(p_type text, p_delta integer)
returns text language sql immutable set search_path = '' as $$
  select case
    when t in ('purchase', 'topup', 'top_up', 'top-up', 'shopify', 'stripe', 'order') and p_delta > 0 then 'purchase'
    when t in ('grant', 'allocation', 'bonus', 'welcome', 'gift', 'promo') and p_delta > 0 then 'grant'
    when t in ('refund', 'refunded') and p_delta > 0 then 'refund'
    when t in ('spend', 'deduction', 'debit', 'consume', 'usage', 'generation', 'charge') and p_delta < 0 then 'spend'
    when t in ('expiry', 'expire', 'expired') and p_delta < 0 then 'expiry'
    else 'adjustment' end
  from (select lower(btrim(coalesce(p_type, ''))) as t) x
$$;

-- Debits written as positive amounts (seed 003's credits_used) get their sign from the type.
create or replace function private.legacy_delta(p_row jsonb)
returns integer language sql immutable set search_path = '' as $$
  select coalesce(
    private.legacy_int(p_row ->> 'delta'),
    private.legacy_int(p_row ->> 'amount'),
    private.legacy_int(p_row ->> 'credits_delta'),
    case when lower(coalesce(p_row ->> 'transaction_type', p_row ->> 'type', ''))
              in ('deduction', 'spend', 'debit', 'consume', 'usage', 'generation', 'charge', 'expiry', 'expire', 'expired')
         then -abs(private.legacy_int(p_row ->> 'credits_used'))
         else abs(private.legacy_int(p_row ->> 'credits_used')) end)
$$;

revoke all on function private.legacy_source(text), private.legacy_rows(text), private.legacy_strip_mg(jsonb),
  private.legacy_text(text, integer), private.legacy_int(text), private.legacy_numeric(text),
  private.legacy_ts(text), private.legacy_uuid(text), private.legacy_bool(text), private.legacy_email(text),
  private.legacy_key(text, text), private.legacy_customer_ref(jsonb), private.legacy_generation_status(text, text, text),
  private.legacy_ledger_type(text, integer), private.legacy_delta(jsonb) from public;

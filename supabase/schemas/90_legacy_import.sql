-- public.import_legacy and its building blocks: legacy shapes of seeds 000, 001 and 003
-- copied into CreditDesk's tables.
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
-- (below) resolves it.
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

-- public.import_legacy(p_dry_run): copies the legacy shapes of seeds 000 and 001 into
-- CreditDesk's tables and reports what it did. Sources (see private.legacy_source):
--   fragmented tables: customers (Shopify fields, credits), customer_credits,
--     auto_topup_settings, profiles, credit_transactions (seed 000's delta shape or seed
--     003's credits_used / transaction_type shape), sessions, generations, feedback,
--     feedbacks, runtime_config, app_config, admin_sessions, admin_audit;
--   seed 001's MEGA_CUSTOMERS, MEGA_GENERATIONS (mg_record_type session / generation /
--     feedback / credit_transaction) and MEGA_ADMIN (admin_session / admin_audit / profile /
--     runtime_config / app_config).
-- Rules:
--   * original ids are kept; a row whose id already exists in CreditDesk is left alone
--     ("present"), which is what makes a second run change nothing;
--   * source_system is 'legacy' for the fragmented tables and 'mega' for MEGA_*;
--   * the ledger is rebuilt only for customers this run creates: their legacy history in
--     time order, preceded by an 'Opening balance from <system>' adjustment (source
--     legacy_import) where history is missing or does not add up to the legacy balance, and
--     followed by a closing adjustment only when the history would otherwise dip below 0.
--     balance_after is the running sum, so credits = sum(delta) = latest balance_after;
--   * rows that cannot be mapped are skipped and listed with the reason; values that are
--     dropped or repaired (invalid email, a Shopify id used twice…) are listed as warnings.
-- Staging and the per-row outcome log are temporary tables dropped at commit.

-- plpgsql rather than sql: the temporary table exists only while an import runs.
create or replace function private.legacy_log(p_source text, p_target text, p_id text, p_outcome text, p_reason text)
returns void language plpgsql set search_path = '' as $$
begin
  insert into pg_temp.legacy_import_log (source, target, src_id, outcome, reason)
  values (p_source, p_target, p_id, p_outcome, p_reason);
end $$;

-- Every legacy row, normalised to CreditDesk's column names, one target per row.
create or replace function private.legacy_stage()
returns void language plpgsql set search_path = '' as $$
declare
  v_table text;
begin
  create temp table legacy_stage (
    ord bigserial primary key, source text not null, system text not null, target text not null,
    src_id text, r jsonb not null
  ) on commit drop;

  foreach v_table in array array['customers', 'customer_credits', 'auto_topup_settings', 'profiles',
    'sessions', 'generations', 'feedback', 'feedbacks', 'credit_transactions', 'runtime_config',
    'app_config', 'admin_sessions', 'admin_audit']
  loop
    insert into pg_temp.legacy_stage (source, system, target, src_id, r)
    select private.legacy_source(v_table)::text, 'legacy',
           case v_table when 'feedbacks' then 'feedback' else v_table end,
           private.legacy_text(r ->> 'id'), r
      from private.legacy_rows(v_table) r;
  end loop;

  insert into pg_temp.legacy_stage (source, system, target, src_id, r)
  select private.legacy_source('MEGA_CUSTOMERS')::text, 'mega', 'customers', private.legacy_text(r ->> 'pass_id'),
         r || jsonb_build_object('id', r ->> 'pass_id')
    from (select private.legacy_strip_mg(x) as r from private.legacy_rows('MEGA_CUSTOMERS') x) m;

  insert into pg_temp.legacy_stage (source, system, target, src_id, r)
  select private.legacy_source('MEGA_GENERATIONS')::text, 'mega',
         case lower(r ->> 'record_type') when 'session' then 'sessions' when 'generation' then 'generations'
              when 'feedback' then 'feedback' when 'credit_transaction' then 'credit_transactions'
              else 'unknown' end,
         private.legacy_text(r ->> 'id'), r || jsonb_build_object('customer_id', r ->> 'pass_id')
    from (select private.legacy_strip_mg(x) as r from private.legacy_rows('MEGA_GENERATIONS') x) m;

  insert into pg_temp.legacy_stage (source, system, target, src_id, r)
  select private.legacy_source('MEGA_ADMIN')::text, 'mega',
         case lower(r ->> 'record_type') when 'admin_session' then 'admin_sessions' when 'admin_audit' then 'admin_audit'
              when 'profile' then 'profiles' when 'runtime_config' then 'runtime_config'
              when 'app_config' then 'app_config' else 'unknown' end,
         private.legacy_text(r ->> 'id'),
         r || jsonb_build_object('customer_id', r ->> 'actor_pass_id', 'details', r -> 'detail',
                                 'profile_id', r ->> 'profile_id')
    from (select private.legacy_strip_mg(x) as r from private.legacy_rows('MEGA_ADMIN') x) m;

  perform private.legacy_log(source, target, src_id, 'skipped',
            format('unknown mg_record_type %s', coalesce(quote_literal(r ->> 'record_type'), 'null')))
     from pg_temp.legacy_stage where target = 'unknown';
  -- Soft-deleted MEGA events stay behind; soft-deleted customers come over with deleted_at.
  perform private.legacy_log(source, target, src_id, 'skipped', 'soft-deleted in the legacy table (deleted_at is set)')
     from pg_temp.legacy_stage where target not in ('customers', 'unknown') and private.legacy_ts(r ->> 'deleted_at') is not null;
  delete from pg_temp.legacy_stage
   where target = 'unknown' or (target <> 'customers' and private.legacy_ts(r ->> 'deleted_at') is not null);
end $$;

-- A legacy customer reference (pass id, Shopify id, auth user id or profile id) resolved to
-- a CreditDesk customer id, most specific first.
create or replace function private.legacy_customer_for(p_ref text)
returns text language plpgsql stable set search_path = '' as $$
declare
  v_id text;
begin
  if p_ref is null then
    return null;
  end if;
  select c.id into v_id from public.customers c where c.id = p_ref;
  if v_id is null then
    select c.id into v_id from public.customers c where c.shopify_customer_id = p_ref;
  end if;
  if v_id is null and private.legacy_uuid(p_ref) is not null then
    select c.id into v_id from public.customers c where c.user_id = private.legacy_uuid(p_ref) order by c.id limit 1;
  end if;
  if v_id is null then
    select m.customer_id into v_id from pg_temp.legacy_profile_match m
     where m.profile_id = p_ref or m.user_id = p_ref order by m.customer_id limit 1;
  end if;
  return v_id;
end $$;

create or replace function private.legacy_import_customers()
returns void language plpgsql set search_path = '' as $$
begin
  create temp table legacy_customers on commit drop as
  with balances as (
    select distinct on (private.legacy_text(r ->> 'customer_id'))
           private.legacy_text(r ->> 'customer_id') as customer_id, source, src_id,
           coalesce(private.legacy_int(r ->> 'balance'), private.legacy_int(r ->> 'credits')) as balance
      from pg_temp.legacy_stage where target = 'customer_credits'
     order by private.legacy_text(r ->> 'customer_id'), ord
  ), topups as (
    select distinct on (private.legacy_text(r ->> 'customer_id'))
           private.legacy_text(r ->> 'customer_id') as customer_id,
           private.legacy_bool(r ->> 'enabled') as enabled,
           private.legacy_int(r ->> 'monthly_limit_packs') as monthly_limit_packs
      from pg_temp.legacy_stage where target = 'auto_topup_settings'
     order by private.legacy_text(r ->> 'customer_id'), ord
  )
  select s.ord, s.source, s.system, s.src_id, s.r,
         private.legacy_text(s.r ->> 'id') as id,
         private.legacy_email(s.r ->> 'email') as email,
         private.legacy_text(s.r ->> 'email') as raw_email,
         private.legacy_text(s.r ->> 'shopify_customer_id', 100) as shopify_customer_id,
         (select u.id from auth.users u where u.id = private.legacy_uuid(s.r ->> 'user_id')) as user_id,
         private.legacy_int(s.r ->> 'credits') as credits,
         b.balance as ledger_balance,
         t.enabled as topup_enabled, t.monthly_limit_packs as topup_limit,
         coalesce(private.legacy_ts(s.r ->> 'created_at'), now()) as created_at,
         row_number() over (partition by private.legacy_text(s.r ->> 'id') order by s.ord) as nth,
         null::text as outcome, null::text as reason
    from pg_temp.legacy_stage s
    left join balances b on b.customer_id = private.legacy_text(s.r ->> 'id')
    left join topups t on t.customer_id = private.legacy_text(s.r ->> 'id')
   where s.target = 'customers';

  update pg_temp.legacy_customers set outcome = 'skipped', reason = 'no customer id' where id is null;
  update pg_temp.legacy_customers set outcome = 'skipped', reason = 'customer id longer than 200 characters'
   where outcome is null and length(id) > 200;
  update pg_temp.legacy_customers l set outcome = 'skipped',
         reason = format('duplicate customer id (first seen in %s)', f.source)
    from pg_temp.legacy_customers f
   where l.outcome is null and l.nth > 1 and f.id = l.id and f.nth = 1;
  update pg_temp.legacy_customers l set outcome = 'present'
   where outcome is null and exists (select 1 from public.customers c where c.id = l.id);
  update pg_temp.legacy_customers set outcome = 'imported' where outcome is null;

  perform private.legacy_log(source, 'customers', coalesce(id, src_id), outcome, reason) from pg_temp.legacy_customers;
  perform private.legacy_log(source, 'customers', id, 'warning',
            format('invalid email %s left empty (kept in meta.legacy_email)', quote_literal(raw_email)))
     from pg_temp.legacy_customers where outcome = 'imported' and raw_email is not null and email is null;
  perform private.legacy_log(source, 'customers', id, 'warning',
            format('negative legacy balance %s imported as 0', coalesce(credits, ledger_balance)))
     from pg_temp.legacy_customers where outcome = 'imported' and coalesce(credits, ledger_balance) < 0;
  perform private.legacy_log(source, 'customers', id, 'warning',
            format('customers.credits %s and customer_credits.balance %s differ; customers.credits is used',
                   credits, ledger_balance))
     from pg_temp.legacy_customers where outcome = 'imported' and credits <> ledger_balance;

  -- shopify_customer_id is unique: the first holder keeps it, later ones are imported without.
  alter table pg_temp.legacy_customers add column shopify_taken boolean not null default false;
  update pg_temp.legacy_customers l set shopify_taken = true
   where l.outcome = 'imported' and l.shopify_customer_id is not null
     and (exists (select 1 from public.customers c where c.shopify_customer_id = l.shopify_customer_id)
          or exists (select 1 from pg_temp.legacy_customers o where o.outcome = 'imported'
                      and o.shopify_customer_id = l.shopify_customer_id and o.ord < l.ord));
  perform private.legacy_log(source, 'customers', id, 'warning',
            format('Shopify id %s already belongs to another customer; imported without it (kept in meta)',
                   quote_literal(shopify_customer_id)))
     from pg_temp.legacy_customers where shopify_taken;
  update pg_temp.legacy_customers set shopify_customer_id = null where shopify_taken;

  insert into public.customers (id, shopify_customer_id, user_id, email, first_name, last_name, display_name,
    locale, timezone, marketing_opt_in, product_updates_opt_in, credits, expires_at, last_active, disabled,
    disabled_reason, verified_email, verified_google, verified_apple, verification_method, verification_at,
    topup_default_packs, auto_topup_enabled, auto_topup_monthly_limit_packs, last_topup_at, topup_source,
    meta, source_system, deleted_at, created_at, updated_at)
  select l.id, l.shopify_customer_id, l.user_id, l.email,
         private.legacy_text(r ->> 'first_name', 200), private.legacy_text(r ->> 'last_name', 200),
         coalesce(private.legacy_text(r ->> 'display_name', 200), private.legacy_text(r ->> 'name', 200)),
         private.legacy_text(r ->> 'locale', 35), private.legacy_text(r ->> 'timezone', 64),
         coalesce(private.legacy_bool(r ->> 'marketing_opt_in'), false),
         coalesce(private.legacy_bool(r ->> 'product_updates_opt_in'), false),
         0, private.legacy_ts(r ->> 'expires_at'), private.legacy_ts(r ->> 'last_active'),
         coalesce(private.legacy_bool(r ->> 'disabled'), false), private.legacy_text(r ->> 'disabled_reason', 500),
         coalesce(private.legacy_bool(r ->> 'verified_email'), false),
         coalesce(private.legacy_bool(r ->> 'verified_google'), false),
         coalesce(private.legacy_bool(r ->> 'verified_apple'), false),
         case when lower(r ->> 'verification_method') in ('email', 'google', 'apple', 'manual')
              then lower(r ->> 'verification_method') end,
         private.legacy_ts(r ->> 'verification_at'),
         case when private.legacy_int(r ->> 'topup_default_packs') between 0 and 100
              then private.legacy_int(r ->> 'topup_default_packs') else 3 end,
         coalesce(l.topup_enabled, private.legacy_bool(r ->> 'auto_topup_enabled'), false),
         case when coalesce(l.topup_limit, private.legacy_int(r ->> 'auto_topup_monthly_limit_packs')) between 0 and 1000
              then coalesce(l.topup_limit, private.legacy_int(r ->> 'auto_topup_monthly_limit_packs')) end,
         private.legacy_ts(r ->> 'last_topup_at'), private.legacy_text(r ->> 'topup_source', 50),
         (case when jsonb_typeof(r -> 'meta') = 'object' then r -> 'meta' else '{}'::jsonb end)
           || jsonb_strip_nulls(jsonb_build_object(
                'legacy_source', l.source,
                'legacy_source_system', r ->> 'source_system',
                'legacy_email', case when l.email is null then l.raw_email end,
                'legacy_user_id', case when l.user_id is null then private.legacy_text(r ->> 'user_id') end,
                'legacy_shopify_customer_id', case when l.shopify_customer_id is null then r ->> 'shopify_customer_id' end,
                'legacy_verification_keynumber', r ->> 'verification_keynumber')),
         l.system, private.legacy_ts(r ->> 'deleted_at'), l.created_at,
         coalesce(private.legacy_ts(r ->> 'updated_at'), l.created_at)
    from pg_temp.legacy_customers l
   where l.outcome = 'imported'
   order by l.ord;

  create temp table legacy_new_customers on commit drop as
  select id, system, created_at, greatest(coalesce(credits, ledger_balance, 0), 0) as balance
    from pg_temp.legacy_customers where outcome = 'imported';
  alter table pg_temp.legacy_new_customers add primary key (id);

  -- customer_credits and auto_topup_settings rows have no table of their own: they count as
  -- imported when their customer was, and are listed when no customer matches.
  perform private.legacy_log(s.source, s.target, coalesce(s.src_id, s.r ->> 'customer_id'),
            case when n.id is not null then 'imported' when c.id is not null then 'present' else 'skipped' end,
            case when n.id is null and c.id is null
                 then format('no customer %s', coalesce(quote_literal(s.r ->> 'customer_id'), '(customer_id is empty)')) end)
     from pg_temp.legacy_stage s
     left join pg_temp.legacy_new_customers n on n.id = private.legacy_text(s.r ->> 'customer_id')
     left join public.customers c on c.id = private.legacy_text(s.r ->> 'customer_id')
    where s.target in ('customer_credits', 'auto_topup_settings');
end $$;

-- profiles (and MEGA_ADMIN profile rows) link an auth user to a customer: by pass id, then
-- Shopify id, then email. They fill user_id and email on customers this run created.
create or replace function private.legacy_import_profiles()
returns void language plpgsql set search_path = '' as $$
begin
  create temp table legacy_profile_match on commit drop as
  select s.ord, s.source, s.src_id,
         coalesce(private.legacy_text(s.r ->> 'profile_id'), s.src_id) as profile_id,
         coalesce(private.legacy_text(s.r ->> 'user_id'), s.src_id) as user_id,
         private.legacy_email(s.r ->> 'email') as email,
         coalesce(
           (select c.id from public.customers c where c.id = private.legacy_text(s.r ->> 'customer_id')),
           (select c.id from public.customers c where c.id = private.legacy_text(s.r ->> 'pass_id')),
           (select c.id from public.customers c where c.shopify_customer_id = private.legacy_text(s.r ->> 'shopify_customer_id')),
           (select min(c.id) from public.customers c where c.email = private.legacy_email(s.r ->> 'email')
             having count(*) = 1)) as customer_id
    from pg_temp.legacy_stage s where s.target = 'profiles';

  perform private.legacy_log(m.source, 'profiles', coalesce(m.src_id, m.profile_id),
            case when n.id is not null then 'imported' when m.customer_id is not null then 'present' else 'skipped' end,
            case when m.customer_id is null then 'no customer matches this profile (by pass id, Shopify id or email)' end)
     from pg_temp.legacy_profile_match m left join pg_temp.legacy_new_customers n on n.id = m.customer_id;

  update public.customers c
     set user_id = coalesce(c.user_id, (select u.id from auth.users u where u.id = private.legacy_uuid(m.user_id))),
         email = coalesce(c.email, m.email),
         meta = c.meta || jsonb_build_object('legacy_profile_id', m.profile_id)
    from (select distinct on (customer_id) * from pg_temp.legacy_profile_match
           where customer_id is not null order by customer_id, ord) m
   where c.id = m.customer_id and c.id in (select id from pg_temp.legacy_new_customers);
end $$;

create or replace function private.legacy_import_sessions()
returns void language plpgsql set search_path = '' as $$
begin
  create temp table legacy_rows_sessions on commit drop as
  select s.ord, s.source, s.system, s.src_id, s.r,
         private.legacy_customer_for(private.legacy_customer_ref(s.r)) as customer_id,
         row_number() over (partition by s.src_id order by s.ord) as nth,
         case when s.src_id is null then 'no session id'
              when length(s.src_id) > 200 then 'session id longer than 200 characters' end as reason
    from pg_temp.legacy_stage s where s.target = 'sessions';
  update pg_temp.legacy_rows_sessions set reason = 'duplicate session id' where reason is null and nth > 1;
  update pg_temp.legacy_rows_sessions set reason = format('no customer %s',
           coalesce(quote_literal(private.legacy_customer_ref(r)), '(customer_id is empty)'))
   where reason is null and customer_id is null;

  perform private.legacy_log(l.source, 'sessions', l.src_id,
            case when l.reason is not null then 'skipped'
                 when exists (select 1 from public.sessions x where x.id = l.src_id) then 'present' else 'imported' end,
            l.reason)
     from pg_temp.legacy_rows_sessions l;

  insert into public.sessions (id, customer_id, platform, title, source_system, created_at, updated_at)
  select l.src_id, l.customer_id, private.legacy_text(r ->> 'platform', 50), private.legacy_text(r ->> 'title', 500),
         l.system, coalesce(private.legacy_ts(r ->> 'created_at'), now()),
         coalesce(private.legacy_ts(r ->> 'updated_at'), private.legacy_ts(r ->> 'created_at'), now())
    from pg_temp.legacy_rows_sessions l
   where l.reason is null
   order by l.ord
  on conflict (id) do nothing;
end $$;

create or replace function private.legacy_import_generations()
returns void language plpgsql set search_path = '' as $$
begin
  create temp table legacy_rows_generations on commit drop as
  select s.ord, s.source, s.system, s.src_id, s.r,
         private.legacy_customer_for(private.legacy_customer_ref(s.r)) as customer_id,
         (select x.id from public.sessions x where x.id = private.legacy_text(s.r ->> 'session_id')) as session_id,
         row_number() over (partition by s.src_id order by s.ord) as nth,
         case when s.src_id is null then 'no generation id' end as reason
    from pg_temp.legacy_stage s where s.target = 'generations';
  update pg_temp.legacy_rows_generations set reason = 'duplicate generation id' where reason is null and nth > 1;
  update pg_temp.legacy_rows_generations set reason = format('no customer %s',
           coalesce(quote_literal(private.legacy_customer_ref(r)), '(customer_id is empty)'))
   where reason is null and customer_id is null;

  perform private.legacy_log(l.source, 'generations', l.src_id,
            case when l.reason is not null then 'skipped'
                 when exists (select 1 from public.generations x where x.id = l.src_id) then 'present' else 'imported' end,
            l.reason)
     from pg_temp.legacy_rows_generations l;

  insert into public.generations (id, customer_id, session_id, type, platform, prompt, output_url, output_key,
    provider, model, status, error, latency_ms, input_chars, output_chars, input_tokens, output_tokens,
    content_type, credits_charged, cost_usd, refunded_at, client_version, os, browser, device, meta,
    completed_at, source_system, created_at, updated_at)
  select l.src_id, l.customer_id, l.session_id,
         coalesce(private.legacy_text(r ->> 'type'), private.legacy_text(r ->> 'enhancement_type')),
         private.legacy_text(r ->> 'platform'), r ->> 'prompt',
         coalesce(private.legacy_text(r ->> 'output_url'), private.legacy_text(r ->> 'result_url')),
         private.legacy_text(r ->> 'output_key'),
         -- Not 'wavespeed' (the column default): an unknown provider must not inflate its spend.
         coalesce(private.legacy_text(r ->> 'provider'), 'unknown'), private.legacy_text(r ->> 'model'),
         private.legacy_generation_status(r ->> 'status', coalesce(r ->> 'output_url', r ->> 'result_url'),
                                          coalesce(r ->> 'error', r ->> 'error_message')),
         coalesce(private.legacy_text(r ->> 'error'), private.legacy_text(r ->> 'error_message')),
         nullif(greatest(private.legacy_int(r ->> 'latency_ms'), -1), -1),
         nullif(greatest(private.legacy_int(r ->> 'input_chars'), -1), -1),
         nullif(greatest(private.legacy_int(r ->> 'output_chars'), -1), -1),
         nullif(greatest(private.legacy_int(r ->> 'input_tokens'), -1), -1),
         nullif(greatest(private.legacy_int(r ->> 'output_tokens'), -1), -1),
         private.legacy_text(r ->> 'content_type'),
         greatest(coalesce(private.legacy_int(r ->> 'credits_charged'), private.legacy_int(r ->> 'credits_used'), 0), 0),
         least(greatest(coalesce(private.legacy_numeric(r ->> 'cost_usd'), 0), 0), 999999),
         private.legacy_ts(r ->> 'refunded_at'),
         private.legacy_text(r ->> 'client_version'), private.legacy_text(r ->> 'os'),
         private.legacy_text(r ->> 'browser'), private.legacy_text(r ->> 'device'),
         (case when jsonb_typeof(r -> 'meta') = 'object' then r -> 'meta' else '{}'::jsonb end)
           || jsonb_strip_nulls(jsonb_build_object('legacy_source', l.source,
                'legacy_session_id', case when l.session_id is null then r ->> 'session_id' end,
                'legacy_status', r ->> 'status')),
         private.legacy_ts(r ->> 'completed_at'), l.system,
         coalesce(private.legacy_ts(r ->> 'created_at'), now()),
         coalesce(private.legacy_ts(r ->> 'updated_at'), private.legacy_ts(r ->> 'created_at'), now())
    from pg_temp.legacy_rows_generations l
   where l.reason is null
   order by l.ord
  on conflict (id) do nothing;
end $$;

-- feedback (the table the product wrote), then feedbacks (Prisma's twin), then MEGA rows.
-- The same id, or the same customer, generation, result type, comment and media in an
-- earlier source, is the same feedback: it comes over once and the copy is listed.
create or replace function private.legacy_import_feedback()
returns void language plpgsql set search_path = '' as $$
begin
  create temp table legacy_rows_feedback on commit drop as
  select s.ord, s.source, s.system, s.src_id, s.r,
         private.legacy_customer_ref(s.r) as customer_ref,
         private.legacy_customer_for(private.legacy_customer_ref(s.r)) as customer_id,
         coalesce(private.legacy_text(s.r ->> 'comment'), private.legacy_text(s.r ->> 'message')) as comment,
         md5(concat_ws(chr(31), private.legacy_customer_ref(s.r),
                       private.legacy_text(s.r ->> 'generation_id'), lower(private.legacy_text(s.r ->> 'result_type')),
                       coalesce(private.legacy_text(s.r ->> 'comment'), private.legacy_text(s.r ->> 'message')),
                       private.legacy_text(s.r ->> 'image_url'), private.legacy_text(s.r ->> 'video_url'))) as content_key,
         null::text as reason
    from pg_temp.legacy_stage s where s.target = 'feedback';

  update pg_temp.legacy_rows_feedback set reason = 'no feedback id' where src_id is null;
  update pg_temp.legacy_rows_feedback l set reason = format('duplicate of %s row %s (same id)', f.source, f.src_id)
    from (select distinct on (src_id) * from pg_temp.legacy_rows_feedback where src_id is not null order by src_id, ord) f
   where l.reason is null and f.src_id = l.src_id and f.ord < l.ord;
  update pg_temp.legacy_rows_feedback l set reason = format('duplicate of %s row %s (same customer, generation and comment)',
                                                            f.source, f.src_id)
    from (select distinct on (content_key) * from pg_temp.legacy_rows_feedback where reason is null
           order by content_key, ord) f
   where l.reason is null and f.content_key = l.content_key and f.ord < l.ord;

  perform private.legacy_log(l.source, 'feedback', l.src_id,
            case when l.reason is not null then 'skipped'
                 when exists (select 1 from public.feedback x where x.id = l.src_id) then 'present' else 'imported' end,
            l.reason)
     from pg_temp.legacy_rows_feedback l;
  perform private.legacy_log(l.source, 'feedback', l.src_id, 'warning',
            format('no customer %s; imported without a customer', quote_literal(l.customer_ref)))
     from pg_temp.legacy_rows_feedback l
    where l.reason is null and l.customer_ref is not null and l.customer_id is null
      and not exists (select 1 from public.feedback x where x.id = l.src_id);

  insert into public.feedback (id, customer_id, session_id, generation_id, result_type, comment, image_url,
    video_url, status, admin_note, source_system, created_at, updated_at)
  select l.src_id, l.customer_id,
         (select x.id from public.sessions x where x.id = private.legacy_text(r ->> 'session_id')),
         (select x.id from public.generations x where x.id = private.legacy_text(r ->> 'generation_id')),
         private.legacy_text(r ->> 'result_type'), left(l.comment, 10000),
         private.legacy_text(r ->> 'image_url'), private.legacy_text(r ->> 'video_url'),
         case when lower(r ->> 'status') in ('new', 'reviewed', 'resolved', 'dismissed') then lower(r ->> 'status') else 'new' end,
         private.legacy_text(r ->> 'admin_note', 5000), l.system,
         coalesce(private.legacy_ts(r ->> 'created_at'), now()),
         coalesce(private.legacy_ts(r ->> 'updated_at'), private.legacy_ts(r ->> 'created_at'), now())
    from pg_temp.legacy_rows_feedback l
   where l.reason is null
   order by l.ord
  on conflict (id) do nothing;
end $$;

-- The ledger of the customers this run created, rebuilt so the invariant holds from the
-- first row: opening balance, legacy history in time order, closing adjustment if needed.
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

-- runtime_config / app_config: key-value rows, or one row whose columns (or a jsonb column
-- such as seed 001's runtime_flat) are the knobs. CreditDesk's value wins for a key it has.
create or replace function private.legacy_import_config()
returns void language plpgsql set search_path = '' as $$
begin
  create temp table legacy_config on commit drop as
  select s.ord, s.source, s.target, s.src_id, kv.key, kv.value, private.legacy_text(s.r ->> 'description', 1000) as description,
         row_number() over (partition by s.target, kv.key order by s.ord) as nth
    from pg_temp.legacy_stage s
    cross join lateral (
      select s.r ->> 'key' as key, coalesce(s.r -> 'value', 'null'::jsonb) as value where s.r ->> 'key' is not null
      union all
      select e.key, e.value
        from jsonb_each(coalesce(
               case when jsonb_typeof(s.r -> 'runtime_flat') = 'object' then s.r -> 'runtime_flat' end,
               case when jsonb_typeof(s.r -> 'flat') = 'object' then s.r -> 'flat' end,
               case when jsonb_typeof(s.r -> 'config') = 'object' then s.r -> 'config' end,
               case when jsonb_typeof(s.r -> 'data') = 'object' then s.r -> 'data' end,
               s.r - array['id', 'runtime_id', 'record_type', 'created_at', 'updated_at', 'updated_by', 'source_system',
                           'deleted_at', 'meta', 'version', 'actor_pass_id', 'session_hash', 'user_id', 'email', 'ip',
                           'user_agent', 'first_seen_at', 'last_seen_at', 'profile_id', 'shopify_customer_id', 'action',
                           'route', 'method', 'status', 'detail', 'details', 'customer_id', 'key', 'value',
                           'runtime_flat', 'description'])) e
       where s.r ->> 'key' is null
    ) kv
   where s.target in ('runtime_config', 'app_config');

  perform private.legacy_log(s.source, s.target, s.src_id, 'skipped', 'no config key or value found in the row')
     from pg_temp.legacy_stage s
    where s.target in ('runtime_config', 'app_config')
      and not exists (select 1 from pg_temp.legacy_config c where c.ord = s.ord);

  perform private.legacy_log(l.source, l.target, l.key,
            case when l.key is null or l.key !~ '^[A-Za-z0-9_.:-]{1,100}$' or l.nth > 1 then 'skipped'
                 when l.target = 'runtime_config' and exists (select 1 from public.runtime_config c where c.key = l.key) then 'present'
                 when l.target = 'app_config' and exists (select 1 from public.app_config c where c.key = l.key) then 'present'
                 else 'imported' end,
            case when l.key is null then 'no key'
                 when l.key !~ '^[A-Za-z0-9_.:-]{1,100}$' then format('key %s is not a valid config key', quote_literal(l.key))
                 when l.nth > 1 then 'duplicate key (first value kept)' end)
     from pg_temp.legacy_config l;

  insert into public.runtime_config (key, value, description)
  select key, value, description from pg_temp.legacy_config
   where target = 'runtime_config' and nth = 1 and key ~ '^[A-Za-z0-9_.:-]{1,100}$'
   order by ord, key
  on conflict (key) do nothing;
  insert into public.app_config (key, value, description)
  select key, value, description from pg_temp.legacy_config
   where target = 'app_config' and nth = 1 and key ~ '^[A-Za-z0-9_.:-]{1,100}$'
   order by ord, key
  on conflict (key) do nothing;
end $$;

-- Admin sessions need an auth user (by id, else by email); admin audit rows keep their
-- legacy id in details.legacy_id, which is how a second run recognises them.
create or replace function private.legacy_import_admin()
returns void language plpgsql set search_path = '' as $$
begin
  create temp table legacy_admin_sessions on commit drop as
  select s.ord, s.source, s.src_id, s.r,
         coalesce((select u.id from auth.users u where u.id = private.legacy_uuid(s.r ->> 'user_id')),
                  (select min(u.id::text)::uuid from auth.users u where lower(u.email) = lower(btrim(s.r ->> 'email')))) as user_id,
         private.legacy_text(s.r ->> 'session_hash', 200) as session_hash
    from pg_temp.legacy_stage s where s.target = 'admin_sessions';

  perform private.legacy_log(l.source, 'admin_sessions', coalesce(l.src_id, l.session_hash),
            case when l.session_hash is null or l.user_id is null then 'skipped'
                 when exists (select 1 from public.admin_sessions a where a.user_id = l.user_id and a.session_hash = l.session_hash)
                   then 'present' else 'imported' end,
            case when l.session_hash is null then 'no session_hash'
                 when l.user_id is null then format('no auth user for %s', coalesce(quote_literal(coalesce(l.r ->> 'email', l.r ->> 'user_id')), 'an empty user'))
            end)
     from pg_temp.legacy_admin_sessions l;

  insert into public.admin_sessions (user_id, email, session_hash, ip, user_agent, first_seen_at, last_seen_at, ended_at, created_at)
  select user_id, private.legacy_text(r ->> 'email', 320), session_hash, private.legacy_text(r ->> 'ip', 100),
         private.legacy_text(r ->> 'user_agent', 500),
         coalesce(private.legacy_ts(r ->> 'first_seen_at'), private.legacy_ts(r ->> 'created_at'), now()),
         coalesce(private.legacy_ts(r ->> 'last_seen_at'), private.legacy_ts(r ->> 'first_seen_at'), private.legacy_ts(r ->> 'created_at'), now()),
         private.legacy_ts(r ->> 'ended_at'),
         coalesce(private.legacy_ts(r ->> 'created_at'), now())
    from pg_temp.legacy_admin_sessions
   where session_hash is not null and user_id is not null
   order by ord
  on conflict (user_id, session_hash) do nothing;

  -- What earlier runs brought over, read once (admin_audit has no index on details).
  create temp table legacy_admin_audit on commit drop as
  with done as (
    select distinct a.details ->> 'legacy_system' as system, a.details ->> 'legacy_id' as legacy_id
      from public.admin_audit a where a.details ? 'legacy_id'
  )
  select s.ord, s.source, s.system, s.r, k.legacy_id,
         row_number() over (partition by s.system, k.legacy_id order by s.ord) as nth,
         d.legacy_id is not null as present
    from pg_temp.legacy_stage s
   cross join lateral (select coalesce(s.src_id, 'row:' || md5(s.r::text)) as legacy_id) k
    left join done d on d.system = s.system and d.legacy_id = k.legacy_id
   where s.target = 'admin_audit';

  perform private.legacy_log(l.source, 'admin_audit', l.legacy_id,
            case when l.nth > 1 then 'skipped' when l.present then 'present' else 'imported' end,
            case when l.nth > 1 then 'duplicate audit id' end)
     from pg_temp.legacy_admin_audit l;

  insert into public.admin_audit (at, actor_id, actor_email, action, table_name, record_id, method, route, status,
    details, ip, user_agent, created_at)
  select coalesce(private.legacy_ts(r ->> 'at'), private.legacy_ts(r ->> 'created_at'), now()),
         private.legacy_uuid(r ->> 'user_id'), private.legacy_text(r ->> 'email', 320),
         coalesce(private.legacy_text(r ->> 'action', 200), 'legacy.unknown'),
         private.legacy_text(r ->> 'table_name', 100), private.legacy_text(r ->> 'record_id', 200),
         private.legacy_text(r ->> 'method', 20), private.legacy_text(r ->> 'route', 500),
         coalesce(private.legacy_text(r ->> 'status', 50), 'ok'),
         (case when jsonb_typeof(r -> 'details') = 'object' then r -> 'details'
               when r -> 'details' is not null and jsonb_typeof(r -> 'details') <> 'null' then jsonb_build_object('value', r -> 'details')
               else '{}'::jsonb end)
           || jsonb_build_object('legacy_system', l.system, 'legacy_id', l.legacy_id, 'legacy_source', l.source),
         private.legacy_text(r ->> 'ip', 100), private.legacy_text(r ->> 'user_agent', 500),
         coalesce(private.legacy_ts(r ->> 'created_at'), private.legacy_ts(r ->> 'at'), now())
    from pg_temp.legacy_admin_audit l
   where l.nth = 1 and not l.present
   order by l.ord;
end $$;

create or replace function private.legacy_import_report(p_dry_run boolean)
returns json language plpgsql set search_path = '' as $$
begin
  return json_build_object(
    'dry_run', p_dry_run,
    'ran_at', now(),
    'sources', coalesce((
      select json_agg(x order by x.source, x.target) from (
        select coalesce(l.source, '(unknown)') as source, l.target,
               count(*) filter (where l.outcome <> 'warning') as rows,
               count(*) filter (where l.outcome = 'imported') as imported,
               count(*) filter (where l.outcome = 'present') as present,
               count(*) filter (where l.outcome = 'skipped') as skipped,
               count(*) filter (where l.outcome = 'warning') as warnings
          from pg_temp.legacy_import_log l group by l.source, l.target) x), '[]'),
    'missing_sources', (
      select coalesce(json_agg(t order by t), '[]') from unnest(array['customers', 'customer_credits', 'auto_topup_settings',
        'profiles', 'sessions', 'generations', 'feedback', 'feedbacks', 'credit_transactions', 'runtime_config',
        'app_config', 'admin_sessions', 'admin_audit', 'MEGA_CUSTOMERS', 'MEGA_GENERATIONS', 'MEGA_ADMIN']) t
       where private.legacy_source(t) is null),
    'totals', (select json_build_object(
        'imported', count(*) filter (where outcome = 'imported'),
        'present', count(*) filter (where outcome = 'present'),
        'skipped', count(*) filter (where outcome = 'skipped'),
        'warnings', count(*) filter (where outcome = 'warning'))
      from pg_temp.legacy_import_log),
    'ledger', (select json_build_object(
        'customers', (select count(*) from pg_temp.legacy_new_customers),
        'entries', count(*),
        'history_entries', count(*) filter (where phase = 1),
        'opening_balances', count(*) filter (where phase = 0),
        'closing_adjustments', count(*) filter (where phase = 2),
        'credits', (select coalesce(sum(balance), 0) from pg_temp.legacy_new_customers))
      from pg_temp.legacy_ledger),
    'issues', coalesce((
      select json_agg(json_build_object('source', i.source, 'target', i.target, 'id', i.src_id,
                                        'outcome', i.outcome, 'reason', i.reason) order by i.n)
        from (select *, row_number() over (order by l.n) as k from pg_temp.legacy_import_log l
               where l.outcome in ('skipped', 'warning')) i
       where i.k <= 1000), '[]'),
    'issues_total', (select count(*) from pg_temp.legacy_import_log where outcome in ('skipped', 'warning')));
end $$;

create or replace function private.legacy_import(p_dry_run boolean)
returns json language plpgsql set search_path = '' as $$
declare
  v_report json;
begin
  drop table if exists pg_temp.legacy_import_log, pg_temp.legacy_stage, pg_temp.legacy_customers,
    pg_temp.legacy_new_customers, pg_temp.legacy_profile_match, pg_temp.legacy_rows_sessions,
    pg_temp.legacy_rows_generations, pg_temp.legacy_rows_feedback, pg_temp.legacy_tx, pg_temp.legacy_ledger,
    pg_temp.legacy_config, pg_temp.legacy_admin_sessions, pg_temp.legacy_admin_audit;
  create temp table legacy_import_log (
    n bigserial primary key, source text, target text not null, src_id text, outcome text not null, reason text
  ) on commit drop;

  -- Balances move here only with the ledger rows written in the same transaction, and the
  -- import writes one summary audit row instead of one per customer.
  perform set_config('creditdesk.ledger_write', 'on', true);
  perform set_config('creditdesk.skip_row_audit', 'on', true);

  perform private.legacy_stage();
  perform private.legacy_import_customers();
  perform private.legacy_import_profiles();
  perform private.legacy_import_sessions();
  perform private.legacy_import_generations();
  perform private.legacy_import_feedback();
  perform private.legacy_import_ledger();
  -- The imported balances become one legacy block per new customer (45_credit_blocks.sql).
  perform private.create_legacy_blocks();
  perform private.legacy_import_config();
  perform private.legacy_import_admin();

  perform set_config('creditdesk.ledger_write', '', true);
  perform set_config('creditdesk.skip_row_audit', '', true);

  v_report := private.legacy_import_report(p_dry_run);
  -- Audit only a run that changed something, so a repeated run leaves no trace either.
  if ((v_report -> 'totals' ->> 'imported')::bigint > 0) then
    perform private.write_audit('legacy.import', null, null, jsonb_build_object(
      'totals', v_report -> 'totals', 'ledger', v_report -> 'ledger', 'dry_run', p_dry_run));
  end if;
  return v_report;
end $$;

create or replace function public.import_legacy(p_dry_run boolean default false)
returns json language plpgsql security definer set search_path = '' as $$
declare
  v_report json;
begin
  -- Admins from the health page, the service role from scripts/import-legacy.mjs.
  if not (private.has_role('admin') or private.is_service_role()) then
    perform private.raise_forbidden('Only admins (or the service role) may import legacy data.');
  end if;
  if p_dry_run is null then
    perform private.raise_bad_input('p_dry_run must be true or false.');
  end if;
  -- Two imports at once would both see a customer as new and both write its ledger.
  perform pg_advisory_xact_lock(hashtext('creditdesk.legacy_import'));

  if not p_dry_run then
    return private.legacy_import(false);
  end if;
  -- A dry run does the whole import in a subtransaction, keeps the report and rolls back.
  begin
    v_report := private.legacy_import(true);
    raise exception using errcode = 'P0001', message = 'creditdesk: legacy import dry run, rolling back';
  exception when raise_exception then
    if v_report is null then
      raise;
    end if;
  end;
  return v_report;
end $$;

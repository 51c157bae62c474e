-- CreditDesk baseline: supabase/schemas/*.sql concatenated in name order by
-- scripts/build-baseline.mjs (npm run db:baseline). Do not edit: change the schema file and add
-- a new migration in the same commit; test/db/schema-drift.test.ts checks they build the same
-- database. Applied after what hosted Supabase already has (supabase/local/bootstrap.sql).

-- ======================================================================================
-- supabase/schemas/00_extensions_schemas.sql
-- ======================================================================================
-- Extensions and the schemas CreditDesk adds. Roles (anon, authenticated, service_role,
-- authenticator), `extensions`, `auth` and `public` come with every hosted Supabase project
-- (supabase/local/bootstrap.sql recreates them for the embedded stack). Privileges on the
-- schemas are in 99_grants.sql.
create extension if not exists pg_trgm with schema extensions;
create extension if not exists pgcrypto with schema extensions;

-- Helpers that must never be callable as RPC live in `private`, a schema PostgREST does not
-- expose. Policies call them, so signed-in users need USAGE on the schema (99_grants.sql).
create schema if not exists private;

-- ======================================================================================
-- supabase/schemas/10_private_helpers.sql
-- ======================================================================================
-- Small helpers every domain uses: errors PostgREST turns into HTTP statuses, updated_at,
-- the request context, append-only tables and the reason check of staff actions.

-- PostgREST turns SQLSTATE PTxyz into HTTP status xyz; naming the codes once keeps the
-- ledger functions readable.
create or replace function private.raise_not_found(p_message text)
returns void language plpgsql set search_path = '' as $$
begin
  raise exception using errcode = 'PT404', message = p_message;
end $$;

create or replace function private.raise_conflict(p_message text, p_hint text default null)
returns void language plpgsql set search_path = '' as $$
begin
  raise exception using errcode = 'PT409', message = p_message, hint = coalesce(p_hint, '');
end $$;

create or replace function private.raise_bad_input(p_message text, p_hint text default null)
returns void language plpgsql set search_path = '' as $$
begin
  raise exception using errcode = '22023', message = p_message, hint = coalesce(p_hint, '');
end $$;

create or replace function private.raise_forbidden(p_message text)
returns void language plpgsql set search_path = '' as $$
begin
  raise exception using errcode = '42501', message = p_message;
end $$;

create or replace function private.set_updated_at()
returns trigger language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  return new;
end $$;

-- Request context PostgREST puts in GUCs; null outside an HTTP request (seed, psql).
create or replace function private.request_header(p_name text)
returns text language sql stable set search_path = '' as $$
  select nullif(current_setting('request.headers', true), '')::json ->> p_name
$$;

create or replace function private.request_ip()
returns text language sql stable set search_path = '' as $$
  select nullif(trim(split_part(coalesce(private.request_header('x-forwarded-for'),
                                         private.request_header('x-real-ip'), ''), ',', 1)), '')
$$;

-- The trigger of append-only tables (credit_transactions, admin_audit): UPDATE, DELETE and
-- TRUNCATE are refused for everyone, table owner included, until the trigger is dropped.
create or replace function private.refuse_ledger_change()
returns trigger language plpgsql set search_path = '' as $$
begin
  raise exception using errcode = '42501',
    message = format('%s rows are immutable: record a new entry instead of changing %s.',
                     tg_table_name, lower(tg_op));
end $$;

-- The reason a person gives for a credit change or an account change: trimmed of every kind
-- of white space (the regex class \s: space, tab, newline, CR, FF, VT, so a reason of tabs
-- alone is no reason), required, at most 500 characters, plain text.
create or replace function private.check_reason(p_reason text, p_what text)
returns text language plpgsql immutable set search_path = '' as $$
declare
  v_reason text := regexp_replace(p_reason, '^\s+|\s+$', '', 'g');
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

-- ======================================================================================
-- supabase/schemas/15_audit_trail.sql
-- ======================================================================================
-- The append-only audit trail: the table, the one function that writes a row from the
-- request context, and the generic row-change trigger each audited table attaches in its own
-- file (customers, feedback, generation_types, staff, runtime_config, app_config).
-- Written only by triggers and SECURITY DEFINER functions.

create table public.admin_audit (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor_id uuid,
  actor_email text,
  action text not null,
  table_name text,
  record_id text,
  method text,
  route text,
  status text not null default 'ok',
  details jsonb not null default '{}'::jsonb,
  ip text,
  user_agent text,
  created_at timestamptz not null default now()
);

create index admin_audit_at_idx on public.admin_audit (at desc, id desc);
create index admin_audit_actor_idx on public.admin_audit (actor_id, at desc);
create index admin_audit_record_idx on public.admin_audit (table_name, record_id, at desc);
create index admin_audit_action_idx on public.admin_audit (action, at desc);

create trigger admin_audit_immutable
  before update or delete on public.admin_audit
  for each row execute function private.refuse_ledger_change();
create trigger admin_audit_no_truncate
  before truncate on public.admin_audit
  for each statement execute function private.refuse_ledger_change();

-- One place builds an audit row from the request context, so triggers and ledger functions
-- record actor, route, ip and user agent the same way.
create or replace function private.write_audit(
  p_action text, p_table text, p_record_id text, p_details jsonb
) returns bigint language plpgsql security definer set search_path = '' as $$
declare
  v_claims jsonb := (select auth.jwt());
  v_id bigint;
begin
  insert into public.admin_audit (actor_id, actor_email, action, table_name, record_id,
                                  method, route, details, ip, user_agent)
  values ((select auth.uid()),
          coalesce(v_claims ->> 'email', case when v_claims ->> 'role' = 'service_role' then 'service_role' end),
          p_action, p_table, p_record_id,
          nullif(current_setting('request.method', true), ''),
          nullif(current_setting('request.path', true), ''),
          coalesce(p_details, '{}'::jsonb),
          private.request_ip(),
          left(private.request_header('user-agent'), 500))
  returning id into v_id;
  return v_id;
end $$;

-- The changed fields only, as {field: {before, after}}; noise columns are left out so a
-- last_active bump by the product is not an audit event.
create or replace function private.jsonb_changes(p_old jsonb, p_new jsonb)
returns jsonb language sql immutable set search_path = '' as $$
  select coalesce(jsonb_object_agg(k, jsonb_build_object('before', p_old -> k, 'after', p_new -> k)), '{}'::jsonb)
  from (select jsonb_object_keys(coalesce(p_old, '{}'::jsonb) || coalesce(p_new, '{}'::jsonb)) as k) keys
  where k not in ('updated_at', 'last_active', 'version', 'updated_by', 'verified_any')
    and (p_old -> k) is distinct from (p_new -> k)
$$;

-- Generic row audit. TG_ARGV[0] names the table in actions (`customers` -> customers.update),
-- TG_ARGV[1] the key column. Ledger functions set creditdesk.skip_row_audit because they
-- write one richer audit row of their own.
create or replace function private.audit_row_change()
returns trigger language plpgsql security definer set search_path = '' as $$
declare
  v_old jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
  v_new jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
  v_changes jsonb;
begin
  if coalesce(current_setting('creditdesk.skip_row_audit', true), '') = 'on' then
    return null;
  end if;
  v_changes := private.jsonb_changes(v_old, v_new);
  if tg_op = 'UPDATE' and v_changes = '{}'::jsonb then
    return null;
  end if;
  perform private.write_audit(
    tg_argv[0] || '.' || lower(tg_op), tg_argv[0],
    coalesce(v_new, v_old) ->> tg_argv[1],
    jsonb_build_object('changes', v_changes));
  return null;
end $$;

-- ======================================================================================
-- supabase/schemas/20_staff.sql
-- ======================================================================================
-- Staff: the one source of who may use CreditDesk and with which role (admin, support,
-- finance), the role helpers every policy and RPC calls, and the staff RPCs.

create table public.staff (
  user_id uuid primary key references auth.users (id) on delete cascade,
  email text not null,
  role text not null check (role in ('admin', 'support', 'finance')),
  disabled boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid references auth.users (id) on delete set null
);

create index staff_role_idx on public.staff (role) where not disabled;

create trigger staff_set_updated_at before update on public.staff
  for each row execute function private.set_updated_at();

create trigger staff_audit after insert or update or delete on public.staff
  for each row execute function private.audit_row_change('staff', 'user_id');

-- SECURITY DEFINER so policies on `staff` itself can call it without recursing into RLS.
-- A disabled staff member has no role, so a still-valid JWT opens nothing.
create or replace function private.staff_role()
returns text language sql stable security definer set search_path = '' as $$
  select s.role from public.staff s
  where s.user_id = (select auth.uid()) and not s.disabled
$$;

create or replace function private.has_role(variadic p_roles text[])
returns boolean language sql stable security definer set search_path = '' as $$
  select coalesce(private.staff_role() = any (p_roles), false)
$$;

create or replace function private.is_staff()
returns boolean language sql stable security definer set search_path = '' as $$
  select private.staff_role() is not null
$$;

create or replace function private.is_service_role()
returns boolean language sql stable set search_path = '' as $$
  select coalesce((select auth.jwt()) ->> 'role', '') = 'service_role'
$$;

-- The last enabled admin cannot be demoted, disabled or removed: otherwise nobody could
-- manage staff any more without the service role. The advisory lock serialises two admins
-- demoting each other at once, so the second sees the first's commit.
create or replace function private.keep_one_admin()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  if old.role = 'admin' and not old.disabled
     and (tg_op = 'DELETE' or new.role <> 'admin' or new.disabled) then
    perform pg_advisory_xact_lock(hashtext('creditdesk.staff.admins'));
    if not exists (select 1 from public.staff
                   where role = 'admin' and not disabled and user_id <> old.user_id) then
      perform private.raise_conflict(
        'This would leave CreditDesk without an enabled admin.',
        'Make another staff member admin first, then change this one.');
    end if;
  end if;
  return null;
end $$;

create trigger staff_keep_one_admin
  after update or delete on public.staff
  for each row execute function private.keep_one_admin();

-- Who the caller is, for the UI's permissions. role is null for anyone who is not enabled staff.
create or replace function public.whoami()
returns json language sql stable security definer set search_path = '' as $$
  select json_build_object(
    'user_id', (select auth.uid()),
    'email', (select auth.jwt()) ->> 'email',
    'role', private.staff_role())
$$;

-- Granting a role needs the auth user's id, which staff cannot read from auth.users; this
-- looks it up by email. Creating the account itself stays with Supabase Auth (service role).
create or replace function public.add_staff_member(p_email text, p_role text)
returns json language plpgsql security definer set search_path = '' as $$
declare
  v_user auth.users;
  v_email text := lower(btrim(p_email));
begin
  if not private.has_role('admin') then
    perform private.raise_forbidden('Only admins may add staff members.');
  end if;
  if v_email is null or v_email !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' then
    perform private.raise_bad_input('Enter the email address of an existing account, like name@example.com.');
  end if;
  if p_role is null or p_role not in ('admin', 'support', 'finance') then
    perform private.raise_bad_input('The role must be admin, support or finance.');
  end if;
  select * into v_user from auth.users where lower(email) = v_email;
  if not found then
    perform private.raise_not_found(format(
      'No account with the email %s. Invite the person through Supabase Auth first, then grant the role.', v_email));
  end if;
  if exists (select 1 from public.staff where user_id = v_user.id) then
    perform private.raise_conflict(format('%s is already a staff member; change the role on their row.', v_email));
  end if;
  insert into public.staff (user_id, email, role, created_by)
  values (v_user.id, v_user.email, p_role, (select auth.uid()));
  return json_build_object('user_id', v_user.id, 'email', v_user.email, 'role', p_role);
end $$;

-- ======================================================================================
-- supabase/schemas/30_customers_generations.sql
-- ======================================================================================
-- What the product records: customers (seed 001's MEGA_CUSTOMERS, consolidated), their
-- sessions, generations and feedback, and the price list of generation types; with the
-- customer RPCs that are not credit movements (disable/enable, search).
--
-- source_system says where a row came from: rows brought over by public.import_legacy keep
-- 'legacy' (the fragmented tables) or 'mega' (seed 001's MEGA_* tables) after the legacy
-- tables are dropped; rows written by CreditDesk and the product keep the default.

-- The consolidated customer (seed 001's MEGA_CUSTOMERS) and what they do.
create table public.customers (
  id text primary key default gen_random_uuid()::text check (length(id) between 1 and 200),
  shopify_customer_id text unique check (length(shopify_customer_id) <= 100),
  user_id uuid references auth.users (id) on delete set null,
  email text check (length(email) <= 320),
  first_name text check (length(first_name) <= 200),
  last_name text check (length(last_name) <= 200),
  display_name text check (length(display_name) <= 200),
  locale text check (length(locale) <= 35),
  timezone text check (length(timezone) <= 64),
  marketing_opt_in boolean not null default false,
  product_updates_opt_in boolean not null default false,
  credits integer not null default 0 check (credits >= 0),
  expires_at timestamptz,
  last_active timestamptz,
  disabled boolean not null default false,
  disabled_reason text check (length(disabled_reason) <= 500),
  verified_email boolean not null default false,
  verified_google boolean not null default false,
  verified_apple boolean not null default false,
  verified_any boolean generated always as (verified_email or verified_google or verified_apple) stored,
  verification_method text check (verification_method in ('email', 'google', 'apple', 'manual')),
  verification_at timestamptz,
  topup_default_packs integer not null default 3 check (topup_default_packs between 0 and 100),
  auto_topup_enabled boolean not null default false,
  auto_topup_monthly_limit_packs integer check (auto_topup_monthly_limit_packs between 0 and 1000),
  last_topup_at timestamptz,
  topup_source text check (length(topup_source) <= 50),
  meta jsonb not null default '{}'::jsonb,
  source_system text not null default 'creditdesk',
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Search by email / name / pass id / Shopify id is `ilike '%q%'` (public.search_customers):
-- trigram indexes serve it.
create index customers_email_trgm on public.customers using gin (email extensions.gin_trgm_ops);
create index customers_display_name_trgm on public.customers using gin (display_name extensions.gin_trgm_ops);
create index customers_first_name_trgm on public.customers using gin (first_name extensions.gin_trgm_ops);
create index customers_last_name_trgm on public.customers using gin (last_name extensions.gin_trgm_ops);
create index customers_id_trgm on public.customers using gin (id extensions.gin_trgm_ops);
create index customers_shopify_trgm on public.customers using gin (shopify_customer_id extensions.gin_trgm_ops);
create index customers_last_active_idx on public.customers (last_active desc nulls last, id);
create index customers_created_at_idx on public.customers (created_at desc, id);
create index customers_credits_idx on public.customers (credits desc, id);
create index customers_expires_at_idx on public.customers (expires_at) where expires_at is not null;
create index customers_disabled_idx on public.customers (id) where disabled;
create index customers_user_id_idx on public.customers (user_id) where user_id is not null;

create trigger customers_set_updated_at before update on public.customers
  for each row execute function private.set_updated_at();

create trigger customers_audit after insert or update or delete on public.customers
  for each row execute function private.audit_row_change('customers', 'id');

create table public.sessions (
  id text primary key default gen_random_uuid()::text,
  customer_id text not null references public.customers (id) on delete cascade,
  platform text,
  title text check (length(title) <= 500),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  source_system text not null default 'creditdesk' check (length(source_system) between 1 and 50)
);
create index sessions_customer_idx on public.sessions (customer_id, created_at desc);
create index sessions_created_at_idx on public.sessions (created_at desc);
create trigger sessions_set_updated_at before update on public.sessions
  for each row execute function private.set_updated_at();

create table public.generations (
  id text primary key default gen_random_uuid()::text,
  customer_id text not null references public.customers (id) on delete cascade,
  session_id text references public.sessions (id) on delete set null,
  type text,
  platform text,
  prompt text,
  output_url text,
  output_key text,
  provider text not null default 'wavespeed',
  model text,
  status text not null default 'pending'
    check (status in ('pending', 'processing', 'succeeded', 'failed', 'cancelled')),
  error text,
  latency_ms integer check (latency_ms >= 0),
  input_chars integer check (input_chars >= 0),
  output_chars integer check (output_chars >= 0),
  input_tokens integer check (input_tokens >= 0),
  output_tokens integer check (output_tokens >= 0),
  content_type text,
  credits_charged integer not null default 0 check (credits_charged >= 0),
  cost_usd numeric(12, 6) not null default 0 check (cost_usd >= 0),
  refunded_at timestamptz,
  client_version text,
  os text,
  browser text,
  device text,
  meta jsonb not null default '{}'::jsonb,
  completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  source_system text not null default 'creditdesk' check (length(source_system) between 1 and 50)
);
create index generations_created_at_idx on public.generations (created_at desc, id);
create index generations_customer_idx on public.generations (customer_id, created_at desc);
create index generations_status_idx on public.generations (status, created_at desc);
create index generations_provider_idx on public.generations (provider, created_at desc);
create index generations_model_idx on public.generations (model, created_at desc);
create index generations_type_idx on public.generations (type, created_at desc);
create index generations_session_idx on public.generations (session_id) where session_id is not null;
create trigger generations_set_updated_at before update on public.generations
  for each row execute function private.set_updated_at();

create table public.feedback (
  id text primary key default gen_random_uuid()::text,
  customer_id text references public.customers (id) on delete set null,
  session_id text references public.sessions (id) on delete set null,
  generation_id text references public.generations (id) on delete set null,
  result_type text,
  comment text check (length(comment) <= 10000),
  image_url text,
  video_url text,
  status text not null default 'new' check (status in ('new', 'reviewed', 'resolved', 'dismissed')),
  admin_note text check (length(admin_note) <= 5000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  source_system text not null default 'creditdesk' check (length(source_system) between 1 and 50)
);
create index feedback_status_idx on public.feedback (status, created_at desc);
create index feedback_created_at_idx on public.feedback (created_at desc);
create index feedback_customer_idx on public.feedback (customer_id, created_at desc);
create index feedback_generation_idx on public.feedback (generation_id) where generation_id is not null;
create trigger feedback_set_updated_at before update on public.feedback
  for each row execute function private.set_updated_at();

create trigger feedback_audit after update or delete on public.feedback
  for each row execute function private.audit_row_change('feedback', 'id');

-- Seed 004's price list.
create table public.generation_types (
  type_key text primary key check (type_key ~ '^[a-z0-9_.-]{1,64}$'),
  display_name text not null check (length(display_name) between 1 and 200),
  cost_credits integer not null check (cost_credits between 0 and 100000),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create trigger generation_types_set_updated_at before update on public.generation_types
  for each row execute function private.set_updated_at();

create trigger generation_types_audit after insert or update or delete on public.generation_types
  for each row execute function private.audit_row_change('generation_types', 'type_key');

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

-- The customer search box. Under RLS, Postgres evaluates the policy before any qual that is
-- not LEAKPROOF, and ILIKE is not, so `or=(email.ilike.*q*, ...)` on the table can never use
-- the trigram indexes: at 200k customers every search was a sequential scan (~400 ms). This
-- function checks the caller's role itself, then searches as the table owner, where the
-- indexes apply; PostgREST still sorts, filters, pages and counts its result.
create or replace function public.search_customers(p_q text)
returns setof public.customers
language plpgsql stable security definer set search_path = '' rows 50 as $$
declare
  v_words text[];
  v_word text;
  v_pattern text;
  v_sql text := 'select c.* from public.customers c where true';
begin
  if not private.is_staff() then
    perform private.raise_forbidden('Only CreditDesk staff may search customers.');
  end if;
  if length(p_q) > 200 then
    perform private.raise_bad_input('Search for at most 200 characters, e.g. an email address or a pass id.');
  end if;
  -- Every word must match one of the searchable fields; LIKE's wildcards are taken literally.
  v_words := regexp_split_to_array(btrim(regexp_replace(coalesce(p_q, ''), '[[:cntrl:][:space:]]+', ' ', 'g')), ' ');
  foreach v_word in array v_words loop
    continue when v_word = '';
    v_pattern := '%' || replace(replace(replace(v_word, '\', '\\'), '%', '\%'), '_', '\_') || '%';
    v_sql := v_sql || format(
      ' and (c.email ilike %1$L or c.id ilike %1$L or c.shopify_customer_id ilike %1$L'
      ' or c.display_name ilike %1$L or c.first_name ilike %1$L or c.last_name ilike %1$L)', v_pattern);
  end loop;
  return query execute v_sql;
end $$;

-- ======================================================================================
-- supabase/schemas/40_ledger.sql
-- ======================================================================================
-- The credit ledger: the immutable table and every function that moves credits. For every
-- customer, credits = sum(delta) = latest balance_after.
--
-- Every credit movement goes through private.apply_credit_change: one transaction writes the
-- ledger row with balance_after, the new balance and one audit row, under a lock on the
-- customer row so concurrent calls for one customer serialise. The RPCs in front of it:
--   staff:        adjust_credits, refund_generation
--   backend only: consume_credits, refund_credits (service role)

create table public.credit_transactions (
  id bigint generated always as identity primary key,
  customer_id text not null references public.customers (id) on delete restrict,
  type text not null check (type in ('purchase', 'grant', 'spend', 'refund', 'adjustment', 'expiry')),
  delta integer not null check (delta <> 0),
  balance_after integer not null check (balance_after >= 0),
  reason text check (length(reason) <= 500),
  source text not null default 'system' check (length(source) between 1 and 50),
  ref_type text,
  ref_id text,
  provider text,
  cost_usd numeric(12, 6),
  idempotency_key text unique check (length(idempotency_key) between 1 and 200),
  actor uuid,
  created_at timestamptz not null default now()
);

create index credit_transactions_customer_idx on public.credit_transactions (customer_id, id desc);
create index credit_transactions_created_at_idx on public.credit_transactions (created_at desc, id desc);
create index credit_transactions_type_idx on public.credit_transactions (type, created_at desc);
create index credit_transactions_source_idx on public.credit_transactions (source, created_at desc);
create index credit_transactions_ref_idx on public.credit_transactions (ref_type, ref_id) where ref_id is not null;
-- A generation is refunded at most once, whichever path refunds it.
create unique index credit_transactions_one_refund_per_generation
  on public.credit_transactions (ref_id) where type = 'refund' and ref_type = 'generation';

create trigger credit_transactions_immutable
  before update or delete on public.credit_transactions
  for each row execute function private.refuse_ledger_change();
create trigger credit_transactions_no_truncate
  before truncate on public.credit_transactions
  for each statement execute function private.refuse_ledger_change();

-- customers.credits moves only with a ledger row. Column privileges keep clients off it;
-- this guard also stops the service role and table owners, unless a ledger function (or a
-- bulk loader that rebuilds the ledger in the same transaction) says so.
create or replace function private.guard_customer_credits()
returns trigger language plpgsql set search_path = '' as $$
begin
  if coalesce(current_setting('creditdesk.ledger_write', true), '') <> 'on' then
    if tg_op = 'INSERT' and new.credits <> 0 then
      raise exception using errcode = '42501',
        message = 'A new customer starts with 0 credits; grant credits through the ledger.';
    elsif tg_op = 'UPDATE' and new.credits is distinct from old.credits then
      raise exception using errcode = '42501',
        message = 'Credits change only through adjust_credits, consume_credits or refund_credits.';
    end if;
  end if;
  return new;
end $$;

create trigger customers_guard_credits
  before insert or update of credits on public.customers
  for each row execute function private.guard_customer_credits();

-- The size check is done in bigint: abs() of the one integer whose absolute value is not an
-- integer (-2147483648) would raise "integer out of range" instead of the limit message.
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

-- For the product's own backend (seed 003's consume_user_credits / refund_user_credits).
-- Its arguments are free-form, so they are checked before anything is written: a cost of NaN
-- would poison every later sum of provider spend, and an over-long provider or id would be
-- stored as given. A generation named by the backend must exist (for a spend) and belong to
-- the customer; a generation's refund gives back exactly what it charged.
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

-- ======================================================================================
-- supabase/schemas/50_admin_sessions.sql
-- ======================================================================================
-- Staff sign-ins: one row per sign-in, kept current by the layout's heartbeat
-- (touch_admin_session) and ended on sign-out (end_admin_session).

-- One row per staff sign-in, keyed by a hash of the JWT's session_id (never the token).
create table public.admin_sessions (
  id bigint generated always as identity primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  email text,
  session_hash text not null,
  ip text,
  user_agent text,
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  ended_at timestamptz,
  created_at timestamptz not null default now(),
  unique (user_id, session_hash)
);

create index admin_sessions_last_seen_idx on public.admin_sessions (last_seen_at desc, id desc);
create index admin_sessions_user_idx on public.admin_sessions (user_id, last_seen_at desc);

-- Records (or refreshes) the caller's admin session. The hash of the JWT's session_id
-- identifies the sign-in without storing anything that could be replayed.
create or replace function public.touch_admin_session()
returns json language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := (select auth.uid());
  v_session text := (select auth.jwt()) ->> 'session_id';
  v_hash text;
  v_row public.admin_sessions;
begin
  if not private.is_staff() then
    perform private.raise_forbidden('Only enabled staff have admin sessions.');
  end if;
  v_hash := encode(extensions.digest(coalesce(v_session, 'no-session:' || v_uid::text), 'sha256'), 'hex');
  insert into public.admin_sessions as s (user_id, email, session_hash, ip, user_agent)
  values (v_uid, (select auth.jwt()) ->> 'email', v_hash, private.request_ip(),
          left(private.request_header('user-agent'), 500))
  on conflict (user_id, session_hash) do update
    set last_seen_at = now(), ip = excluded.ip, user_agent = excluded.user_agent
    where s.ended_at is null
  returning * into v_row;
  if v_row.id is null then
    perform private.raise_conflict('This session was signed out; sign in again.');
  end if;
  return json_build_object('id', v_row.id, 'first_seen_at', v_row.first_seen_at,
                           'last_seen_at', v_row.last_seen_at);
end $$;

create or replace function public.end_admin_session()
returns void language plpgsql security definer set search_path = '' as $$
begin
  update public.admin_sessions set ended_at = now(), last_seen_at = now()
   where user_id = (select auth.uid())
     and session_hash = encode(extensions.digest(coalesce((select auth.jwt()) ->> 'session_id',
                                                          'no-session:' || (select auth.uid())::text), 'sha256'), 'hex')
     and ended_at is null;
end $$;

-- ======================================================================================
-- supabase/schemas/60_config.sql
-- ======================================================================================
-- Live knobs of the product (runtime_config) and app-level settings (app_config), edited by
-- admins. Both use optimistic concurrency: a save names the version it was based on, like
-- HTTP's If-Match. With `version` itself as the precondition, a client that left it out of
-- its PATCH would overwrite silently (a trigger cannot tell "left out" from "unchanged"), so
-- expected_version is write-only: always null at rest, and a save without it is refused
-- instead of winning by default.

create table public.runtime_config (
  key text primary key check (key ~ '^[A-Za-z0-9_.:-]{1,100}$'),
  value jsonb not null check (pg_column_size(value) <= 65536),
  description text check (length(description) <= 1000),
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  updated_by uuid,
  expected_version integer
);

create table public.app_config (like public.runtime_config including all);

-- An admin who saves a bad config key, value or description got Postgres's wording ("violates
-- check constraint runtime_config_value_check"), which does not say what the limit is. This
-- trigger runs before the others and says it in words; the check constraints stay as the
-- backstop. The SQLSTATEs are the constraints' own (23514 check, 23502 not null), so a client
-- that tells them apart still can. Named *_check_input so it fires before *_stamp and
-- *_versioned (triggers of one kind fire in name order).
create or replace function private.check_config_input()
returns trigger language plpgsql set search_path = '' as $$
begin
  if tg_op = 'INSERT' and (new.key is null or new.key !~ '^[A-Za-z0-9_.:-]{1,100}$') then
    raise exception using errcode = '23514',
      message = format('"%s" is not a valid key: use 1 to 100 letters, digits, dots, dashes, underscores or colons.',
                       left(regexp_replace(coalesce(new.key, ''), '[[:cntrl:]]', '?', 'g'), 100)),
      hint = 'For example generation.enabled or rate_limit:per_minute.';
  end if;
  if new.value is null then
    raise exception using errcode = '23502',
      message = format('Give "%s" a value: any JSON except null.', new.key),
      hint = 'To switch something off, save false or 0.';
  end if;
  if pg_column_size(new.value) > 65536 then
    raise exception using errcode = '23514',
      message = format('The value of "%s" is %s KB; a config value may be at most 64 KB.', new.key, pg_column_size(new.value) / 1024),
      hint = 'Keep large content (copy, lists) elsewhere and store a link or an id here.';
  end if;
  if length(new.description) > 1000 then
    raise exception using errcode = '23514',
      message = format('The description is %s characters long; keep it under 1000.', length(new.description));
  end if;
  return new;
end $$;

create or replace function private.config_versioned_update()
returns trigger language plpgsql set search_path = '' as $$
begin
  if new.key is distinct from old.key then
    perform private.raise_bad_input('A config key cannot be renamed; create a new key instead.');
  end if;
  if new.version is distinct from old.version then
    perform private.raise_bad_input('The version is kept by the database; send expected_version instead.',
      'expected_version is the version you read before editing.');
  end if;
  if new.expected_version is null then
    perform private.raise_bad_input(
      format('Saving "%s" needs the version you edited (expected_version), so that a concurrent change is not overwritten.', old.key),
      format('Read the key again and send expected_version = %s with your change.', old.version));
  end if;
  if new.expected_version <> old.version then
    perform private.raise_conflict(
      format('"%s" was changed by someone else (now version %s, you edited version %s). Nothing was saved.',
             old.key, old.version, new.expected_version),
      'Reload the value, re-apply your change and save again.');
  end if;
  new.expected_version := null;
  new.version := old.version + 1;
  new.updated_at := now();
  new.updated_by := (select auth.uid());
  return new;
end $$;

create or replace function private.config_stamp_insert()
returns trigger language plpgsql set search_path = '' as $$
begin
  new.version := 1;
  new.expected_version := null;
  new.updated_by := (select auth.uid());
  return new;
end $$;

create trigger runtime_config_check_input before insert or update on public.runtime_config
  for each row execute function private.check_config_input();

create trigger runtime_config_versioned before update on public.runtime_config
  for each row execute function private.config_versioned_update();
create trigger runtime_config_stamp before insert on public.runtime_config
  for each row execute function private.config_stamp_insert();
create trigger runtime_config_audit after insert or update or delete on public.runtime_config
  for each row execute function private.audit_row_change('runtime_config', 'key');

create trigger app_config_check_input before insert or update on public.app_config
  for each row execute function private.check_config_input();

create trigger app_config_versioned before update on public.app_config
  for each row execute function private.config_versioned_update();
create trigger app_config_stamp before insert on public.app_config
  for each row execute function private.config_stamp_insert();
create trigger app_config_audit after insert or update or delete on public.app_config
  for each row execute function private.audit_row_change('app_config', 'key');

-- ======================================================================================
-- supabase/schemas/70_rollups.sql
-- ======================================================================================
-- Dashboard rollups the database keeps current itself, so a dashboard never scans raw rows.
-- Days are UTC days. Statement-level triggers with transition tables: a bulk backfill of a
-- million rows updates each rollup once per key, not once per row. Read only through
-- public.dashboard_metrics (75_dashboard_metrics.sql); private.rebuild_dashboard_rollups
-- recomputes them all.

create table public.generation_daily_stats (
  day date not null,
  provider text not null,
  model text not null,
  status text not null,
  calls bigint not null default 0,
  credits_charged bigint not null default 0,
  cost_usd numeric(18, 6) not null default 0,
  latency_ms_sum bigint not null default 0,
  latency_count bigint not null default 0,
  refunded bigint not null default 0,
  primary key (day, provider, model, status)
);

create table public.ledger_daily_stats (
  day date not null,
  type text not null,
  source text not null,
  provider text not null,
  entries bigint not null default 0,
  delta_sum bigint not null default 0,
  cost_usd numeric(18, 6) not null default 0,
  primary key (day, type, source, provider)
);

-- One row per (day, provider, customer) with a generation, and how many generations back it,
-- so that deleting a generation or moving it to another customer, day or provider decrements
-- the count and drops the row at 0 (active customers stay equal to a direct count).
create table public.customer_daily_activity (
  day date not null,
  provider text not null,
  customer_id text not null,
  generations bigint not null default 0,
  primary key (day, provider, customer_id)
);

-- Rows that reach 0 are deleted right after each write; these partial indexes hold only
-- those few rows, so that clean-up never scans the rollup.
create index customer_daily_activity_emptied_idx
  on public.customer_daily_activity (day) where generations = 0;
create index generation_daily_stats_emptied_idx
  on public.generation_daily_stats (day) where calls = 0;

-- Active customers over a range is a distinct count, which daily rows cannot simply add up:
-- count(distinct customer_id) over a month of customer_daily_activity reads ~150k rows for
-- 2M generations a year, far from a 20 ms dashboard. Instead each (UTC day, provider) keeps a
-- bitmap with one bit per customer who has a generation that day; a range's active customers
-- are the set bits of the OR of its bitmaps. customer_daily_activity (with counts) stays the
-- truth; the bitmaps follow it.
-- A dense number per customer, the bit position. Never reused, so a bit means one customer.
create table public.customer_activity_keys (
  customer_id text primary key,
  key integer generated always as identity (minvalue 0 start with 0) unique
);

create table public.customer_activity_bitmaps (
  day date not null,
  provider text not null,
  bits varbit not null default ''::varbit,
  primary key (day, provider)
);

-- Pre-ORed bitmaps for coarser periods, kept current by the same statement-level trigger:
--   grain 'day'   provider '*'  all providers of one UTC day;
--   grain 'week'  provider p/'*' the ISO week (Monday..Sunday) starting `start`;
--   grain 'month' provider p/'*' the calendar month starting `start`.
-- (The per-provider days stay in customer_activity_bitmaps.) A range is covered by the
-- largest periods inside it (private.activity_cover), overlaps allowed since OR is
-- idempotent: 180 days read ~20 bitmaps instead of 720.
create table public.customer_activity_period_bitmaps (
  grain text not null check (grain in ('day', 'week', 'month')),
  start date not null,
  provider text not null, -- '*': all providers
  bits varbit not null default ''::varbit,
  primary key (grain, start, provider),
  check (grain <> 'day' or provider = '*'),
  check (start = case grain when 'week' then date_trunc('week', start)::date
                            when 'month' then date_trunc('month', start)::date else start end)
);

-- Bitmaps stored uncompressed (STORAGE EXTERNAL: out of line, no pglz). A bitmap compresses
-- ~5:1, but every write compressed 25 kB again and every read decompressed it: at 200,000
-- customers a generation that makes a customer active (up to six bitmaps: the day, the day
-- over all providers, its week and month, each per provider and over all) cost 7.7 ms with
-- compression and 1.6 ms without, and a 180-day active_customers reads faster too. The price
-- is disk: 25 kB instead of ~5 kB per (day, provider) at 200,000 customers (~13 MB a year at
-- 4 providers, plus the week and month bitmaps).
alter table public.customer_activity_bitmaps alter column bits set storage external;
alter table public.customer_activity_period_bitmaps alter column bits set storage external;

-- The bitmap with the `p_set` bits on and the `p_clear` bits off, grown in steps of 8192
-- customers so it is not re-padded for each new customer.
create or replace function private.bitmap_apply(p_bits varbit, p_set integer[], p_clear integer[])
returns varbit language plpgsql immutable set search_path = '' as $$
declare
  v_bits varbit := coalesce(p_bits, ''::varbit);
  v_need integer := coalesce((select max(k) from unnest(p_set) k), -1) + 1;
  k integer;
begin
  if v_need > length(v_bits) then
    v_bits := v_bits || repeat('0', ((v_need + 8191) / 8192) * 8192 - length(v_bits))::varbit;
  end if;
  foreach k in array coalesce(p_set, '{}') loop
    v_bits := set_bit(v_bits, k, 1);
  end loop;
  foreach k in array coalesce(p_clear, '{}') loop
    if k < length(v_bits) then
      v_bits := set_bit(v_bits, k, 0);
    end if;
  end loop;
  return v_bits;
end $$;

-- Whether bitmap_apply would change anything: most writes touch a customer already active
-- that day, and skipping those updates keeps a generation insert from rewriting a bitmap.
create or replace function private.bitmap_differs(p_bits varbit, p_set integer[], p_clear integer[])
returns boolean language sql immutable set search_path = '' as $$
  select exists (select 1 from unnest(p_set) k where k >= length(p_bits) or get_bit(p_bits, k) = 0)
      or exists (select 1 from unnest(p_clear) k where k < length(p_bits) and get_bit(p_bits, k) = 1)
$$;

-- OR of bitmaps of different lengths (bit_or wants equal lengths); '' for none.
create or replace function private.bitmap_union(p_bits varbit[])
returns varbit language sql immutable set search_path = '' as $$
  select coalesce(bit_or(b || repeat('0', w.n - length(b))::varbit), ''::varbit)
    from unnest(p_bits) b, (select max(length(x)) as n from unnest(p_bits) x) w
$$;

-- The coarse periods a (day, provider) bitmap feeds.
create or replace function private.activity_periods(p_day date, p_provider text)
returns table (grain text, start date, provider text)
language sql immutable set search_path = '' as $$
  values ('day', p_day, '*'),
         ('week', date_trunc('week', p_day)::date, p_provider),
         ('week', date_trunc('week', p_day)::date, '*'),
         ('month', date_trunc('month', p_day)::date, p_provider),
         ('month', date_trunc('month', p_day)::date, '*')
$$;

-- A period bitmap recomputed from the per-(day, provider) bitmaps it covers.
create or replace function private.activity_period_bits(p_grain text, p_start date, p_provider text)
returns varbit language sql stable set search_path = '' as $$
  select private.bitmap_union(array_agg(bits))
    from public.customer_activity_bitmaps
   where day between p_start and case p_grain when 'day' then p_start
                                              when 'week' then p_start + 6
                                              else (p_start + interval '1 month')::date - 1 end
     and (p_provider = '*' or provider = p_provider)
$$;

-- One trigger function for insert, update (status, refunded_at, cost, customer, provider,
-- model or created_at) and delete: the rows of the statement become signed deltas (-1 for the
-- old image, +1 for the new), summed per key, so an update that changes nothing the rollups
-- hold writes nothing, and a pending -> succeeded move touches exactly two keys. Transition
-- tables exist only for the operation that fired, hence the source query chosen per
-- operation and run with EXECUTE. It keeps generation_daily_stats, the per-customer activity
-- counts, the day bitmaps and the period bitmaps.
--
-- Bitmaps are touched only where a customer's activity that day starts or ends. Sets are
-- applied only where a bit is missing, so a customer already active that month rewrites
-- nothing. A clear cannot simply drop the bit: the customer may be active on another day of
-- the week or month, maybe in a transaction not yet committed. So a statement that clears
-- takes SHARE ROW EXCLUSIVE on the period table, which waits for every transaction that has
-- set (or checked) period bits — each setter holds ROW EXCLUSIVE from its insert/update of
-- the table to commit — and holds off new ones; the next statement (a fresh snapshot in READ
-- COMMITTED) then recomputes each affected period from its day bitmaps. Clears come only from
-- deletes and from moving generations to another customer, day or provider; inserts wait for
-- such a statement's transaction to end.
create or replace function private.rollup_generations()
returns trigger language plpgsql security definer set search_path = '' as $$
declare
  v_provider text[];
  v_day date[];
  v_customer text[];
  v_active boolean[];
  v_source text := case tg_op
    when 'INSERT' then 'select 1 as sign, * from new_rows'
    when 'DELETE' then 'select -1 as sign, * from old_rows'
    else 'select -1 as sign, * from old_rows union all select 1, * from new_rows' end;
begin
  execute format($sql$
    with src as materialized (
      select sign, (created_at at time zone 'UTC')::date as day, provider, coalesce(model, '') as model,
             status, customer_id, credits_charged, cost_usd, latency_ms, refunded_at
        from (%s) r
    ), stats as (
      insert into public.generation_daily_stats as s
        (day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum, latency_count, refunded)
      select day, provider, model, status, sum(sign), sum(sign * credits_charged), sum(sign * cost_usd),
             coalesce(sum(sign * latency_ms), 0), coalesce(sum(sign) filter (where latency_ms is not null), 0),
             coalesce(sum(sign) filter (where refunded_at is not null), 0)
        from src group by day, provider, model, status
      having sum(sign) <> 0 or sum(sign * credits_charged) <> 0 or sum(sign * cost_usd) <> 0
          or coalesce(sum(sign * latency_ms), 0) <> 0
          or coalesce(sum(sign) filter (where latency_ms is not null), 0) <> 0
          or coalesce(sum(sign) filter (where refunded_at is not null), 0) <> 0
      -- A fixed lock order, so two concurrent bulk statements cannot deadlock on the rollup.
      order by day, provider, model, status
      on conflict (day, provider, model, status) do update set
        calls = s.calls + excluded.calls, credits_charged = s.credits_charged + excluded.credits_charged,
        cost_usd = s.cost_usd + excluded.cost_usd, latency_ms_sum = s.latency_ms_sum + excluded.latency_ms_sum,
        latency_count = s.latency_count + excluded.latency_count, refunded = s.refunded + excluded.refunded
    ), activity as (
      insert into public.customer_daily_activity as a (day, provider, customer_id, generations)
      select day, provider, customer_id, sum(sign)
        from src group by day, provider, customer_id
      having sum(sign) <> 0
       order by day, provider, customer_id
      on conflict (day, provider, customer_id) do update set generations = a.generations + excluded.generations
      returning day, provider, customer_id, generations > 0 as active, xmax = 0 as inserted
    )
    -- Only the rows whose customer became active or inactive there: a new row (xmax = 0, as
    -- rows at 0 are deleted at the end of each statement) or one that dropped to 0. Further
    -- generations of a customer already active that day touch no bitmap at all.
    select array_agg(provider), array_agg(day), array_agg(customer_id), array_agg(active)
      from activity where inserted or not active
  $sql$, v_source) into v_provider, v_day, v_customer, v_active;

  if v_provider is not null then
    -- Before any period bit is set by this statement, so two clearing statements queue here
    -- instead of deadlocking on each other's ROW EXCLUSIVE.
    if false = any(v_active) then
      lock table public.customer_activity_period_bitmaps in share row exclusive mode;
    end if;

    -- Each customer's bit follows the count this statement just wrote. That count was read
    -- and written under the activity row's lock, which is held to commit, so concurrent
    -- writers for one customer and day set and clear the bit in the order they counted.
    insert into public.customer_activity_keys (customer_id)
    select distinct c from unnest(v_customer, v_active) as t(c, active) where active order by 1
    on conflict do nothing;
    insert into public.customer_activity_bitmaps (day, provider)
    select distinct d, p from unnest(v_day, v_provider) as t(d, p) order by 1, 2
    on conflict do nothing;
    update public.customer_activity_bitmaps b
       set bits = private.bitmap_apply(b.bits, c.set_keys, c.clear_keys)
      from (select t.day, t.provider,
                   array_agg(k.key) filter (where t.active) as set_keys,
                   array_agg(k.key) filter (where not t.active) as clear_keys
              from unnest(v_day, v_provider, v_customer, v_active) as t(day, provider, customer_id, active)
              join public.customer_activity_keys k on k.customer_id = t.customer_id
             group by t.day, t.provider) c
     where b.day = c.day and b.provider = c.provider
       and private.bitmap_differs(b.bits, c.set_keys, c.clear_keys);

    -- Period bits set.
    insert into public.customer_activity_period_bitmaps (grain, start, provider)
    select distinct p.grain, p.start, p.provider
      from unnest(v_day, v_provider, v_active) as t(day, provider, active)
     cross join lateral private.activity_periods(t.day, t.provider) p
     where t.active
     order by 1, 2, 3
    on conflict do nothing;
    update public.customer_activity_period_bitmaps b
       set bits = private.bitmap_apply(b.bits, c.set_keys, null)
      from (select p.grain, p.start, p.provider, array_agg(distinct k.key) as set_keys
              from unnest(v_day, v_provider, v_customer, v_active) as t(day, provider, customer_id, active)
              join public.customer_activity_keys k on k.customer_id = t.customer_id
             cross join lateral private.activity_periods(t.day, t.provider) p
             where t.active
             group by 1, 2, 3) c
     where b.grain = c.grain and b.start = c.start and b.provider = c.provider
       and private.bitmap_differs(b.bits, c.set_keys, null);

    -- Period bits cleared: recomputed under the lock taken above, in a fresh snapshot.
    if false = any(v_active) then
      update public.customer_activity_period_bitmaps b
         set bits = private.activity_period_bits(b.grain, b.start, b.provider)
        from (select distinct p.grain, p.start, p.provider
                from unnest(v_day, v_provider, v_active) as t(day, provider, active)
               cross join lateral private.activity_periods(t.day, t.provider) p
               where not t.active) c
       where b.grain = c.grain and b.start = c.start and b.provider = c.provider;
    end if;
  end if;

  if tg_op <> 'INSERT' then
    delete from public.generation_daily_stats where calls = 0;
    delete from public.customer_daily_activity where generations = 0;
  end if;
  return null;
end $$;

create trigger generations_rollup_insert after insert on public.generations
  referencing new table as new_rows for each statement execute function private.rollup_generations();
create trigger generations_rollup_update after update on public.generations
  referencing old table as old_rows new table as new_rows
  for each statement execute function private.rollup_generations();
create trigger generations_rollup_delete after delete on public.generations
  referencing old table as old_rows for each statement execute function private.rollup_generations();

-- TRUNCATE fires no row or transition-table trigger; without this the rollups would keep
-- counting generations that no longer exist.
create or replace function private.clear_generation_rollups()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  delete from public.generation_daily_stats;
  delete from public.customer_daily_activity;
  delete from public.customer_activity_bitmaps;
  delete from public.customer_activity_period_bitmaps;
  return null;
end $$;

create trigger generations_rollup_truncate after truncate on public.generations
  for each statement execute function private.clear_generation_rollups();

create or replace function private.rollup_ledger()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  insert into public.ledger_daily_stats as s (day, type, source, provider, entries, delta_sum, cost_usd)
  select (created_at at time zone 'UTC')::date, type, source, coalesce(provider, ''),
         count(*), sum(delta), coalesce(sum(cost_usd), 0)
    from new_rows group by 1, 2, 3, 4
  on conflict (day, type, source, provider) do update set
    entries = s.entries + excluded.entries, delta_sum = s.delta_sum + excluded.delta_sum,
    cost_usd = s.cost_usd + excluded.cost_usd;
  return null;
end $$;

create trigger credit_transactions_rollup after insert on public.credit_transactions
  referencing new table as new_rows for each statement execute function private.rollup_ledger();

-- Recomputes every dashboard rollup from the raw rows, for operators after a load that
-- bypassed triggers (session_replication_role = replica, pg_restore --disable-triggers).
create or replace function private.rebuild_dashboard_rollups()
returns void language plpgsql security definer set search_path = '' as $$
begin
  -- Writers wait while the rollups are rebuilt, so none of their deltas is lost or doubled;
  -- readers carry on.
  lock table public.generations, public.credit_transactions in share row exclusive mode;

  delete from public.generation_daily_stats;
  insert into public.generation_daily_stats
    (day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum, latency_count, refunded)
  select (created_at at time zone 'UTC')::date, provider, coalesce(model, ''), status,
         count(*), sum(credits_charged), sum(cost_usd), coalesce(sum(latency_ms), 0),
         count(latency_ms), count(refunded_at)
    from public.generations group by 1, 2, 3, 4;

  delete from public.customer_daily_activity;
  insert into public.customer_daily_activity (day, provider, customer_id, generations)
  select (created_at at time zone 'UTC')::date, provider, customer_id, count(*)
    from public.generations group by 1, 2, 3;

  insert into public.customer_activity_keys (customer_id)
  select distinct customer_id from public.customer_daily_activity order by 1
  on conflict do nothing;
  delete from public.customer_activity_bitmaps;
  insert into public.customer_activity_bitmaps (day, provider, bits)
  select a.day, a.provider, private.bitmap_apply(''::varbit, array_agg(k.key), null)
    from public.customer_daily_activity a
    join public.customer_activity_keys k on k.customer_id = a.customer_id
   group by a.day, a.provider;

  delete from public.customer_activity_period_bitmaps;
  insert into public.customer_activity_period_bitmaps (grain, start, provider, bits)
  select p.grain, p.start, p.provider, private.activity_period_bits(p.grain, p.start, p.provider)
    from (select distinct p.grain, p.start, p.provider
            from public.customer_activity_bitmaps b
           cross join lateral private.activity_periods(b.day, b.provider) p) p;

  delete from public.ledger_daily_stats;
  insert into public.ledger_daily_stats (day, type, source, provider, entries, delta_sum, cost_usd)
  select (created_at at time zone 'UTC')::date, type, source, coalesce(provider, ''),
         count(*), sum(delta), coalesce(sum(cost_usd), 0)
    from public.credit_transactions group by 1, 2, 3, 4;
end $$;

-- ======================================================================================
-- supabase/schemas/75_dashboard_metrics.sql
-- ======================================================================================
-- What the dashboard reads: public.dashboard_metrics, the figures of a UTC date range from
-- the rollups only (70_rollups.sql), and the active-customer count it takes from the bitmaps.

-- The pieces covering [p_from, p_to]: at each uncovered day the largest of its month, its
-- ISO week and the day itself that lies inside the range.
create or replace function private.activity_cover(p_from date, p_to date)
returns table (grain text, start date)
language plpgsql immutable set search_path = '' as $$
declare
  d date := p_from;
  m date;
  w date;
begin
  while d <= p_to loop
    m := date_trunc('month', d)::date;
    w := date_trunc('week', d)::date;
    if m >= p_from and (m + interval '1 month')::date - 1 <= p_to then
      grain := 'month'; start := m; d := (m + interval '1 month')::date;
    elsif w >= p_from and w + 6 <= p_to then
      grain := 'week'; start := w; d := w + 7;
    else
      grain := 'day'; start := d; d := d + 1;
    end if;
    return next;
  end loop;
end $$;

-- Set bits of the OR of the bitmaps covering the range (bit_or wants equal lengths, so each
-- is padded to the widest). Materialized CTEs compute the width once and read each bitmap
-- once: without them the planner, expecting one row, re-ran max(length(bits)) for each row
-- of the join (14,400 detoasts, 330 ms, for 30 days at 200,000 customers).
create or replace function private.active_customers(p_from date, p_to date, p_provider text)
returns bigint language sql stable set search_path = '' as $$
  with c as materialized (
    select * from private.activity_cover(p_from, p_to)
  ), b as materialized (
    select p.bits from c join public.customer_activity_period_bitmaps p
        on p.grain = c.grain and p.start = c.start and p.provider = coalesce(p_provider, '*')
     where p_provider is null or c.grain <> 'day'
    union all
    select d.bits from c join public.customer_activity_bitmaps d
        on c.grain = 'day' and d.day = c.start and d.provider = p_provider
     where p_provider is not null
  ), w as materialized (select max(length(bits)) as n from b)
  select coalesce(bit_count(bit_or(b.bits || repeat('0', w.n - length(b.bits))::varbit)), 0)
    from b cross join w
$$;

-- Dashboard figures for a UTC date range (inclusive). The rollups are read once: one pass
-- folds the statuses into (day, provider, model) rows and every figure is derived from those
-- (180 days are ~8,100 generation_daily_stats rows; summing them six times cost ~17 ms), the
-- ledger rollup is likewise summed per day once and the totals come from the days.
-- `providers` lists every provider with generations in the range whatever p_provider, so the
-- page's provider filter can offer the others while one is chosen.
create or replace function public.dashboard_metrics(p_from date, p_to date, p_provider text default null)
returns json language plpgsql stable security definer set search_path = '' as $$
declare
  v_days integer;
  v_prev_from date;
  v_prev_to date;
  v_result json;
begin
  if not private.is_staff() then
    perform private.raise_forbidden('Only CreditDesk staff may read dashboard metrics.');
  end if;
  if p_from is null or p_to is null then
    perform private.raise_bad_input('Choose both a start and an end date.');
  end if;
  if p_from > p_to then
    perform private.raise_bad_input(format('The start date %s is after the end date %s.', p_from, p_to));
  end if;
  v_days := p_to - p_from + 1;
  if v_days > 1096 then
    perform private.raise_bad_input('Choose a range of at most three years.');
  end if;
  v_prev_to := p_from - 1;
  v_prev_from := p_from - v_days;

  with base as materialized (
    -- Every provider: `providers` lists them all whatever p_provider.
    select day, provider, model, sum(calls) as calls,
           sum(calls) filter (where status = 'succeeded') as succeeded,
           sum(calls) filter (where status = 'failed') as failed,
           sum(cost_usd) as cost_usd, sum(credits_charged) as credits_charged,
           sum(latency_ms_sum) as latency_ms_sum, sum(latency_count) as latency_count
      from public.generation_daily_stats
     where day between p_from and p_to
     group by day, provider, model
  ), gen as materialized (
    select * from base where p_provider is null or provider = p_provider
  ), gen_day as materialized (
    select day, sum(calls) as calls, coalesce(sum(succeeded), 0) as succeeded,
           coalesce(sum(failed), 0) as failed, sum(cost_usd) as cost_usd
      from gen group by day
  ), led_day as materialized (
    select day, sum(entries) filter (where type = 'refund') as refunds,
           sum(delta_sum) filter (where type = 'refund') as refund_credits,
           -sum(delta_sum) filter (where type = 'spend') as credits_spent,
           sum(delta_sum) filter (where type = 'purchase') as credits_bought,
           sum(delta_sum) filter (where type = 'grant') as credits_granted
      from public.ledger_daily_stats
     where day between p_from and p_to and (p_provider is null or provider = p_provider or type in ('purchase', 'grant'))
     group by day
  ), totals as (
    select coalesce(sum(calls), 0) as generations, coalesce(sum(succeeded), 0) as succeeded,
           coalesce(sum(failed), 0) as failed, coalesce(sum(cost_usd), 0) as cost_usd
      from gen_day
  ), ledger as (
    select coalesce(sum(refunds), 0) as refunds, coalesce(sum(refund_credits), 0) as refund_credits,
           coalesce(sum(credits_spent), 0) as credits_spent, coalesce(sum(credits_bought), 0) as credits_bought,
           coalesce(sum(credits_granted), 0) as credits_granted
      from led_day
  ), days as (
    select d::date as day from generate_series(p_from, p_to, interval '1 day') d
  )
  select json_build_object(
    'from', p_from, 'to', p_to, 'provider', p_provider, 'days', v_days, 'timezone', 'UTC',
    'generations', t.generations,
    'previous_generations', (select coalesce(sum(calls), 0) from public.generation_daily_stats
                              where day between v_prev_from and v_prev_to
                                and (p_provider is null or provider = p_provider)),
    'succeeded', t.succeeded,
    'failed', t.failed,
    'success_rate', case when t.generations > 0 then round(t.succeeded::numeric / t.generations, 4) end,
    'failure_rate', case when t.generations > 0 then round(t.failed::numeric / t.generations, 4) end,
    'cost_usd', round(t.cost_usd, 6),
    'cost_per_success_usd', case when t.succeeded > 0 then round(t.cost_usd / t.succeeded, 6) end,
    'refunds', l.refunds,
    'refund_credits', l.refund_credits,
    'credits_spent', l.credits_spent,
    'credits_bought', l.credits_bought,
    'credits_granted', l.credits_granted,
    'credits_per_usd', case when t.cost_usd > 0 then round(l.credits_spent / t.cost_usd, 2) end,
    'active_customers', private.active_customers(p_from, p_to, p_provider),
    'providers', (select coalesce(json_agg(distinct provider order by provider), '[]'::json) from base),
    'by_provider_model', (select coalesce(json_agg(x order by x.cost_usd desc, x.calls desc), '[]'::json) from (
        select provider, model, sum(calls) as calls,
               coalesce(sum(failed), 0) as failures,
               coalesce(sum(succeeded), 0) as successes,
               round(sum(cost_usd), 6) as cost_usd,
               sum(credits_charged) as credits_charged,
               case when sum(latency_count) > 0 then round(sum(latency_ms_sum)::numeric / sum(latency_count)) end as avg_latency_ms
          from gen group by provider, model) x),
    'daily', (select json_agg(json_build_object(
        'day', d.day,
        'generations', coalesce(g.calls, 0), 'succeeded', coalesce(g.succeeded, 0),
        'failed', coalesce(g.failed, 0), 'other', coalesce(g.calls - g.succeeded - g.failed, 0),
        'cost_usd', coalesce(round(g.cost_usd, 6), 0),
        'success_rate', case when g.calls > 0 then round(g.succeeded::numeric / g.calls, 4) end,
        'refunds', coalesce(ld.refunds, 0), 'refund_credits', coalesce(ld.refund_credits, 0),
        'credits_spent', coalesce(ld.credits_spent, 0), 'credits_bought', coalesce(ld.credits_bought, 0))
        order by d.day)
        from days d
        left join gen_day g on g.day = d.day
        left join led_day ld on ld.day = d.day),
    'daily_by_provider', (select coalesce(json_agg(x order by x.day, x.provider), '[]'::json) from (
        select day, provider, sum(calls) as calls, round(sum(cost_usd), 6) as cost_usd
          from gen group by day, provider) x),
    'daily_by_model', (select coalesce(json_agg(x order by x.day, x.provider, x.model), '[]'::json) from (
        select day, provider, model, calls, round(cost_usd, 6) as cost_usd from gen) x)
  ) into v_result
  from totals t, ledger l;
  return v_result;
end $$;

-- ======================================================================================
-- supabase/schemas/80_health_integrity.sql
-- ======================================================================================
-- Reports for admins and reconciliation: public.database_health (every table in `public`,
-- flagged where the seeds found drift, with a clean-up proposal as text) and
-- public.ledger_integrity (balances, ledger chain and unsettled generations). Both only read.

-- The tables CreditDesk creates. Anything else in `public` belongs to someone else (the
-- consumer product shares the Supabase project) or to the legacy schema.
-- test/db/health.test.ts checks this list against every `create table` in supabase/schemas.
create or replace function private.creditdesk_tables()
returns text[] language sql immutable set search_path = '' as $$
  select array['staff', 'customers', 'sessions', 'generations', 'feedback', 'credit_transactions',
               'generation_types', 'admin_sessions', 'admin_audit', 'runtime_config', 'app_config',
               'generation_daily_stats', 'ledger_daily_stats', 'customer_daily_activity',
               'customer_activity_keys', 'customer_activity_bitmaps', 'customer_activity_period_bitmaps']
$$;

-- Tables the seeds name as duplicates or obsolete, with the reason shown to the admin and
-- written beside the proposed DROP. `drop` false: only a candidate (seed 003 calls
-- api_providers optional), so the DROP is proposed commented out.
create or replace function private.known_obsolete_table(p_name text)
returns table (kind text, reason text, propose_drop boolean)
language sql immutable set search_path = '' as $$
  select k.kind, k.reason, k.propose_drop
    from (values
      ('admin_allowlist', 'duplicate', 'Admin allowlist no code reads (seed 000); CreditDesk''s staff table decides who is staff.', true),
      ('mina_admin_allowlist', 'duplicate', 'Twin of admin_allowlist that no code reads (seed 000); staff decides who is staff.', true),
      ('runtime_config_flat', 'duplicate', 'Obsolete flat variant of runtime_config (seed 000); CreditDesk keeps runtime_config.', true),
      ('mina_runtime_config', 'duplicate', 'Obsolete twin of runtime_config (seed 000); CreditDesk keeps runtime_config.', true),
      ('users_profile', 'duplicate', 'Redundant copy of profiles that no code references (seed 000).', true),
      ('feedbacks', 'duplicate', 'Prisma''s plural twin of feedback (seed 000); import_legacy merges it into feedback.', true),
      ('credit_pools', 'obsolete', 'Pre-purchased provider credit pools; generations are pay-per-use (seed 003).', true),
      ('credit_purchase_requests', 'obsolete', 'Manual credit refill requests, a workflow that no longer exists (seed 003).', true),
      ('api_providers', 'obsolete', 'Multi-provider config; each generation records its provider (seed 003 calls dropping it optional).', false)
    ) as k(name, kind, reason, propose_drop)
   where k.name = p_name
  union all
  -- Seed 001's consolidation tables: import_legacy copies them into CreditDesk's tables.
  select 'legacy', 'MEGA consolidation table (seed 001); import_legacy brings its rows into CreditDesk''s tables.', true
   where upper(p_name) like 'MEGA\_%'
  union all
  -- mg_-prefixed copies of a real table (mg_customers next to customers).
  select 'duplicate', format('mg_-prefixed twin of %s (seed 001''s naming); CreditDesk keeps the plain name.', substr(p_name, 4)), true
   where lower(p_name) like 'mg\_%' and upper(p_name) not like 'MEGA\_%'
$$;

-- Database health for admins: every table in `public` with its size, activity and access
-- set-up, flagged where the seeds found drift (duplicate and obsolete tables, MEGA_* and
-- mg_-prefixed twins, tables without RLS or primary key, unused indexes). It is read-only:
-- the clean-up comes back as text (a pg_dump backup command, then DROP statements each with
-- its reason) for a person to review and run; nothing here drops or changes anything.
create or replace function public.database_health()
returns json language plpgsql stable security definer set search_path = '' as $$
declare
  v_tables jsonb := '[]'::jsonb;
  v_table jsonb;
  v_rel record;
  v_empty boolean;
  v_exact bigint;
  v_last_write timestamptz;
  v_ts_column text;
  v_flags text[];
  v_drops text := '';
  v_dump_targets text := '';
  v_unused jsonb;
begin
  if not private.has_role('admin') then
    perform private.raise_forbidden('Only admins may read the database health report.');
  end if;

  for v_rel in
    select c.oid, c.relname, c.relrowsecurity as rls_enabled, c.relforcerowsecurity as rls_forced,
           -- reltuples is -1 until the first ANALYZE; the live-tuple counter is the fallback.
           case when c.reltuples >= 0 then c.reltuples::bigint else coalesce(s.n_live_tup, 0) end as estimated_rows,
           pg_catalog.pg_total_relation_size(c.oid) as total_bytes,
           s.n_tup_ins + s.n_tup_upd + s.n_tup_del as writes,
           greatest(s.last_vacuum, s.last_autovacuum) as last_vacuum,
           greatest(s.last_analyze, s.last_autoanalyze) as last_analyze,
           (select count(*) from pg_catalog.pg_policy p where p.polrelid = c.oid) as policy_count,
           exists (select 1 from pg_catalog.pg_constraint k where k.conrelid = c.oid and k.contype = 'p') as has_primary_key,
           c.relname = any (private.creditdesk_tables()) as used,
           o.kind as known_kind, o.reason as known_reason, coalesce(o.propose_drop, false) as propose_drop
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      left join pg_catalog.pg_stat_user_tables s on s.relid = c.oid
      left join lateral (select * from private.known_obsolete_table(c.relname) limit 1) o on true
     where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
     order by c.relname
  loop
    -- Exact facts where they are cheap: emptiness always (one row read), the exact count and
    -- the newest created_at/updated_at only for small tables, so the report stays fast on a
    -- big production database. A table the function may not read is reported without them.
    v_empty := null; v_exact := null; v_last_write := null;
    begin
      execute format('select not exists (select 1 from %s)', v_rel.oid::regclass) into v_empty;
      if v_rel.estimated_rows < 100000 then
        execute format('select count(*) from %s', v_rel.oid::regclass) into v_exact;
        select string_agg(format('max(%I)', a.attname), ', ') into v_ts_column
          from pg_catalog.pg_attribute a
         where a.attrelid = v_rel.oid and a.attnum > 0 and not a.attisdropped
           and a.attname in ('created_at', 'updated_at', 'at', 'last_seen_at')
           and a.atttypid in ('timestamptz'::regtype, 'timestamp'::regtype);
        if v_ts_column is not null then
          execute format('select greatest(%s)::timestamptz from %s', v_ts_column, v_rel.oid::regclass) into v_last_write;
        end if;
      end if;
    exception when insufficient_privilege then
      null;
    end;

    select coalesce(jsonb_agg(jsonb_build_object('name', i.relname, 'bytes', pg_catalog.pg_relation_size(i.oid),
                                                 'scans', coalesce(si.idx_scan, 0)) order by i.relname), '[]'::jsonb)
      into v_unused
      from pg_catalog.pg_index x
      join pg_catalog.pg_class i on i.oid = x.indexrelid
      left join pg_catalog.pg_stat_user_indexes si on si.indexrelid = x.indexrelid
     where x.indrelid = v_rel.oid and not x.indisunique and not x.indisprimary
       and coalesce(si.idx_scan, 0) = 0;

    v_flags := array_remove(array[
      v_rel.known_kind,
      case when not v_rel.used and v_rel.known_kind is null then 'not_used' end,
      case when v_empty then 'empty' end,
      case when not v_rel.rls_enabled then 'rls_disabled' end,
      case when not v_rel.has_primary_key then 'no_primary_key' end,
      case when jsonb_array_length(v_unused) > 0 then 'unused_indexes' end
    ], null);

    v_table := jsonb_build_object(
      'name', v_rel.relname,
      'used_by_creditdesk', v_rel.used,
      'category', case when v_rel.used then 'creditdesk' when v_rel.known_kind is not null then 'legacy' else 'unknown' end,
      'reason', v_rel.known_reason,
      'estimated_rows', v_rel.estimated_rows,
      'exact_rows', v_exact,
      'total_bytes', v_rel.total_bytes,
      'total_size', pg_catalog.pg_size_pretty(v_rel.total_bytes),
      'last_write', v_last_write,
      'writes_since_stats_reset', v_rel.writes,
      'last_vacuum', v_rel.last_vacuum,
      'last_analyze', v_rel.last_analyze,
      'rls_enabled', v_rel.rls_enabled,
      'rls_forced', v_rel.rls_forced,
      'policy_count', v_rel.policy_count,
      'has_primary_key', v_rel.has_primary_key,
      'unused_indexes', v_unused,
      'flags', to_jsonb(v_flags));
    v_tables := v_tables || jsonb_build_array(v_table);

    if v_rel.known_kind is not null then
      v_dump_targets := v_dump_targets || format(' --table=%s',
        quote_literal(quote_ident('public') || '.' || quote_ident(v_rel.relname)));
      -- No CASCADE: if a view or foreign key still depends on the table, the DROP fails and
      -- the reviewer sees what still uses it instead of losing it silently.
      v_drops := v_drops || format(E'-- %s: %s%s\n%sdrop table public.%I;\n\n',
        v_rel.relname, v_rel.known_reason,
        case when v_empty then ' Empty.'
             when v_exact is not null then format(' Holds %s rows: check they are backed up (and imported) first.', v_exact)
             else format(' Holds about %s rows: check they are backed up (and imported) first.', v_rel.estimated_rows) end,
        case when v_rel.propose_drop then '' else '-- optional: ' end,
        v_rel.relname);
    end if;
  end loop;

  return json_build_object(
    'generated_at', now(),
    'database', pg_catalog.current_database(),
    'stats_since', (select stats_reset from pg_catalog.pg_stat_database where datname = pg_catalog.current_database()),
    'summary', (select jsonb_build_object(
        'tables', count(*),
        'creditdesk_tables', count(*) filter (where (t ->> 'used_by_creditdesk')::boolean),
        'flagged_legacy', count(*) filter (where t ->> 'category' = 'legacy'),
        'unknown', count(*) filter (where t ->> 'category' = 'unknown'),
        'rls_disabled', count(*) filter (where t -> 'flags' ? 'rls_disabled'),
        'no_primary_key', count(*) filter (where t -> 'flags' ? 'no_primary_key'),
        'empty', count(*) filter (where t -> 'flags' ? 'empty'),
        'total_bytes', coalesce(sum((t ->> 'total_bytes')::bigint), 0))
      from jsonb_array_elements(v_tables) t),
    'tables', v_tables,
    'proposal', json_build_object(
      'backup_command', case when v_dump_targets <> '' then
        'pg_dump "$DATABASE_URL" --format=custom --file=creditdesk-cleanup-backup.dump' || v_dump_targets end,
      'sql', case when v_drops <> '' then
        E'-- Proposed clean-up from CreditDesk''s database health report. Review every line;\n'
        || E'-- run the backup command first. Nothing here has been executed.\n'
        || E'begin;\n\n' || v_drops || E'commit;\n' end));
end $$;

-- Ledger integrity, checkable from SQL and shown on the database health page:
--  * customers whose balance differs from the sum of their ledger or its latest balance_after;
--  * ledger rows whose balance_after is not the previous row's balance_after + delta (per
--    customer, in id order: the order the ledger functions write in), so one bad row is
--    reported once rather than every row after it;
--  * generations charged but never settled: credits_charged > 0 and, older than
--    p_stale_after, still pending/processing, or failed/cancelled without a refund.
-- Every enabled staff role may call it: each of them already reads customers, generations
-- and the ledger (RLS), and finance reconciles while support repairs. It returns ids and
-- numbers only, at most 200 rows per list with the full count beside it. The service role
-- may call it too, so scripts/import-legacy.mjs can check the ledger after an import.
create or replace function public.ledger_integrity(p_stale_after interval default interval '1 hour')
returns json language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit constant integer := 200;
  v_balances json;
  v_chain json;
  v_unsettled json;
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
    select c.id as customer_id, c.email, c.credits, coalesce(s.ledger_sum, 0) as ledger_sum,
           s.latest_balance_after, coalesce(s.entries, 0) as entries,
           c.credits - coalesce(s.ledger_sum, 0) as difference
      from public.customers c left join sums s on s.customer_id = c.id
     where c.credits <> coalesce(s.ledger_sum, 0)
        or c.credits <> coalesce(s.latest_balance_after, 0)
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

  return json_build_object(
    'checked_at', now(),
    'stale_after', p_stale_after::text,
    'row_limit', v_limit,
    'balance_mismatches', v_balances,
    'broken_chain', v_chain,
    'unsettled_generations', v_unsettled);
end $$;

-- ======================================================================================
-- supabase/schemas/90_legacy_import.sql
-- ======================================================================================
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
         ref_type = case when ref_id is not null then coalesce(private.legacy_text(r ->> 'ref_type', 50), 'generation') end;

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

  update public.customers c set credits = n.balance
    from pg_temp.legacy_new_customers n where c.id = n.id and n.balance <> 0;
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

-- ======================================================================================
-- supabase/schemas/95_row_level_security.sql
-- ======================================================================================
-- Row-level security: RLS on for every table, one short policy per table and operation,
-- named for what it allows. Policies are `to authenticated` only, so anon matches none of
-- them; a signed-in user who is not enabled staff matches none either (the helpers of
-- 20_staff.sql return false for them). Table and column privileges are in 99_grants.sql;
-- both together give this matrix (docs/access.md has it with the RPCs):
--
--   table                        admin               support             finance    others
--   customers                    read, edit profile  read, edit profile  read       none
--     credits, disabled          via RPC             via RPC             none       none
--   sessions, generations        read                read                read       none
--   feedback                     read, edit status   read, edit status   read       none
--                                and admin_note      and admin_note
--   credit_transactions          read (RPC writes)   read (RPC writes)   read       none
--   generation_types             read, write         read                read       none
--   runtime_config, app_config   read, write         read                read       none
--   staff                        read, write         own row             own row    none
--   admin_sessions               read all            own                 own        none
--   admin_audit                  read                read                read       none
--   rollups and activity bitmaps none: read only through dashboard_metrics (no policy)
--
-- The service role bypasses RLS; its table privileges (99_grants.sql) keep it off the
-- ledger, the audit trail and balances, which it changes only through the ledger RPCs.

alter table public.staff enable row level security;
alter table public.customers enable row level security;
alter table public.sessions enable row level security;
alter table public.generations enable row level security;
alter table public.feedback enable row level security;
alter table public.credit_transactions enable row level security;
alter table public.generation_types enable row level security;
alter table public.admin_sessions enable row level security;
alter table public.admin_audit enable row level security;
alter table public.runtime_config enable row level security;
alter table public.app_config enable row level security;
-- Rollups are read only through dashboard_metrics (SECURITY DEFINER): no policy at all.
alter table public.generation_daily_stats enable row level security;
alter table public.ledger_daily_stats enable row level security;
alter table public.customer_daily_activity enable row level security;
alter table public.customer_activity_keys enable row level security;
alter table public.customer_activity_bitmaps enable row level security;
alter table public.customer_activity_period_bitmaps enable row level security;

create policy "staff read customers" on public.customers for select to authenticated
  using ((select private.is_staff()));
create policy "support and admin edit customers" on public.customers for update to authenticated
  using ((select private.has_role('admin', 'support')))
  with check ((select private.has_role('admin', 'support')));

create policy "staff read sessions" on public.sessions for select to authenticated
  using ((select private.is_staff()));
create policy "staff read generations" on public.generations for select to authenticated
  using ((select private.is_staff()));

create policy "staff read feedback" on public.feedback for select to authenticated
  using ((select private.is_staff()));
create policy "support and admin triage feedback" on public.feedback for update to authenticated
  using ((select private.has_role('admin', 'support')))
  with check ((select private.has_role('admin', 'support')));

create policy "staff read credit transactions" on public.credit_transactions for select to authenticated
  using ((select private.is_staff()));

create policy "staff read generation types" on public.generation_types for select to authenticated
  using ((select private.is_staff()));
create policy "admin add generation types" on public.generation_types for insert to authenticated
  with check ((select private.has_role('admin')));
create policy "admin edit generation types" on public.generation_types for update to authenticated
  using ((select private.has_role('admin'))) with check ((select private.has_role('admin')));
create policy "admin delete generation types" on public.generation_types for delete to authenticated
  using ((select private.has_role('admin')));

create policy "staff read runtime config" on public.runtime_config for select to authenticated
  using ((select private.is_staff()));
create policy "admin add runtime config" on public.runtime_config for insert to authenticated
  with check ((select private.has_role('admin')));
create policy "admin edit runtime config" on public.runtime_config for update to authenticated
  using ((select private.has_role('admin'))) with check ((select private.has_role('admin')));
create policy "admin delete runtime config" on public.runtime_config for delete to authenticated
  using ((select private.has_role('admin')));

create policy "staff read app config" on public.app_config for select to authenticated
  using ((select private.is_staff()));
create policy "admin add app config" on public.app_config for insert to authenticated
  with check ((select private.has_role('admin')));
create policy "admin edit app config" on public.app_config for update to authenticated
  using ((select private.has_role('admin'))) with check ((select private.has_role('admin')));
create policy "admin delete app config" on public.app_config for delete to authenticated
  using ((select private.has_role('admin')));

create policy "admin read staff, staff read own row" on public.staff for select to authenticated
  using ((select private.has_role('admin'))
         or (user_id = (select auth.uid()) and (select private.is_staff())));
create policy "admin add staff" on public.staff for insert to authenticated
  with check ((select private.has_role('admin')));
create policy "admin edit staff" on public.staff for update to authenticated
  using ((select private.has_role('admin'))) with check ((select private.has_role('admin')));
create policy "admin remove staff" on public.staff for delete to authenticated
  using ((select private.has_role('admin')));

create policy "admin read all sessions, staff their own" on public.admin_sessions for select to authenticated
  using ((select private.has_role('admin'))
         or (user_id = (select auth.uid()) and (select private.is_staff())));

create policy "staff read audit" on public.admin_audit for select to authenticated
  using ((select private.is_staff()));

-- ======================================================================================
-- supabase/schemas/99_grants.sql
-- ======================================================================================
-- Every grant and revoke, kept together. Hosted Supabase grants everything in `public` to
-- anon, authenticated and service_role by default; CreditDesk starts from nothing and grants
-- only what the access matrix (95_row_level_security.sql, docs/access.md) needs. anon gets
-- no table and no function.

-- Schemas ------------------------------------------------------------------------------
-- `private` holds the policy helpers, so signed-in users and the service role need USAGE;
-- its functions are not exposed over HTTP and most are revoked from PUBLIC below.
revoke all on schema private from public;
grant usage on schema private to authenticated, service_role;
-- `legacy` is where a deployer moves old tables before public.import_legacy reads them.
revoke all on schema legacy from public;

-- Start from nothing -------------------------------------------------------------------
revoke all on all tables in schema public from anon, authenticated, service_role;
revoke all on all sequences in schema public from anon, authenticated, service_role;
revoke all on all functions in schema public from public, anon, authenticated, service_role;
alter default privileges in schema public revoke all on tables from anon, authenticated;
alter default privileges in schema public revoke all on sequences from anon, authenticated;
alter default privileges in schema public revoke all on functions from public, anon, authenticated;

-- Staff (role `authenticated`; RLS narrows to staff and their role) ---------------------
grant select on public.customers, public.sessions, public.generations, public.feedback,
  public.credit_transactions, public.generation_types, public.runtime_config, public.app_config,
  public.staff, public.admin_sessions, public.admin_audit to authenticated;
-- Profile fields only: credits, disabled and provenance move through functions.
grant update (email, first_name, last_name, display_name, locale, timezone, marketing_opt_in,
  product_updates_opt_in, topup_default_packs, auto_topup_enabled, auto_topup_monthly_limit_packs, meta)
  on public.customers to authenticated;
grant update (status, admin_note) on public.feedback to authenticated;
grant insert, update, delete on public.generation_types to authenticated;
-- version is kept by the database; a save sends expected_version (60_config.sql).
grant insert (key, value, description), update (value, description, expected_version), delete
  on public.runtime_config, public.app_config to authenticated;
grant insert (user_id, email, role, disabled), update (role, disabled), delete on public.staff to authenticated;

-- The product backend (service role, bypasses RLS) --------------------------------------
-- It writes its own data, but never the ledger, the audit trail or balances directly.
grant select, insert, update, delete on public.sessions, public.generations,
  public.feedback, public.generation_types, public.runtime_config, public.app_config, public.staff
  to service_role;
grant select, delete on public.customers to service_role;
grant insert (id, shopify_customer_id, user_id, email, first_name, last_name, display_name, locale,
  timezone, marketing_opt_in, product_updates_opt_in, expires_at, last_active, verified_email,
  verified_google, verified_apple, verification_method, verification_at, topup_default_packs,
  auto_topup_enabled, auto_topup_monthly_limit_packs, last_topup_at, topup_source, meta,
  source_system, deleted_at, created_at)
  on public.customers to service_role;
grant update (shopify_customer_id, user_id, email, first_name, last_name, display_name, locale,
  timezone, marketing_opt_in, product_updates_opt_in, expires_at, last_active, verified_email,
  verified_google, verified_apple, verification_method, verification_at, topup_default_packs,
  auto_topup_enabled, auto_topup_monthly_limit_packs, last_topup_at, topup_source, meta,
  source_system, deleted_at)
  on public.customers to service_role;
-- Rollups and activity bitmaps: read-only (their triggers alone write them).
grant select on public.credit_transactions, public.admin_sessions, public.admin_audit,
  public.generation_daily_stats, public.ledger_daily_stats, public.customer_daily_activity,
  public.customer_activity_keys, public.customer_activity_bitmaps,
  public.customer_activity_period_bitmaps to service_role;
-- The default privileges below give the service role every new sequence; the activity keys'
-- identity sequence was created under them. Nothing of the backend uses it (the rollup
-- trigger, SECURITY DEFINER, numbers the keys).
grant all on sequence public.customer_activity_keys_key_seq to service_role;

-- RPCs ---------------------------------------------------------------------------------
-- Each checks the caller's role itself (the matrix in docs/access.md); EXECUTE only opens
-- the door to that check.
grant execute on function public.whoami(), public.touch_admin_session(), public.end_admin_session(),
  public.adjust_credits(text, integer, text, text), public.refund_generation(text, text),
  public.set_customer_disabled(text, boolean, text), public.add_staff_member(text, text),
  public.dashboard_metrics(date, date, text), public.search_customers(text),
  public.database_health(), public.ledger_integrity(interval), public.import_legacy(boolean)
  to authenticated;
grant execute on function public.consume_credits(text, integer, text, text, text, text, numeric),
  public.refund_credits(text, integer, text, text, text), public.ledger_integrity(interval),
  public.import_legacy(boolean) to service_role;

-- Private functions --------------------------------------------------------------------
-- The policy helpers: signed-in users and the service role call them through policies.
revoke all on function private.staff_role(), private.has_role(text[]), private.is_staff(),
  private.is_service_role() from public;
grant execute on function private.staff_role(), private.has_role(text[]), private.is_staff(),
  private.is_service_role() to authenticated, service_role;
-- The SECURITY DEFINER functions that write ledger and audit rows, and every helper of the
-- rollups, reports and legacy import: only their owner runs them (the RPCs run as owner).
-- `private` is not exposed over HTTP, but authenticated and service_role hold USAGE on it for
-- the policy helpers, so one mis-set "exposed schemas" would otherwise let a signed-in user
-- write any ledger entry or audit row.
revoke execute on function
  private.apply_credit_change(text, integer, text, text, text, text, text, text, text, text, numeric),
  private.refund_generation_credits(text, text, text, text, text),
  private.check_backend_generation(text, text, boolean),
  private.write_audit(text, text, text, jsonb)
  from public;
revoke all on function private.bitmap_apply(varbit, integer[], integer[]),
  private.bitmap_differs(varbit, integer[], integer[]),
  private.bitmap_union(varbit[]),
  private.activity_periods(date, text),
  private.activity_period_bits(text, date, text),
  private.activity_cover(date, date),
  private.active_customers(date, date, text),
  private.rebuild_dashboard_rollups() from public;
revoke all on function private.creditdesk_tables(), private.known_obsolete_table(text) from public;
revoke all on function private.legacy_source(text), private.legacy_rows(text), private.legacy_strip_mg(jsonb),
  private.legacy_text(text, integer), private.legacy_int(text), private.legacy_numeric(text),
  private.legacy_ts(text), private.legacy_uuid(text), private.legacy_bool(text), private.legacy_email(text),
  private.legacy_key(text, text), private.legacy_customer_ref(jsonb), private.legacy_generation_status(text, text, text),
  private.legacy_ledger_type(text, integer), private.legacy_delta(jsonb),
  private.legacy_log(text, text, text, text, text), private.legacy_stage(),
  private.legacy_customer_for(text), private.legacy_import_customers(), private.legacy_import_profiles(),
  private.legacy_import_sessions(), private.legacy_import_generations(), private.legacy_import_feedback(),
  private.legacy_import_ledger(), private.legacy_import_config(), private.legacy_import_admin(),
  private.legacy_import_report(boolean), private.legacy_import(boolean) from public;

-- What the product records: customers (seed 001's MEGA_CUSTOMERS, consolidated), their
-- sessions, generations and feedback, and the price list of generation types; with the
-- customer RPCs that are not credit movements (disable/enable, search).
--
-- source_system says where a row came from: rows brought over by public.import_legacy keep
-- 'legacy' (the fragmented tables) or 'mega' (seed 001's MEGA_* tables) after the legacy
-- tables are dropped; rows written by CreditDesk and the product keep the default.

-- A customer's balance, the one source of customers.credits (issue 13). Narrow on purpose:
-- a credit movement updates this row and its two small btrees, and the list sorted by
-- balance reads this index instead of sorting every customer. customers.credits stays for its
-- readers (the app, exports, SQL) but is derived: the foreign key customers (id, credits) →
-- (customer_id, credits) with ON UPDATE CASCADE makes the database itself copy each change
-- into the customer row in the same statement, and refuses any customer row whose credits
-- differ from its balance row, so the two cannot disagree. That cascaded rewrite of the
-- customer row touches no indexed column there, so it stays a HOT update (no entry in the
-- customer's 13 indexes). Written only by the ledger (private.apply_credit_change, under the
-- customer's lock, 40_ledger.sql); the row is opened by a trigger when the customer is inserted.
create table public.customer_balances (
  customer_id text primary key,
  credits integer not null default 0 check (credits >= 0)
);
-- The list by balance (both directions) and the foreign key's target (a unique key on
-- (customer_id, credits), which the primary key alone already makes true).
create unique index customer_balances_credits_idx on public.customer_balances (credits desc, customer_id);

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
  updated_at timestamptz not null default now(),
  constraint customers_credits_fkey foreign key (id, credits)
    references public.customer_balances (customer_id, credits) on update cascade
-- Every credit movement rewrites the row (credits, updated_at). With room left on its page and
-- no index on either column the rewrite is a HOT update: no entry in any of the indexes below
-- (six of them trigram GIN indexes, whose pending list is one page for all customers). Before,
-- each balance change added 14 index entries (issue 13).
) with (fillfactor = 85);

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
-- No index on credits: it would make every balance change a non-HOT update (above). The list
-- sorted by balance reads customer_balances_credits_idx instead (bench/README.md).
create index customers_expires_at_idx on public.customers (expires_at) where expires_at is not null;
create index customers_disabled_idx on public.customers (id) where disabled;
create index customers_user_id_idx on public.customers (user_id) where user_id is not null;

create trigger customers_set_updated_at before update on public.customers
  for each row execute function private.set_updated_at();

-- Not even called for the ledger's balance update (which writes its own audit row): the
-- function turns both row images into jsonb before it looks at the flag.
create trigger customers_audit after insert or update or delete on public.customers
  for each row when (coalesce(current_setting('creditdesk.skip_row_audit', true), '') <> 'on')
  execute function private.audit_row_change('customers', 'id');

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
  source_system text not null default 'creditdesk' check (length(source_system) between 1 and 50),
  -- start_generation's key (45_credit_blocks.sql): a retried start returns the first generation.
  idempotency_key text unique check (length(idempotency_key) between 8 and 200)
);
create index generations_created_at_idx on public.generations (created_at desc, id);
create index generations_customer_idx on public.generations (customer_id, created_at desc);
-- provider is carried in the status index so the generations list's exact count of a status and
-- a provider (the common filter pair) is an index-only scan instead of a heap visit per row.
create index generations_status_idx on public.generations (status, created_at desc)
  include (provider);
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
-- Supabase's advisor (unindexed foreign keys): deleting a session sets session_id to null.
create index feedback_session_idx on public.feedback (session_id);
create trigger feedback_set_updated_at before update on public.feedback
  for each row execute function private.set_updated_at();

create trigger feedback_audit after update or delete on public.feedback
  for each row execute function private.audit_row_change('feedback', 'id');

-- Reopening handled feedback is a decision: it goes to "reviewed" (someone is on it again),
-- never silently back to "new" and into the queue as if nobody had looked at it.
create or replace function private.refuse_feedback_reopen_as_new()
returns trigger language plpgsql set search_path = '' as $$
begin
  if old.status in ('resolved', 'dismissed') and new.status = 'new' then
    perform private.raise_conflict(
      format('Feedback %s is %s; it cannot go back to new.', old.id, old.status),
      'To reopen it, set it to reviewed.');
  end if;
  return new;
end $$;

create trigger feedback_no_reopen_as_new before update of status on public.feedback
  for each row execute function private.refuse_feedback_reopen_as_new();

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

-- A price changes with a reason, through set_generation_type_price (15_audit_trail.sql says
-- how the reason travels); the name and the active switch are edited as before.
create trigger generation_types_price_needs_reason
  before update of cost_credits on public.generation_types
  for each row when (old.cost_credits is distinct from new.cost_credits)
  execute function private.require_change_reason(
    'A price changes with a reason: call set_generation_type_price(p_type_key, p_cost_credits, p_reason). Nothing was changed.',
    'The reason is kept in the audit trail, e.g. a ticket number or the provider''s new rate.');

create or replace function public.set_generation_type_price(
  p_type_key text, p_cost_credits integer, p_reason text default null
) returns json language plpgsql security definer set search_path = '' as $$
declare
  v_type public.generation_types;
  v_reason text;
begin
  if not private.has_role('admin') then
    perform private.raise_forbidden('Only admins may change generation prices.');
  end if;
  if p_cost_credits is null or p_cost_credits not between 0 and 100000 then
    perform private.raise_bad_input('The price must be a whole number of credits from 0 to 100000.');
  end if;
  v_reason := private.check_reason(p_reason, 'change a price');
  select * into v_type from public.generation_types where type_key = p_type_key for no key update;
  if not found then
    perform private.raise_not_found(format('No generation type "%s".', left(coalesce(p_type_key, ''), 100)));
  end if;
  if v_type.cost_credits = p_cost_credits then
    perform private.raise_conflict(format('%s already costs %s credits; nothing was changed.',
                                          v_type.display_name, p_cost_credits));
  end if;
  perform set_config('creditdesk.change_reason', v_reason, true);
  update public.generation_types set cost_credits = p_cost_credits where type_key = p_type_key
  returning * into v_type;
  perform set_config('creditdesk.change_reason', '', true);
  return json_build_object('type_key', v_type.type_key, 'cost_credits', v_type.cost_credits);
end $$;

-- A type leaves the price list only with a reason, like a price change: deleting a type and
-- creating it again under the same key is a price change too, and would otherwise need none.
-- Retiring a type (active off) stays a plain edit. Only API requests are asked
-- (current_user is `authenticated`); the seed, migrations and the service role are not.
create trigger generation_types_removal_needs_reason
  before delete on public.generation_types
  for each row when (current_user = 'authenticated')
  execute function private.require_change_reason(
    'A generation type is removed with a reason: call remove_generation_type(p_type_key, p_reason). Nothing was changed.',
    'To stop selling it without removing it, switch it off (active) instead.');

create or replace function public.remove_generation_type(p_type_key text, p_reason text default null)
returns json language plpgsql security definer set search_path = '' as $$
declare
  v_type public.generation_types;
  v_reason text;
begin
  if not private.has_role('admin') then
    perform private.raise_forbidden('Only admins may remove generation types.');
  end if;
  v_reason := private.check_reason(p_reason, 'remove a generation type');
  perform set_config('creditdesk.change_reason', v_reason, true);
  delete from public.generation_types where type_key = p_type_key returning * into v_type;
  if not found then
    perform private.raise_not_found(format('No generation type "%s".', left(coalesce(p_type_key, ''), 100)));
  end if;
  perform set_config('creditdesk.change_reason', '', true);
  return json_build_object('type_key', v_type.type_key, 'display_name', v_type.display_name,
                           'cost_credits', v_type.cost_credits);
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
  select * into v_customer from public.customers where id = p_customer_id for no key update;
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

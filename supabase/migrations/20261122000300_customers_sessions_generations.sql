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

-- Search by email / name / pass id / Shopify id is `ilike '%q%'`: trigram indexes serve it.
create index customers_email_trgm on public.customers using gin (email extensions.gin_trgm_ops);
create index customers_display_name_trgm on public.customers using gin (display_name extensions.gin_trgm_ops);
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

create table public.sessions (
  id text primary key default gen_random_uuid()::text,
  customer_id text not null references public.customers (id) on delete cascade,
  platform text,
  title text check (length(title) <= 500),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
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
  updated_at timestamptz not null default now()
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
  updated_at timestamptz not null default now()
);
create index feedback_status_idx on public.feedback (status, created_at desc);
create index feedback_created_at_idx on public.feedback (created_at desc);
create index feedback_customer_idx on public.feedback (customer_id, created_at desc);
create index feedback_generation_idx on public.feedback (generation_id) where generation_id is not null;
create trigger feedback_set_updated_at before update on public.feedback
  for each row execute function private.set_updated_at();

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

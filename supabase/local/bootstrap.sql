-- What a hosted Supabase project has before our migrations run, built the way Supabase builds
-- it (learnt from supabase/postgres migrations/db and GoTrue's migrations; our own, smaller
-- SQL), so that supabase/migrations and supabase/seed.sql run unchanged on both. Never part of
-- `supabase db push`. Re-runnable. Runs as a superuser before the migrations:
-- - native Postgres (the test cluster, DATABASE_URL): as `supabase_admin`, the only superuser,
--   as on hosted; the migrations and the seed then run as `postgres`, who is not one;
-- - PGlite: as its one user, `postgres`, who stays a superuser (PGlite has no other way in).

-- Roles, with hosted's attributes -------------------------------------------
do $$
begin
  if not exists (select from pg_roles where rolname = 'postgres') then
    create role postgres login;
  end if;
  -- Hosted demotes postgres: it owns the app's objects but is no superuser. The role this
  -- script runs as cannot demote itself (PGlite, or a cluster whose superuser is postgres).
  if current_user <> 'postgres' then
    alter role postgres nosuperuser createdb createrole login replication bypassrls;
  end if;
  if not exists (select from pg_roles where rolname = 'anon') then
    create role anon;
  end if;
  if not exists (select from pg_roles where rolname = 'authenticated') then
    create role authenticated;
  end if;
  if not exists (select from pg_roles where rolname = 'service_role') then
    create role service_role;
  end if;
  if not exists (select from pg_roles where rolname = 'authenticator') then
    create role authenticator;
  end if;
  if not exists (select from pg_roles where rolname = 'supabase_auth_admin') then
    create role supabase_auth_admin;
  end if;
  execute format('alter database %I owner to postgres', current_database());
end
$$;

-- The API roles inherit (hosted since 2023), PostgREST's login role does not: PostgREST
-- switches to the JWT's role itself.
alter role anon nologin inherit;
alter role authenticated nologin inherit;
alter role service_role nologin inherit bypassrls;
alter role authenticator login noinherit password 'authenticator-local';
alter role supabase_auth_admin login noinherit createrole;
grant anon, authenticated, service_role to authenticator;
grant anon, authenticated, service_role, supabase_auth_admin to postgres;

-- Hosted's timeouts. PostgREST applies an impersonated role's settings per request, so anon
-- gets 3 s and a signed-in user 8 s; authenticator's own 8 s covers service_role.
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';
alter role authenticator set lock_timeout = '8s';
alter role postgres set search_path = "$user", public, extensions;

-- Schemas and extensions ----------------------------------------------------
-- Hosted has pgcrypto and uuid-ossp in `extensions`; pg_trgm comes from our first migration,
-- created by postgres (a trusted extension), as `db push` creates it.
create schema if not exists extensions;
grant all on schema extensions to postgres;
create extension if not exists pgcrypto with schema extensions;
do $$
begin
  -- A PGlite started without its uuid_ossp bundle (the type generator's) has no such extension.
  if exists (select from pg_available_extensions where name = 'uuid-ossp') then
    create extension if not exists "uuid-ossp" with schema extensions;
  end if;
end
$$;
grant usage on schema extensions to anon, authenticated, service_role;
grant all on all routines in schema extensions to postgres with grant option;
alter default privileges in schema extensions grant all on routines to postgres with grant option;
alter default privileges in schema extensions grant all on tables to postgres with grant option;

-- PostgREST on hosted exposes it; it must exist to be listed in db-schemas.
create schema if not exists graphql_public;
grant usage on schema graphql_public to anon, authenticated, service_role;

-- Hosted grants everything in public to the API roles by default, so RLS and the explicit
-- revokes in our migrations are what protect data; reproduce that to keep local honest.
grant usage on schema public to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on functions to postgres, anon, authenticated, service_role;

-- auth: GoTrue's tables, the columns GoTrue's own migrations give them (supabase/auth), owned
-- by supabase_auth_admin with RLS on and no policy, as GoTrue leaves them; postgres reads and
-- writes them as on hosted (seed.sql inserts the demo logins), the API roles do not.
create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;
do $$
begin
  create type auth.aal_level as enum ('aal1', 'aal2', 'aal3');
exception when duplicate_object then null;
end
$$;

create table if not exists auth.users (
  instance_id uuid,
  id uuid not null default gen_random_uuid() primary key,
  aud varchar(255),
  role varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  invited_at timestamptz,
  confirmation_token varchar(255),
  confirmation_sent_at timestamptz,
  recovery_token varchar(255),
  recovery_sent_at timestamptz,
  email_change_token_new varchar(255),
  email_change varchar(255),
  email_change_sent_at timestamptz,
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  is_super_admin boolean,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  phone text default null unique,
  phone_confirmed_at timestamptz,
  phone_change text default '',
  phone_change_token varchar(255) default '',
  phone_change_sent_at timestamptz,
  confirmed_at timestamptz generated always as (least(email_confirmed_at, phone_confirmed_at)) stored,
  email_change_token_current varchar(255) default '',
  email_change_confirm_status smallint default 0,
  banned_until timestamptz,
  reauthentication_token varchar(255) default '',
  reauthentication_sent_at timestamptz,
  is_sso_user boolean not null default false,
  deleted_at timestamptz,
  is_anonymous boolean not null default false
);
create unique index if not exists users_email_partial_key on auth.users (email) where is_sso_user = false;
create index if not exists users_instance_id_email_idx on auth.users (instance_id, lower(email));

create table if not exists auth.identities (
  provider_id text not null,
  user_id uuid not null references auth.users (id) on delete cascade,
  identity_data jsonb not null,
  provider text not null,
  last_sign_in_at timestamptz,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  email text generated always as (lower(identity_data ->> 'email')) stored,
  id uuid not null default gen_random_uuid() primary key,
  unique (provider_id, provider)
);
create index if not exists identities_user_id_idx on auth.identities (user_id);

create table if not exists auth.sessions (
  id uuid not null primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  factor_id uuid,
  aal auth.aal_level,
  not_after timestamptz,
  refreshed_at timestamp,
  user_agent text,
  ip inet,
  tag text,
  oauth_client_id uuid,
  refresh_token_hmac_key text,
  refresh_token_counter bigint,
  scopes text check (char_length(scopes) <= 4096)
);
create index if not exists sessions_user_id_idx on auth.sessions (user_id);

create table if not exists auth.refresh_tokens (
  instance_id uuid,
  id bigserial primary key,
  token varchar(255) unique,
  user_id varchar(255),
  revoked boolean,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  parent varchar(255),
  session_id uuid references auth.sessions (id) on delete cascade
);
create index if not exists refresh_tokens_session_id_revoked_idx on auth.refresh_tokens (session_id, revoked);

-- GoTrue keeps the sign-in method per session here; the JWT's amr claim comes from it.
create table if not exists auth.mfa_amr_claims (
  session_id uuid not null references auth.sessions (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  authentication_method text not null,
  id uuid not null default gen_random_uuid() primary key,
  unique (session_id, authentication_method)
);

-- Hosted's definitions: legacy per-claim GUCs first, then request.jwt.claims.
create or replace function auth.uid() returns uuid language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

create or replace function auth.email() returns text language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;

create or replace function auth.jwt() returns jsonb language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

grant execute on function auth.uid(), auth.role(), auth.email(), auth.jwt()
  to anon, authenticated, service_role;

do $$
declare t regclass;
begin
  for t in select c.oid from pg_class c where c.relnamespace = 'auth'::regnamespace and c.relkind = 'r' loop
    execute format('alter table %s owner to supabase_auth_admin', t);
    execute format('alter table %s enable row level security', t);
  end loop;
end
$$;
alter function auth.uid() owner to supabase_auth_admin;
alter function auth.role() owner to supabase_auth_admin;
alter function auth.email() owner to supabase_auth_admin;
alter function auth.jwt() owner to supabase_auth_admin;
grant all on schema auth to supabase_auth_admin;
grant usage on schema auth to postgres;
grant all on all tables in schema auth to postgres with grant option;
grant all on all sequences in schema auth to postgres with grant option;
grant all on all routines in schema auth to postgres with grant option;

-- pg_cron where the server loads it (hosted: the dashboard's Integrations > Cron; here the test
-- cluster's shared_preload_libraries). postgres may schedule and read its jobs, not write
-- cron.job directly, as on hosted.
do $$
begin
  if current_setting('shared_preload_libraries', true) ~ '\mpg_cron\M'
     and current_database() = current_setting('cron.database_name', true)
     and exists (select from pg_available_extensions where name = 'pg_cron') then
    create extension if not exists pg_cron;
    grant usage on schema cron to postgres with grant option;
    grant all on all functions in schema cron to postgres with grant option;
    grant all on all tables in schema cron to postgres with grant option;
    revoke all on table cron.job from postgres;
    grant select on table cron.job to postgres with grant option;
  end if;
end
$$;

-- The local auth server's functions live in local_auth.sql (run after this file, as postgres).

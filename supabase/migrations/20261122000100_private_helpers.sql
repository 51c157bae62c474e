-- Helpers that must never be callable as RPC live in `private`, a schema PostgREST does not
-- expose. Policies call them, so signed-in users need USAGE on the schema.
create extension if not exists pg_trgm with schema extensions;
create extension if not exists pgcrypto with schema extensions;

create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to authenticated, service_role;

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

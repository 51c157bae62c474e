-- Extensions and the schemas CreditDesk adds. Roles (anon, authenticated, service_role,
-- authenticator), `extensions`, `auth` and `public` come with every hosted Supabase project
-- (supabase/local/bootstrap.sql recreates them for the embedded stack). Privileges on the
-- schemas are in 99_grants.sql.
create extension if not exists pg_trgm with schema extensions;
create extension if not exists pgcrypto with schema extensions;

-- Helpers that must never be callable as RPC live in `private`, a schema PostgREST does not
-- expose. Policies call them, so signed-in users need USAGE on the schema (99_grants.sql).
create schema if not exists private;

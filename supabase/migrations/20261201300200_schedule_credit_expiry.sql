-- expire_credits every 5 minutes. On hosted Supabase pg_cron runs it (when the extension is
-- enabled: Database → Extensions; re-run this block after enabling it); the embedded stack,
-- which has no pg_cron, calls the RPC on a timer instead (supabase/local/stack.mjs).
-- The job runs as the migration's owner without a JWT, so a private wrapper says it is the
-- job before calling the service-role function.
create or replace function private.expire_credits_job()
returns json language plpgsql security definer set search_path = '' as $$
begin
  perform set_config('request.jwt.claims', '{"role": "service_role"}', true);
  return public.expire_credits(now());
end $$;
revoke all on function private.expire_credits_job() from public;

do $schedule$
begin
  if exists (select 1 from pg_extension where extname = 'pg_cron') then
    perform cron.schedule('creditdesk-expire-credits', '*/5 * * * *', 'select private.expire_credits_job()');
  end if;
end $schedule$;

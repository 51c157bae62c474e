-- Jobs the database runs on a schedule (credit expiry, rollup folding…). A migration registers
-- one with private.schedule_job(name, cron, command): on hosted, where pg_cron is enabled, that
-- is cron.schedule; where pg_cron is absent (the embedded stack, a Postgres without it) the
-- same registration stands in this table and the stack's timer runs it
-- (local_auth.run_due_jobs). A migration that registers a job applies with or without pg_cron.
create table private.scheduled_jobs (
  name text primary key check (name ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
  schedule text not null check (schedule ~ '^\S+( \S+){4}$'),
  command text not null check (length(trim(command)) > 0),
  created_at timestamptz not null default now(),
  -- Kept by the stack's timer only: pg_cron keeps its own in cron.job_run_details.
  last_run_at timestamptz,
  last_error text
);
revoke all on private.scheduled_jobs from public, anon, authenticated, service_role;

create or replace function private.schedule_job(p_name text, p_schedule text, p_command text)
returns void language plpgsql set search_path = '' as $$
begin
  insert into private.scheduled_jobs (name, schedule, command)
  values (p_name, p_schedule, p_command)
  on conflict (name) do update set schedule = excluded.schedule, command = excluded.command;
  if exists (select from pg_catalog.pg_extension where extname = 'pg_cron') then
    -- Dynamic, so this function compiles where the cron schema does not exist.
    execute 'select cron.schedule($1, $2, $3)' using p_name, p_schedule, p_command;
  end if;
end $$;

create or replace function private.unschedule_job(p_name text)
returns void language plpgsql set search_path = '' as $$
begin
  delete from private.scheduled_jobs where name = p_name;
  if exists (select from pg_catalog.pg_extension where extname = 'pg_cron') then
    execute 'select cron.unschedule(jobid) from cron.job where jobname = $1' using p_name;
  end if;
end $$;

revoke all on function private.schedule_job(text, text, text), private.unschedule_job(text)
  from public, anon, authenticated, service_role;

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
-- Supabase's advisor (unindexed foreign keys): deleting an auth user sets created_by to null.
create index staff_created_by_idx on public.staff (created_by);

create trigger staff_set_updated_at before update on public.staff
  for each row execute function private.set_updated_at();

-- staff.email is the account's confirmed address, whoever writes the row (an admin through
-- the API, add_staff_member, the service role): a role is granted to an account, and the
-- email beside it must say which one. An unconfirmed address may belong to someone else
-- (an email change or a sign-up nobody has proved), so it is refused.
create or replace function private.staff_email_from_account()
returns trigger language plpgsql security definer set search_path = '' as $$
declare
  v_user auth.users;
begin
  select * into v_user from auth.users where id = new.user_id;
  if not found then
    perform private.raise_not_found('There is no account with that user id.');
  end if;
  -- Confirmation matters where a role is granted to an account (a new row, or a row moved to
  -- another account); an email-only update just takes the account's current address.
  if (tg_op = 'INSERT' or new.user_id is distinct from old.user_id)
     and (v_user.email_confirmed_at is null or coalesce(v_user.email, '') = '') then
    perform private.raise_conflict(
      format('The account %s has not confirmed its email address yet.', coalesce(v_user.email, new.user_id::text)),
      'Ask the person to open the confirmation link Supabase Auth sent them, then grant the role.');
  end if;
  if new.email is not null and lower(btrim(new.email)) <> lower(v_user.email) then
    perform private.raise_bad_input(
      format('The email must be the account''s own address, %s, not %s.', v_user.email, new.email),
      'Leave the email as the account has it, or pick the right account.');
  end if;
  new.email := v_user.email;
  return new;
end $$;

create trigger staff_email_from_account before insert or update of user_id, email on public.staff
  for each row execute function private.staff_email_from_account();

-- staff.email follows the account: when Supabase Auth changes a staff member's address (both
-- confirmation links opened, or an admin's change through the Auth admin API), the staff row
-- shows the new one; the trigger above takes it from auth.users and the audit trail records
-- the change. Hosted Supabase allows triggers on auth.users (its own docs create them in
-- migrations), so this is a migration, not part of the stand-in's bootstrap. An address
-- removed (a phone-only account) leaves the last one: staff.email is never empty.
create or replace function private.staff_email_follows_account()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  if coalesce(new.email, '') <> '' then
    update public.staff s set email = new.email
     where s.user_id = new.id and s.email is distinct from new.email;
  end if;
  return null;
end $$;

create trigger staff_email_follows_account after update of email on auth.users
  for each row when (old.email is distinct from new.email)
  execute function private.staff_email_follows_account();

create trigger staff_audit after insert or update or delete on public.staff
  for each row execute function private.audit_row_change('staff', 'user_id');

-- Whether the caller's JWT belongs to a sign-in that is still on: its session_id is a row of
-- auth.sessions (GoTrue deletes the row on sign-out and sets not_after when a session is
-- time-boxed or, in the local stand-in, when a stolen refresh token is replayed), and
-- end_admin_session has not ended it. A JWT outlives all of these until it expires, so
-- without this a signed-out token kept moving money. Two primary-key / unique-index
-- lookups; the policies wrap the role helpers in (select …), so once per statement.
-- plpgsql: admin_sessions is created after this file.
create or replace function private.session_is_live()
returns boolean language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := (select auth.uid());
  v_session text := (select auth.jwt()) ->> 'session_id';
begin
  if v_uid is null or v_session is null
     or v_session !~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' then
    return false;
  end if;
  return exists (select 1 from auth.sessions a
                  where a.id = v_session::uuid and a.user_id = v_uid
                    and (a.not_after is null or a.not_after > now()))
     and not exists (select 1 from public.admin_sessions s
                      where s.user_id = v_uid
                        and s.session_hash = encode(extensions.digest(v_session, 'sha256'), 'hex')
                        and s.ended_at is not null);
end $$;

-- SECURITY DEFINER so policies on `staff` itself can call it without recursing into RLS.
-- The one place staff authority is decided: a disabled staff member, or a signed-out session,
-- has no role, so a still-valid JWT opens nothing.
create or replace function private.staff_role()
returns text language sql stable security definer set search_path = '' as $$
  select s.role from public.staff s
  where s.user_id = (select auth.uid()) and not s.disabled
    and private.session_is_live()
$$;

create or replace function private.has_role(variadic p_roles text[])
returns boolean language sql stable security definer set search_path = '' as $$
  select coalesce(private.staff_role() = any (p_roles), false)
$$;

create or replace function private.is_staff()
returns boolean language sql stable security definer set search_path = '' as $$
  select private.staff_role() is not null
$$;

-- PL/pgSQL for the plan cache (10_private_helpers.sql, request_header): every backend write
-- asks it.
create or replace function private.is_service_role()
returns boolean language plpgsql stable set search_path = '' as $$
begin
  return coalesce(auth.jwt() ->> 'role', '') = 'service_role';
end $$;

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

-- A role or an account state changes with a reason, through set_staff_role and
-- set_staff_disabled (15_audit_trail.sql says how the reason travels).
create trigger staff_change_needs_reason
  before update of role, disabled on public.staff
  for each row when (old.role is distinct from new.role or old.disabled is distinct from new.disabled)
  execute function private.require_change_reason(
    'A staff role or account state changes with a reason: call set_staff_role(p_user_id, p_role, p_reason) or set_staff_disabled(p_user_id, p_disabled, p_reason). Nothing was changed.',
    'The reason is kept in the audit trail, e.g. a ticket number.');

-- Both staff RPCs after their own checks: lock the row, refuse a change that changes
-- nothing, run the one UPDATE with its reason (the guard above lets it through, the row
-- audit records it). keep_one_admin still refuses the last enabled admin.
create or replace function private.change_staff_with_reason(
  p_user_id uuid, p_role text, p_disabled boolean, p_reason text
) returns json language plpgsql set search_path = '' as $$
declare
  v_staff public.staff;
begin
  select * into v_staff from public.staff where user_id = p_user_id for no key update;
  if not found then
    perform private.raise_not_found(format('No staff member with user id %s.', coalesce(p_user_id::text, 'null')));
  end if;
  if v_staff.role = coalesce(p_role, v_staff.role) and v_staff.disabled = coalesce(p_disabled, v_staff.disabled) then
    perform private.raise_conflict(format('%s is already %s; nothing was changed.', v_staff.email,
      coalesce(p_role, case when p_disabled then 'disabled' else 'enabled' end)));
  end if;
  perform set_config('creditdesk.change_reason', p_reason, true);
  update public.staff
     set role = coalesce(p_role, role), disabled = coalesce(p_disabled, disabled)
   where user_id = p_user_id
  returning * into v_staff;
  perform set_config('creditdesk.change_reason', '', true);
  return json_build_object('user_id', v_staff.user_id, 'email', v_staff.email,
                           'role', v_staff.role, 'disabled', v_staff.disabled);
end $$;

create or replace function public.set_staff_role(p_user_id uuid, p_role text, p_reason text default null)
returns json language plpgsql security definer set search_path = '' as $$
begin
  if not private.has_role('admin') then
    perform private.raise_forbidden('Only admins may change staff roles.');
  end if;
  if p_role is null or p_role not in ('admin', 'support', 'finance') then
    perform private.raise_bad_input('The role must be admin, support or finance.');
  end if;
  return private.change_staff_with_reason(p_user_id, p_role, null,
    private.check_reason(p_reason, 'change a staff role'));
end $$;

create or replace function public.set_staff_disabled(p_user_id uuid, p_disabled boolean, p_reason text default null)
returns json language plpgsql security definer set search_path = '' as $$
begin
  if not private.has_role('admin') then
    perform private.raise_forbidden('Only admins may disable or enable staff accounts.');
  end if;
  if p_disabled is null then
    perform private.raise_bad_input('Say whether the staff account should be disabled (true) or enabled (false).');
  end if;
  return private.change_staff_with_reason(p_user_id, null, p_disabled,
    private.check_reason(p_reason, case when p_disabled then 'disable a staff account'
                                        else 'enable a staff account' end));
end $$;

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
-- Granting a role is a privileged change like changing one: it carries a reason, kept in
-- the row's audit entry (15_audit_trail.sql says how the reason travels).
create or replace function public.add_staff_member(p_email text, p_role text, p_reason text default null)
returns json language plpgsql security definer set search_path = '' as $$
declare
  v_user auth.users;
  v_email text := lower(btrim(p_email));
  v_reason text;
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
  v_reason := private.check_reason(p_reason, 'add a staff member');
  select * into v_user from auth.users where lower(email) = v_email;
  if not found then
    perform private.raise_not_found(format(
      'No account with the email %s. Invite the person through Supabase Auth first, then grant the role.', v_email));
  end if;
  if v_user.email_confirmed_at is null then
    perform private.raise_conflict(format(
      'The account %s has not confirmed its email address yet.', v_email),
      'Ask the person to open the confirmation link Supabase Auth sent them, then grant the role.');
  end if;
  if exists (select 1 from public.staff where user_id = v_user.id) then
    perform private.raise_conflict(format('%s is already a staff member; change the role on their row.', v_email));
  end if;
  perform set_config('creditdesk.change_reason', v_reason, true);
  insert into public.staff (user_id, email, role, created_by)
  values (v_user.id, v_user.email, p_role, (select auth.uid()));
  perform set_config('creditdesk.change_reason', '', true);
  return json_build_object('user_id', v_user.id, 'email', v_user.email, 'role', p_role);
end $$;

-- Removing a staff member, with a reason kept in the row's audit entry (a removal and a
-- re-add would otherwise change a role without one). keep_one_admin still refuses the last
-- enabled admin.
create or replace function public.remove_staff_member(p_user_id uuid, p_reason text default null)
returns json language plpgsql security definer set search_path = '' as $$
declare
  v_staff public.staff;
  v_reason text;
begin
  if not private.has_role('admin') then
    perform private.raise_forbidden('Only admins may remove staff members.');
  end if;
  v_reason := private.check_reason(p_reason, 'remove a staff member');
  select * into v_staff from public.staff where user_id = p_user_id for update;
  if not found then
    perform private.raise_not_found(format('No staff member with user id %s.', coalesce(p_user_id::text, 'null')));
  end if;
  perform set_config('creditdesk.change_reason', v_reason, true);
  delete from public.staff where user_id = p_user_id;
  perform set_config('creditdesk.change_reason', '', true);
  return json_build_object('user_id', v_staff.user_id, 'email', v_staff.email, 'role', v_staff.role);
end $$;

-- A staff member is added or removed with a reason, through add_staff_member and
-- remove_staff_member. Only API requests are asked (current_user is `authenticated`; the
-- RPCs run as their owner and check the reason themselves); the seed, the migrations and
-- the service role write rows as they always did. Named to fire after
-- staff_email_from_account, so a wrong address is still refused with its own message.
create trigger staff_membership_needs_reason
  before insert or delete on public.staff
  for each row when (current_user = 'authenticated')
  execute function private.require_change_reason(
    'A staff member is added or removed with a reason: call add_staff_member(p_email, p_role, p_reason) or remove_staff_member(p_user_id, p_reason). Nothing was changed.',
    'The reason is kept in the audit trail, e.g. a ticket number.');

-- Who is who: the email behind a staff user id (the ledger's `actor`), for any staff member;
-- nothing else about a colleague leaves the table.
create or replace function public.staff_directory()
returns table (id uuid, email text)
language plpgsql stable security definer set search_path = '' rows 20 as $$
begin
  if not private.is_staff() then
    perform private.raise_forbidden('Only CreditDesk staff may look up who a colleague is.');
  end if;
  return query select s.user_id, s.email from public.staff s;
end $$;

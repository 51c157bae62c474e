-- Issue 16.9, the gap left: an admin could remove a staff member (a direct DELETE) and add
-- them again with another role, and add_staff_member took no reason, so a role changed
-- without one. add_staff_member now takes a reason, remove_staff_member(p_user_id, p_reason)
-- removes with one, both keep it in the row's audit entry, and a direct INSERT or DELETE on
-- staff from the API is refused with what to call instead, changing nothing.

-- The old two-argument add_staff_member goes: PostgREST must not see two overloads.
drop function public.add_staff_member(text, text);

-- Returns OLD on a delete, so the guard can stand before a DELETE (full current body).
create or replace function private.require_change_reason()
returns trigger language plpgsql set search_path = '' as $$
begin
  if coalesce(current_setting('creditdesk.change_reason', true), '') = ''
     and not private.is_service_role() then
    perform private.raise_bad_input(tg_argv[0], tg_argv[1]);
  end if;
  -- A BEFORE DELETE trigger that returns null (NEW, on a delete) skips the row silently.
  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end $$;

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


-- remove_staff_member is part of the access contract database_advisor checks definer
-- functions against. Sorts after 20261202400000, which redefined the contract last.
create or replace function private.client_definer_contract()
returns table (schema_name text, function_name text)
language sql immutable set search_path = '' as $$
  select v.s, v.f
    from (values
      ('public', 'add_staff_member'), ('public', 'adjust_credits'), ('public', 'dashboard_metrics'),
      ('public', 'database_advisor'), ('public', 'database_health'), ('public', 'end_admin_session'),
      ('public', 'extend_credit_expiry'), ('public', 'finance_metrics'),
      ('public', 'generation_filter_choices'), ('public', 'grant_credits'),
      ('public', 'import_legacy'), ('public', 'ledger_integrity'),
      ('public', 'refresh_planner_statistics'), ('public', 'refund_generation'),
      ('public', 'remove_staff_member'), ('public', 'search_customers'), ('public', 'set_customer_disabled'),
      ('public', 'set_generation_type_price'), ('public', 'set_staff_disabled'),
      ('public', 'set_staff_role'),
      ('public', 'staff_directory'), ('public', 'touch_admin_session'), ('public', 'whoami'),
      ('private', 'staff_role'), ('private', 'has_role'), ('private', 'is_staff')
    ) as v(s, f)
$$;


revoke all on function public.add_staff_member(text, text, text),
  public.remove_staff_member(uuid, text)
  from public, anon, authenticated, service_role;
grant execute on function public.add_staff_member(text, text, text),
  public.remove_staff_member(uuid, text)
  to authenticated;

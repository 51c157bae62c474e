-- An admin could insert a staff row whose email was not the account's, and add_staff_member
-- matched an account by an unconfirmed email. staff.email now comes from auth.users and must
-- be confirmed, on every write of the row and in add_staff_member (issue 17.4).

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
  if v_user.email_confirmed_at is null or coalesce(v_user.email, '') = '' then
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

revoke all on function private.staff_email_from_account() from public;

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
  if v_user.email_confirmed_at is null then
    perform private.raise_conflict(format(
      'The account %s has not confirmed its email address yet.', v_email),
      'Ask the person to open the confirmation link Supabase Auth sent them, then grant the role.');
  end if;
  if exists (select 1 from public.staff where user_id = v_user.id) then
    perform private.raise_conflict(format('%s is already a staff member; change the role on their row.', v_email));
  end if;
  insert into public.staff (user_id, email, role, created_by)
  values (v_user.id, v_user.email, p_role, (select auth.uid()));
  return json_build_object('user_id', v_user.id, 'email', v_user.email, 'role', p_role);
end $$;

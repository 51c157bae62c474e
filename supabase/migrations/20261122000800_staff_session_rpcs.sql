-- Who the caller is, for the UI's permissions. role is null for anyone who is not enabled staff.
create or replace function public.whoami()
returns json language sql stable security definer set search_path = '' as $$
  select json_build_object(
    'user_id', (select auth.uid()),
    'email', (select auth.jwt()) ->> 'email',
    'role', private.staff_role())
$$;

-- Records (or refreshes) the caller's admin session. The hash of the JWT's session_id
-- identifies the sign-in without storing anything that could be replayed.
create or replace function public.touch_admin_session()
returns json language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := (select auth.uid());
  v_session text := (select auth.jwt()) ->> 'session_id';
  v_hash text;
  v_row public.admin_sessions;
begin
  if not private.is_staff() then
    perform private.raise_forbidden('Only enabled staff have admin sessions.');
  end if;
  v_hash := encode(extensions.digest(coalesce(v_session, 'no-session:' || v_uid::text), 'sha256'), 'hex');
  insert into public.admin_sessions as s (user_id, email, session_hash, ip, user_agent)
  values (v_uid, (select auth.jwt()) ->> 'email', v_hash, private.request_ip(),
          left(private.request_header('user-agent'), 500))
  on conflict (user_id, session_hash) do update
    set last_seen_at = now(), ip = excluded.ip, user_agent = excluded.user_agent
    where s.ended_at is null
  returning * into v_row;
  if v_row.id is null then
    perform private.raise_conflict('This session was signed out; sign in again.');
  end if;
  return json_build_object('id', v_row.id, 'first_seen_at', v_row.first_seen_at,
                           'last_seen_at', v_row.last_seen_at);
end $$;

create or replace function public.end_admin_session()
returns void language plpgsql security definer set search_path = '' as $$
begin
  update public.admin_sessions set ended_at = now(), last_seen_at = now()
   where user_id = (select auth.uid())
     and session_hash = encode(extensions.digest(coalesce((select auth.jwt()) ->> 'session_id',
                                                          'no-session:' || (select auth.uid())::text), 'sha256'), 'hex')
     and ended_at is null;
end $$;

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
  if exists (select 1 from public.staff where user_id = v_user.id) then
    perform private.raise_conflict(format('%s is already a staff member; change the role on their row.', v_email));
  end if;
  insert into public.staff (user_id, email, role, created_by)
  values (v_user.id, v_user.email, p_role, (select auth.uid()));
  return json_build_object('user_id', v_user.id, 'email', v_user.email, 'role', p_role);
end $$;

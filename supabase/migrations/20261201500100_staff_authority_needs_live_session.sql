-- A signed-out token still moved money: after POST /auth/v1/logout and end_admin_session
-- the same access token read customers and adjust_credits succeeded until it expired. Staff
-- authority now needs the JWT's session to be live, in the one role helper every policy and
-- RPC goes through (issue 17.2).

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

revoke all on function private.session_is_live() from public;

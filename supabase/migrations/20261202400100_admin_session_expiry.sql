-- Issue 16.13: an admin session closed without signing out (a tab closed, a laptop shut)
-- stayed "open" forever. Each heartbeat now records when the caller's access token expires
-- (its `exp`); once that passes with no newer heartbeat, the session is expired, and the
-- admin sessions list says so.

-- When the access token of the latest heartbeat expires (its `exp`). A session not ended
-- by signing out is expired from then on. Null for rows no heartbeat wrote (imports, the seed).
alter table public.admin_sessions add column expires_at timestamptz;
-- Sessions recorded before: their last heartbeat's token lived the JWT lifetime
-- (config.toml's jwt_expiry, 3600 s, hosted Supabase's default too).
update public.admin_sessions set expires_at = last_seen_at + interval '1 hour' where ended_at is null;

-- Records (or refreshes) the caller's admin session. The hash of the JWT's session_id
-- identifies the sign-in without storing anything that could be replayed; the token's `exp`
-- says until when the session may be in use without another heartbeat. A refreshed token
-- (same session_id, later exp) moves it on; an older token never moves it back.
create or replace function public.touch_admin_session()
returns json language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := (select auth.uid());
  v_claims jsonb := (select auth.jwt());
  v_session text := v_claims ->> 'session_id';
  v_expires timestamptz := to_timestamp((v_claims ->> 'exp')::double precision);
  v_hash text;
  v_row public.admin_sessions;
begin
  if not private.is_staff() then
    perform private.raise_forbidden('Only enabled staff have admin sessions.');
  end if;
  v_hash := encode(extensions.digest(coalesce(v_session, 'no-session:' || v_uid::text), 'sha256'), 'hex');
  insert into public.admin_sessions as s (user_id, email, session_hash, ip, user_agent, expires_at)
  values (v_uid, v_claims ->> 'email', v_hash, private.request_ip(),
          left(private.request_header('user-agent'), 500), v_expires)
  on conflict (user_id, session_hash) do update
    set last_seen_at = now(), ip = excluded.ip, user_agent = excluded.user_agent,
        expires_at = greatest(s.expires_at, excluded.expires_at)
    where s.ended_at is null
  returning * into v_row;
  if v_row.id is null then
    perform private.raise_conflict('This session was signed out; sign in again.');
  end if;
  return json_build_object('id', v_row.id, 'first_seen_at', v_row.first_seen_at,
                           'last_seen_at', v_row.last_seen_at, 'expires_at', v_row.expires_at);
end $$;

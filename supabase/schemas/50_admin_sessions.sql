-- Staff sign-ins: one row per sign-in, kept current by the layout's heartbeat
-- (touch_admin_session) and ended on sign-out (end_admin_session).

-- One row per staff sign-in, keyed by a hash of the JWT's session_id (never the token).
create table public.admin_sessions (
  id bigint generated always as identity primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  email text,
  session_hash text not null,
  ip text,
  user_agent text,
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  ended_at timestamptz,
  created_at timestamptz not null default now(),
  -- When the access token of the latest heartbeat expires (its `exp`). A session not ended
  -- by signing out (a tab closed, a laptop shut) is expired from then on: nobody can be using
  -- it without a newer heartbeat. Null for rows no heartbeat wrote (imports, the seed).
  expires_at timestamptz,
  unique (user_id, session_hash)
);

create index admin_sessions_last_seen_idx on public.admin_sessions (last_seen_at desc, id desc);
create index admin_sessions_user_idx on public.admin_sessions (user_id, last_seen_at desc);

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

create or replace function public.end_admin_session()
returns void language plpgsql security definer set search_path = '' as $$
begin
  update public.admin_sessions set ended_at = now(), last_seen_at = now()
   where user_id = (select auth.uid())
     and session_hash = encode(extensions.digest(coalesce((select auth.jwt()) ->> 'session_id',
                                                          'no-session:' || (select auth.uid())::text), 'sha256'), 'hex')
     and ended_at is null;
end $$;

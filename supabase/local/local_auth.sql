-- Embedded stack only: the database side of the local auth server (auth-server.mjs).
-- The auth server has no database connection of its own: PGlite is one session
-- and PostgREST holds it, so the auth server calls these through PostgREST
-- (POST /rpc/<fn>, Content-Profile: local_auth) with the service-role key.
-- Errors are returned as {"error": "<GoTrue error_code>"} rather than raised,
-- so the auth server can answer with GoTrue's status and message.
-- Re-run on every start (create or replace), after bootstrap.sql.

create schema if not exists local_auth;
grant usage on schema local_auth to service_role;
alter default privileges in schema local_auth revoke execute on functions from public;

-- config.toml's auth settings that the functions below enforce themselves (the auth server
-- checks them too): database.mjs redefines these two with the configured values right after
-- this file, so the values here are only GoTrue's defaults.
create or replace function local_auth.min_password_length() returns int
language sql immutable set search_path = '' as $$ select 6 $$;
create or replace function local_auth.refresh_token_reuse_interval() returns interval
language sql immutable set search_path = '' as $$ select interval '10 seconds' $$;

create or replace function local_auth._user(p_id uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'id', u.id,
    'aud', coalesce(u.aud, ''),
    'role', coalesce(u.role, ''),
    'email', coalesce(u.email, ''),
    'email_confirmed_at', u.email_confirmed_at,
    'phone', coalesce(u.phone, ''),
    'confirmed_at', u.confirmed_at,
    'recovery_sent_at', u.recovery_sent_at,
    'new_email', nullif(u.email_change, ''),
    'email_change_sent_at', u.email_change_sent_at,
    'last_sign_in_at', u.last_sign_in_at,
    'app_metadata', jsonb_build_object('provider', 'email', 'providers', jsonb_build_array('email'))
      || coalesce(u.raw_app_meta_data, '{}'),
    'user_metadata', coalesce(u.raw_user_meta_data, '{}'),
    'identities', coalesce((
      select jsonb_agg(jsonb_build_object(
        'identity_id', i.id, 'id', i.provider_id, 'user_id', i.user_id,
        'identity_data', i.identity_data, 'provider', i.provider, 'email', i.email,
        'last_sign_in_at', i.last_sign_in_at, 'created_at', i.created_at, 'updated_at', i.updated_at
      ) order by i.created_at)
      from auth.identities i where i.user_id = u.id), '[]'),
    'created_at', u.created_at,
    'updated_at', u.updated_at,
    'banned_until', u.banned_until,
    'is_anonymous', u.is_anonymous)
  from auth.users u where u.id = p_id
$$;

create or replace function local_auth._inet(p_ip text) returns inet
language plpgsql immutable set search_path = '' as $$
begin
  return nullif(p_ip, '')::inet;
exception when others then
  return null;
end
$$;

create or replace function local_auth._token() returns text
language sql volatile set search_path = '' as $$
  select encode(extensions.gen_random_bytes(16), 'hex')
$$;

-- The bundle the auth server turns into a GoTrue session response.
create or replace function local_auth._bundle(p_session_id uuid, p_refresh_token text) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'user', local_auth._user(s.user_id),
    'session_id', s.id,
    'refresh_token', p_refresh_token,
    'aal', coalesce(s.aal, 'aal1'),
    'amr', coalesce((
      select jsonb_agg(jsonb_build_object('method', c.authentication_method,
                                          'timestamp', extract(epoch from c.created_at)::bigint)
                       order by c.created_at desc)
      from auth.mfa_amr_claims c where c.session_id = s.id), '[]'))
  from auth.sessions s where s.id = p_session_id
$$;

create or replace function local_auth._new_session(p_user_id uuid, p_method text, p_user_agent text, p_ip text)
returns jsonb language plpgsql security definer set search_path = '' as $$
declare
  v_session uuid := gen_random_uuid();
  v_token text := local_auth._token();
begin
  insert into auth.sessions (id, user_id, aal, user_agent, ip)
  values (v_session, p_user_id, 'aal1', p_user_agent, local_auth._inet(p_ip));
  insert into auth.mfa_amr_claims (session_id, authentication_method) values (v_session, p_method);
  insert into auth.refresh_tokens (instance_id, token, user_id, revoked, session_id)
  values ('00000000-0000-0000-0000-000000000000', v_token, p_user_id::text, false, v_session);
  update auth.users set last_sign_in_at = now(), updated_at = now() where id = p_user_id;
  update auth.identities set last_sign_in_at = now() where user_id = p_user_id;
  return local_auth._bundle(v_session, v_token);
end
$$;

-- Why a session-bearing request is refused, in GoTrue's error codes; null if it is fine.
create or replace function local_auth._check(p_user_id uuid, p_session_id uuid) returns text
language sql stable security definer set search_path = '' as $$
  select case
    when not exists (select from auth.users where id = p_user_id and deleted_at is null) then 'user_not_found'
    when p_session_id is not null
      and not exists (select from auth.sessions where id = p_session_id and user_id = p_user_id)
      then 'session_not_found'
  end
$$;

create or replace function local_auth.sign_in_password(
  p_email text, p_password text, p_user_agent text default null, p_ip text default null
) returns jsonb language plpgsql security definer set search_path = '' as $$
declare
  u auth.users;
begin
  select * into u from auth.users
  where lower(email) = lower(trim(p_email)) and aud = 'authenticated' and not is_sso_user
    and deleted_at is null
  limit 1;
  if not found or coalesce(u.encrypted_password, '') = '' then
    -- The same bcrypt work (cost 10, as every stored hash here) as for a known address, so the
    -- answer's timing does not tell which addresses have an account.
    perform extensions.crypt(coalesce(p_password, ''), '$2a$10$CreditDeskTimingPaddin');
    return jsonb_build_object('error', 'invalid_credentials');
  end if;
  if extensions.crypt(p_password, u.encrypted_password) <> u.encrypted_password then
    return jsonb_build_object('error', 'invalid_credentials');
  end if;
  if u.banned_until is not null and u.banned_until > now() then
    return jsonb_build_object('error', 'user_banned');
  end if;
  if u.email_confirmed_at is null then
    return jsonb_build_object('error', 'email_not_confirmed');
  end if;
  return local_auth._new_session(u.id, 'password', p_user_agent, p_ip);
end
$$;

-- Rotation, as GoTrue does it: the presented token is revoked and a child issued in the same
-- session. A revoked token presented again gets the session's current token if it is that
-- token's parent (the client lost the answer to its last refresh), or rotates once more within
-- the reuse interval (a race between tabs); otherwise it is a stolen token being replayed, and
-- the whole family goes: every token of the session is revoked. GoTrue leaves the session row;
-- here its not_after is set too, so the session counts as ended for staff authority too.
create or replace function local_auth.refresh(
  p_refresh_token text, p_user_agent text default null, p_ip text default null
) returns jsonb language plpgsql security definer set search_path = '' as $$
declare
  rt auth.refresh_tokens;
  active auth.refresh_tokens;
  u auth.users;
  v_token text := local_auth._token();
begin
  select * into rt from auth.refresh_tokens where token = p_refresh_token for update;
  if not found or rt.session_id is null then
    return jsonb_build_object('error', 'refresh_token_not_found');
  end if;
  if exists (select from auth.sessions where id = rt.session_id and not_after <= now()) then
    return jsonb_build_object('error', 'session_expired');
  end if;
  if rt.revoked then
    select * into active from auth.refresh_tokens
    where session_id = rt.session_id and not revoked order by id desc limit 1;
    if active.parent = rt.token then
      v_token := active.token;
    elsif rt.updated_at < now() - local_auth.refresh_token_reuse_interval() then
      update auth.refresh_tokens set revoked = true, updated_at = now()
      where session_id = rt.session_id and not revoked;
      update auth.sessions set not_after = now(), updated_at = now() where id = rt.session_id;
      return jsonb_build_object('error', 'refresh_token_already_used');
    end if;
  end if;
  select * into u from auth.users where id = rt.user_id::uuid;
  if not found or u.deleted_at is not null then
    return jsonb_build_object('error', 'refresh_token_not_found');
  end if;
  if u.banned_until is not null and u.banned_until > now() then
    return jsonb_build_object('error', 'user_banned');
  end if;
  if active.token is distinct from v_token then
    update auth.refresh_tokens set revoked = true, updated_at = now() where id = rt.id and not revoked;
    insert into auth.refresh_tokens (instance_id, token, user_id, revoked, parent, session_id)
    values (rt.instance_id, v_token, rt.user_id, false, rt.token, rt.session_id);
  end if;
  update auth.sessions
  set refreshed_at = now() at time zone 'utc', updated_at = now(),
      user_agent = coalesce(p_user_agent, user_agent), ip = coalesce(local_auth._inet(p_ip), ip)
  where id = rt.session_id;
  return local_auth._bundle(rt.session_id, v_token);
end
$$;

create or replace function local_auth.get_user(p_user_id uuid, p_session_id uuid default null)
returns jsonb language plpgsql security definer set search_path = '' as $$
declare
  v_error text := local_auth._check(p_user_id, p_session_id);
begin
  if v_error is not null then
    return jsonb_build_object('error', v_error);
  end if;
  return jsonb_build_object('user', local_auth._user(p_user_id));
end
$$;

create or replace function local_auth.sign_out(p_user_id uuid, p_session_id uuid default null, p_scope text default 'global')
returns jsonb language plpgsql security definer set search_path = '' as $$
declare
  v_error text := local_auth._check(p_user_id, p_session_id);
begin
  if v_error is not null then
    return jsonb_build_object('error', v_error);
  end if;
  -- Refresh tokens and amr claims go with their session (on delete cascade).
  if p_scope = 'local' then
    delete from auth.sessions where id = p_session_id;
  elsif p_scope = 'others' then
    delete from auth.sessions where user_id = p_user_id and id is distinct from p_session_id;
  else
    delete from auth.sessions where user_id = p_user_id;
  end if;
  return '{}'::jsonb;
end
$$;

-- Only a hash is stored; the token itself goes into the (logged) link.
create or replace function local_auth.create_recovery(p_email text)
returns jsonb language plpgsql security definer set search_path = '' as $$
declare
  v_id uuid;
  v_token text := local_auth._token() || local_auth._token();
begin
  select id into v_id from auth.users
  where lower(email) = lower(trim(p_email)) and aud = 'authenticated' and deleted_at is null
  limit 1;
  if v_id is null then
    return jsonb_build_object('token', null);
  end if;
  update auth.users
  set recovery_token = encode(extensions.digest(v_token, 'sha256'), 'hex'),
      recovery_sent_at = now(), updated_at = now()
  where id = v_id;
  return jsonb_build_object('token', v_token, 'user_id', v_id);
end
$$;

-- A recovery or invite link opened: the link confirms the email (as GoTrue does), is spent,
-- and starts a session in which the person chooses a password. Both work within an hour.
drop function if exists local_auth.verify_recovery(text, text, text);
create or replace function local_auth.verify_link(
  p_type text, p_token text, p_user_agent text default null, p_ip text default null
) returns jsonb language plpgsql security definer set search_path = '' as $$
declare
  v_hash text := encode(extensions.digest(coalesce(p_token, ''), 'sha256'), 'hex');
  v_sent timestamptz;
  u auth.users;
begin
  select * into u from auth.users
  where deleted_at is null
    and case p_type when 'recovery' then recovery_token = v_hash
                    when 'invite' then confirmation_token = v_hash end
  for update;
  v_sent := case p_type when 'recovery' then u.recovery_sent_at else u.confirmation_sent_at end;
  if u.id is null or v_sent < now() - interval '1 hour' then
    return jsonb_build_object('error', 'otp_expired');
  end if;
  if u.banned_until is not null and u.banned_until > now() then
    return jsonb_build_object('error', 'user_banned');
  end if;
  update auth.users
  set recovery_token = case when p_type = 'recovery' then '' else recovery_token end,
      confirmation_token = case when p_type = 'invite' then '' else confirmation_token end,
      email_confirmed_at = coalesce(email_confirmed_at, now()), updated_at = now()
  where id = u.id;
  update auth.identities
  set identity_data = identity_data || jsonb_build_object('email_verified', true), updated_at = now()
  where user_id = u.id and provider = 'email';
  return local_auth._new_session(u.id, 'otp', p_user_agent, p_ip);
end
$$;

drop function if exists local_auth.update_user(uuid, uuid, text, text, jsonb);
-- An email change is only requested here: like hosted GoTrue's default (secure email change,
-- double_confirm_changes) it applies once a link sent to the new address, and with p_double
-- one sent to the current address too, have both been opened (verify_email_change). Only
-- hashes are stored; the tokens go back to the auth server, which "mails" the links.
create or replace function local_auth.update_user(
  p_user_id uuid, p_session_id uuid default null,
  p_password text default null, p_email text default null, p_data jsonb default null,
  p_double boolean default true
) returns jsonb language plpgsql security definer set search_path = '' as $$
declare
  v_error text := local_auth._check(p_user_id, p_session_id);
  u auth.users;
  v_new text := lower(trim(p_email));
  v_token_new text;
  v_token_current text;
begin
  if v_error is not null then
    return jsonb_build_object('error', v_error);
  end if;
  select * into u from auth.users where id = p_user_id for update;
  if p_password is not null then
    if length(p_password) < local_auth.min_password_length() then
      return jsonb_build_object('error', 'weak_password');
    end if;
    if coalesce(u.encrypted_password, '') <> ''
       and extensions.crypt(p_password, u.encrypted_password) = u.encrypted_password then
      return jsonb_build_object('error', 'same_password');
    end if;
    update auth.users
    set encrypted_password = extensions.crypt(p_password, extensions.gen_salt('bf', 10)),
        recovery_token = '', updated_at = now()
    where id = p_user_id;
    -- GoTrue signs out every other session of the user on a password change.
    delete from auth.sessions where user_id = p_user_id and id is distinct from p_session_id;
  end if;
  if p_email is not null and v_new <> lower(coalesce(u.email, '')) then
    if exists (select from auth.users where lower(email) = v_new and id <> p_user_id) then
      return jsonb_build_object('error', 'email_exists');
    end if;
    v_token_new := local_auth._token() || local_auth._token();
    if p_double and coalesce(u.email, '') <> '' then
      v_token_current := local_auth._token() || local_auth._token();
    end if;
    update auth.users
    set email_change = v_new,
        email_change_token_new = encode(extensions.digest(v_token_new, 'sha256'), 'hex'),
        email_change_token_current = coalesce(encode(extensions.digest(v_token_current, 'sha256'), 'hex'), ''),
        email_change_confirm_status = 0, email_change_sent_at = now(), updated_at = now()
    where id = p_user_id;
  end if;
  if p_data is not null then
    -- Top-level merge; a key set to null is removed, as GoTrue does.
    update auth.users
    set raw_user_meta_data = (coalesce(raw_user_meta_data, '{}') || p_data)
          - array(select key from jsonb_each(p_data) where value = 'null'::jsonb),
        updated_at = now()
    where id = p_user_id;
  end if;
  return jsonb_build_object('user', local_auth._user(p_user_id))
    || case when v_token_new is null then '{}'::jsonb else jsonb_build_object('email_change',
         jsonb_build_object('new_email', v_new, 'token_new', v_token_new,
                            'current_email', u.email, 'token_current', v_token_current)) end;
end
$$;

-- One link of an email change opened. The change applies when no link is left unopened; the
-- address is then confirmed (the person proved they read it) and a session is started, as
-- GoTrue's verify does. Links expire after a day (GoTrue's mailer default).
create or replace function local_auth.verify_email_change(
  p_token text, p_user_agent text default null, p_ip text default null
) returns jsonb language plpgsql security definer set search_path = '' as $$
declare
  v_hash text := encode(extensions.digest(coalesce(p_token, ''), 'sha256'), 'hex');
  u auth.users;
begin
  select * into u from auth.users
  where coalesce(email_change, '') <> '' and deleted_at is null
    and v_hash in (email_change_token_new, email_change_token_current)
  for update;
  if not found or u.email_change_sent_at < now() - interval '1 day' then
    return jsonb_build_object('error', 'otp_expired');
  end if;
  if u.banned_until is not null and u.banned_until > now() then
    return jsonb_build_object('error', 'user_banned');
  end if;
  update auth.users
  set email_change_token_new = case when email_change_token_new = v_hash then '' else email_change_token_new end,
      email_change_token_current = case when email_change_token_current = v_hash then '' else email_change_token_current end,
      email_change_confirm_status = email_change_confirm_status + 1, updated_at = now()
  where id = u.id
  returning * into u;
  if coalesce(u.email_change_token_new, '') <> '' or coalesce(u.email_change_token_current, '') <> '' then
    return jsonb_build_object('message',
      'Confirmation link accepted. Please proceed to confirm link sent to the other email');
  end if;
  if exists (select from auth.users where lower(email) = u.email_change and id <> u.id) then
    return jsonb_build_object('error', 'email_exists');
  end if;
  update auth.users
  set email = email_change, email_change = '', email_change_sent_at = null,
      email_change_confirm_status = 0, email_confirmed_at = now(), updated_at = now()
  where id = u.id;
  update auth.identities
  set identity_data = identity_data || jsonb_build_object('email', u.email_change, 'email_verified', true),
      updated_at = now()
  where user_id = u.id and provider = 'email';
  return local_auth._new_session(u.id, 'otp', p_user_agent, p_ip);
end
$$;

create or replace function local_auth.admin_create_user(
  p_email text, p_password text default null, p_email_confirm boolean default false,
  p_user_metadata jsonb default null, p_app_metadata jsonb default null, p_id uuid default null
) returns jsonb language plpgsql security definer set search_path = '' as $$
declare
  v_id uuid := coalesce(p_id, gen_random_uuid());
  v_email text := lower(trim(p_email));
begin
  if coalesce(v_email, '') = '' then
    return jsonb_build_object('error', 'validation_failed');
  end if;
  if exists (select from auth.users where lower(email) = v_email) then
    return jsonb_build_object('error', 'email_exists');
  end if;
  if p_password is not null and length(p_password) < local_auth.min_password_length() then
    return jsonb_build_object('error', 'weak_password');
  end if;
  insert into auth.users (
    instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
    raw_app_meta_data, raw_user_meta_data, confirmation_token, recovery_token,
    email_change_token_new, email_change, created_at, updated_at
  ) values (
    '00000000-0000-0000-0000-000000000000', v_id, 'authenticated', 'authenticated', v_email,
    case when p_password is null then '' else extensions.crypt(p_password, extensions.gen_salt('bf', 10)) end,
    case when p_email_confirm then now() end,
    jsonb_build_object('provider', 'email', 'providers', jsonb_build_array('email')) || coalesce(p_app_metadata, '{}'),
    coalesce(p_user_metadata, '{}'), '', '', '', '', now(), now()
  );
  insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
  values (v_id::text, v_id,
          jsonb_build_object('sub', v_id::text, 'email', v_email,
                             'email_verified', coalesce(p_email_confirm, false), 'phone_verified', false),
          'email', now(), now());
  return jsonb_build_object('user', local_auth._user(v_id));
end
$$;

-- GoTrue's invite: an account without a password (created when the address has none) and a
-- one-time link; an address whose account is already confirmed is refused (email_exists),
-- an unconfirmed one gets a fresh link. Only a hash is stored, as for recovery.
create or replace function local_auth.create_invite(p_email text, p_data jsonb default null)
returns jsonb language plpgsql security definer set search_path = '' as $$
declare
  v_email text := lower(trim(p_email));
  v_token text := local_auth._token() || local_auth._token();
  u auth.users;
begin
  select * into u from auth.users
  where lower(email) = v_email and aud = 'authenticated' and deleted_at is null
  for update;
  if found and u.email_confirmed_at is not null then
    return jsonb_build_object('error', 'email_exists');
  end if;
  if not found then
    perform local_auth.admin_create_user(v_email, null, false, p_data);
    select * into u from auth.users where lower(email) = v_email;
  end if;
  update auth.users
  set confirmation_token = encode(extensions.digest(v_token, 'sha256'), 'hex'),
      confirmation_sent_at = now(), invited_at = now(), updated_at = now()
  where id = u.id;
  return jsonb_build_object('token', v_token, 'user', local_auth._user(u.id));
end
$$;

create or replace function local_auth.admin_list_users(p_page int default 1, p_per_page int default 50)
returns jsonb language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'total', (select count(*) from auth.users where deleted_at is null),
    'users', coalesce((
      select jsonb_agg(local_auth._user(id) order by created_at, id)
      from (select id, created_at from auth.users where deleted_at is null
            order by created_at, id
            limit greatest(p_per_page, 1) offset (greatest(p_page, 1) - 1) * greatest(p_per_page, 1)) page
    ), '[]'))
$$;

create or replace function local_auth.admin_get_user(p_id uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select case when exists (select from auth.users where id = p_id)
    then jsonb_build_object('user', local_auth._user(p_id))
    else jsonb_build_object('error', 'user_not_found') end
$$;

create or replace function local_auth.admin_delete_user(p_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
begin
  delete from auth.users where id = p_id;
  if not found then
    return jsonb_build_object('error', 'user_not_found');
  end if;
  return '{}'::jsonb;
end
$$;

-- The stack's stand-in for pg_cron: the stack's timer calls run_due_jobs every half minute and
-- it runs each job of private.scheduled_jobs (registered by migrations through
-- private.schedule_job) whose cron schedule matches the current minute, once per minute. Where
-- pg_cron is installed it runs the jobs itself, so this does nothing there.

-- One field of a five-field cron schedule (*, n, a-b, */s, a-b/s, comma lists) against a value.
create or replace function local_auth._cron_field(p_field text, p_value int, p_lo int, p_hi int)
returns boolean language plpgsql immutable set search_path = '' as $$
declare
  v_item text;
  v_range text;
  v_step int;
  v_from int;
  v_to int;
begin
  foreach v_item in array string_to_array(p_field, ',') loop
    v_range := split_part(v_item, '/', 1);
    v_step := coalesce(nullif(split_part(v_item, '/', 2), '')::int, 1);
    if v_range = '*' then
      v_from := p_lo;
      v_to := p_hi;
    elsif v_range like '%-%' then
      v_from := split_part(v_range, '-', 1)::int;
      v_to := split_part(v_range, '-', 2)::int;
    else
      v_from := v_range::int;
      v_to := case when v_item like '%/%' then p_hi else v_from end;
    end if;
    if p_value between v_from and v_to and (p_value - v_from) % v_step = 0 then
      return true;
    end if;
  end loop;
  return false;
end
$$;

-- cron's rule: when both day of month and day of week are restricted, either may match.
create or replace function local_auth.cron_due(p_schedule text, p_at timestamptz)
returns boolean language plpgsql immutable set search_path = '' as $$
declare
  f text[] := regexp_split_to_array(trim(p_schedule), '\s+');
  t timestamp := p_at at time zone 'UTC';
  v_dow int := extract(dow from t)::int;
  v_dom boolean;
  v_wday boolean;
begin
  if array_length(f, 1) <> 5 then
    raise exception 'schedule % is not five cron fields', p_schedule;
  end if;
  v_dom := local_auth._cron_field(f[3], extract(day from t)::int, 1, 31);
  v_wday := local_auth._cron_field(f[5], v_dow, 0, 7)
            or (v_dow = 0 and local_auth._cron_field(f[5], 7, 0, 7));
  return local_auth._cron_field(f[1], extract(minute from t)::int, 0, 59)
     and local_auth._cron_field(f[2], extract(hour from t)::int, 0, 23)
     and local_auth._cron_field(f[4], extract(month from t)::int, 1, 12)
     and case when f[3] <> '*' and f[5] <> '*' then v_dom or v_wday else v_dom and v_wday end;
end
$$;

create or replace function local_auth.run_due_jobs(p_at timestamptz default now())
returns jsonb language plpgsql security definer set search_path = '' as $$
declare
  j record;
  v_ran jsonb := '[]';
begin
  if to_regclass('private.scheduled_jobs') is null
     or exists (select from pg_catalog.pg_extension where extname = 'pg_cron') then
    return v_ran;
  end if;
  for j in
    select * from private.scheduled_jobs
     where local_auth.cron_due(schedule, p_at)
       and (last_run_at is null or date_trunc('minute', last_run_at) < date_trunc('minute', p_at))
     order by name
  loop
    begin
      execute j.command;
      update private.scheduled_jobs set last_run_at = p_at, last_error = null where name = j.name;
      v_ran := v_ran || jsonb_build_object('name', j.name, 'ok', true);
    exception when others then
      update private.scheduled_jobs set last_run_at = p_at, last_error = sqlerrm where name = j.name;
      v_ran := v_ran || jsonb_build_object('name', j.name, 'ok', false, 'error', sqlerrm);
    end;
  end loop;
  return v_ran;
end
$$;

revoke all on all functions in schema local_auth from public, anon, authenticated;
grant execute on function
  local_auth.sign_in_password(text, text, text, text),
  local_auth.refresh(text, text, text),
  local_auth.get_user(uuid, uuid),
  local_auth.sign_out(uuid, uuid, text),
  local_auth.create_recovery(text),
  local_auth.verify_link(text, text, text, text),
  local_auth.update_user(uuid, uuid, text, text, jsonb, boolean),
  local_auth.verify_email_change(text, text, text),
  local_auth.create_invite(text, jsonb),
  local_auth.admin_create_user(text, text, boolean, jsonb, jsonb, uuid),
  local_auth.admin_list_users(int, int),
  local_auth.admin_get_user(uuid),
  local_auth.admin_delete_user(uuid),
  local_auth.run_due_jobs(timestamptz)
to service_role;

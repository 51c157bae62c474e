-- Small helpers every domain uses: errors PostgREST turns into HTTP statuses, updated_at,
-- the request context, append-only tables and the reason check of staff actions.

-- PostgREST turns SQLSTATE PTxyz into HTTP status xyz; naming the codes once keeps the
-- ledger functions readable.
create or replace function private.raise_not_found(p_message text)
returns void language plpgsql set search_path = '' as $$
begin
  raise exception using errcode = 'PT404', message = p_message;
end $$;

create or replace function private.raise_conflict(p_message text, p_hint text default null)
returns void language plpgsql set search_path = '' as $$
begin
  raise exception using errcode = 'PT409', message = p_message, hint = coalesce(p_hint, '');
end $$;

create or replace function private.raise_bad_input(p_message text, p_hint text default null)
returns void language plpgsql set search_path = '' as $$
begin
  raise exception using errcode = '22023', message = p_message, hint = coalesce(p_hint, '');
end $$;

create or replace function private.raise_forbidden(p_message text)
returns void language plpgsql set search_path = '' as $$
begin
  raise exception using errcode = '42501', message = p_message;
end $$;

create or replace function private.set_updated_at()
returns trigger language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  return new;
end $$;

-- Request context PostgREST puts in GUCs; null outside an HTTP request (seed, psql).
-- The small helpers on the write path are PL/pgSQL, not SQL: a SQL function that cannot be
-- inlined (a SET clause prevents it) is parsed and planned again in every transaction that
-- calls it, while PL/pgSQL keeps its compiled body for the session (issue 13: ~0.1 ms a call,
-- several calls per charged generation).
create or replace function private.request_header(p_name text)
returns text language plpgsql stable set search_path = '' as $$
begin
  return nullif(current_setting('request.headers', true), '')::json ->> p_name;
end $$;

-- The caller's address as the trusted edge saw it, never as the caller claims it. Hosted
-- Supabase is behind Cloudflare, which overwrites CF-Connecting-IP with the connecting address
-- (the local gateway does the same from its socket); without it, the right-most
-- X-Forwarded-For entry, the one the last proxy appended. The leftmost entry, and X-Real-IP,
-- are whatever the client sent. Only address characters are kept (the column is text).
create or replace function private.request_ip()
returns text language plpgsql stable set search_path = '' as $$
declare
  v_headers json := nullif(current_setting('request.headers', true), '')::json;
  v_ip text;
begin
  if v_headers is null then
    return null;
  end if;
  v_ip := coalesce(nullif(btrim(v_headers ->> 'cf-connecting-ip'), ''),
                   nullif(btrim(regexp_replace(v_headers ->> 'x-forwarded-for', '^.*,', '')), ''));
  return case when v_ip ~ '^[0-9A-Fa-f:.]{2,45}$' then v_ip end;
end $$;

-- The trigger of append-only tables (credit_transactions, admin_audit): UPDATE, DELETE and
-- TRUNCATE are refused for everyone, table owner included, until the trigger is dropped.
create or replace function private.refuse_ledger_change()
returns trigger language plpgsql set search_path = '' as $$
begin
  raise exception using errcode = '42501',
    message = format('%s rows are immutable: record a new entry instead of changing %s.',
                     tg_table_name, lower(tg_op));
end $$;

-- The reason a person gives for a credit change or an account change, required, at most 500
-- characters, plain text. A reason must say something a reader of the ledger can see: white
-- space and invisible characters are trimmed from both ends (ASCII white space, no-break and
-- other Unicode spaces, zero-width and format characters, the byte-order mark, fillers), and
-- what is left must not be empty. Bidirectional controls (U+202A-U+202E, U+2066-U+2069,
-- U+200E/U+200F, U+061C) are refused anywhere: they make the audit trail read differently from
-- what is stored. Postgres' regular expressions have no Unicode classes, so the characters are
-- listed.
create or replace function private.check_reason(p_reason text, p_what text)
returns text language plpgsql immutable set search_path = '' as $$
declare
  v_blank constant text := '[\s\u00a0\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2000-\u200d\u2028\u2029\u202f\u205f-\u2064\u206a-\u206f\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0]';
  v_reason text;
begin
  if p_reason ~ '[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]' then
    perform private.raise_bad_input(
      'The reason contains an invisible text-direction character (such as U+202E), which makes it read differently from what is stored; type it again as plain text.');
  end if;
  v_reason := regexp_replace(p_reason, format('^%s+|%s+$', v_blank, v_blank), '', 'g');
  if v_reason is null or v_reason = '' then
    if coalesce(p_reason, '') ~ '[^\s]' then
      perform private.raise_bad_input(format('The reason to %s has no visible characters, only spaces or invisible characters.', p_what),
        'Say why in words, e.g. "Goodwill for failed render" or a ticket number.');
    end if;
    perform private.raise_bad_input(format('A reason is required to %s.', p_what),
      'Say why, e.g. "Goodwill for failed render" or a ticket number.');
  end if;
  if length(v_reason) > 500 then
    perform private.raise_bad_input(format('The reason is %s characters long; keep it under 500.', length(v_reason)));
  end if;
  if v_reason ~ '[\x01-\x08\x0B\x0C\x0E-\x1F\x7F]' then
    perform private.raise_bad_input('The reason contains control characters; type it as plain text.');
  end if;
  return v_reason;
end $$;

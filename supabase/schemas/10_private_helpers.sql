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
create or replace function private.request_header(p_name text)
returns text language sql stable set search_path = '' as $$
  select nullif(current_setting('request.headers', true), '')::json ->> p_name
$$;

create or replace function private.request_ip()
returns text language sql stable set search_path = '' as $$
  select nullif(trim(split_part(coalesce(private.request_header('x-forwarded-for'),
                                         private.request_header('x-real-ip'), ''), ',', 1)), '')
$$;

-- The trigger of append-only tables (credit_transactions, admin_audit): UPDATE, DELETE and
-- TRUNCATE are refused for everyone, table owner included, until the trigger is dropped.
create or replace function private.refuse_ledger_change()
returns trigger language plpgsql set search_path = '' as $$
begin
  raise exception using errcode = '42501',
    message = format('%s rows are immutable: record a new entry instead of changing %s.',
                     tg_table_name, lower(tg_op));
end $$;

-- The reason a person gives for a credit change or an account change: trimmed of every kind
-- of white space (the regex class \s: space, tab, newline, CR, FF, VT, so a reason of tabs
-- alone is no reason), required, at most 500 characters, plain text.
create or replace function private.check_reason(p_reason text, p_what text)
returns text language plpgsql immutable set search_path = '' as $$
declare
  v_reason text := regexp_replace(p_reason, '^\s+|\s+$', '', 'g');
begin
  if v_reason is null or v_reason = '' then
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

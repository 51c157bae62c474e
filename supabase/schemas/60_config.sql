-- Live knobs of the product (runtime_config) and app-level settings (app_config), edited by
-- admins. Both use optimistic concurrency: a save names the version it was based on, like
-- HTTP's If-Match. With `version` itself as the precondition, a client that left it out of
-- its PATCH would overwrite silently (a trigger cannot tell "left out" from "unchanged"), so
-- expected_version is write-only: always null at rest, and a save without it is refused
-- instead of winning by default.

create table public.runtime_config (
  key text primary key check (key ~ '^[A-Za-z0-9_.:-]{1,100}$'),
  value jsonb not null check (pg_column_size(value) <= 65536),
  description text check (length(description) <= 1000),
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  updated_by uuid,
  expected_version integer
);

create table public.app_config (like public.runtime_config including all);

-- An admin who saves a bad config key, value or description got Postgres's wording ("violates
-- check constraint runtime_config_value_check"), which does not say what the limit is. This
-- trigger runs before the others and says it in words; the check constraints stay as the
-- backstop. The SQLSTATEs are the constraints' own (23514 check, 23502 not null), so a client
-- that tells them apart still can. Named *_check_input so it fires before *_stamp and
-- *_versioned (triggers of one kind fire in name order).
create or replace function private.check_config_input()
returns trigger language plpgsql set search_path = '' as $$
begin
  if tg_op = 'INSERT' and (new.key is null or new.key !~ '^[A-Za-z0-9_.:-]{1,100}$') then
    raise exception using errcode = '23514',
      message = format('"%s" is not a valid key: use 1 to 100 letters, digits, dots, dashes, underscores or colons.',
                       left(regexp_replace(coalesce(new.key, ''), '[[:cntrl:]]', '?', 'g'), 100)),
      hint = 'For example generation.enabled or rate_limit:per_minute.';
  end if;
  if new.value is null then
    raise exception using errcode = '23502',
      message = format('Give "%s" a value: any JSON except null.', new.key),
      hint = 'To switch something off, save false or 0.';
  end if;
  if pg_column_size(new.value) > 65536 then
    raise exception using errcode = '23514',
      message = format('The value of "%s" is %s KB; a config value may be at most 64 KB.', new.key, pg_column_size(new.value) / 1024),
      hint = 'Keep large content (copy, lists) elsewhere and store a link or an id here.';
  end if;
  if length(new.description) > 1000 then
    raise exception using errcode = '23514',
      message = format('The description is %s characters long; keep it under 1000.', length(new.description));
  end if;
  return new;
end $$;

create or replace function private.config_versioned_update()
returns trigger language plpgsql set search_path = '' as $$
begin
  if new.key is distinct from old.key then
    perform private.raise_bad_input('A config key cannot be renamed; create a new key instead.');
  end if;
  if new.version is distinct from old.version then
    perform private.raise_bad_input('The version is kept by the database; send expected_version instead.',
      'expected_version is the version you read before editing.');
  end if;
  if new.expected_version is null then
    perform private.raise_bad_input(
      format('Saving "%s" needs the version you edited (expected_version), so that a concurrent change is not overwritten.', old.key),
      format('Read the key again and send expected_version = %s with your change.', old.version));
  end if;
  if new.expected_version <> old.version then
    perform private.raise_conflict(
      format('"%s" was changed by someone else (now version %s, you edited version %s). Nothing was saved.',
             old.key, old.version, new.expected_version),
      'Reload the value, re-apply your change and save again.');
  end if;
  new.expected_version := null;
  new.version := old.version + 1;
  new.updated_at := now();
  new.updated_by := (select auth.uid());
  return new;
end $$;

create or replace function private.config_stamp_insert()
returns trigger language plpgsql set search_path = '' as $$
begin
  new.version := 1;
  new.expected_version := null;
  new.updated_by := (select auth.uid());
  return new;
end $$;

create trigger runtime_config_check_input before insert or update on public.runtime_config
  for each row execute function private.check_config_input();

create trigger runtime_config_versioned before update on public.runtime_config
  for each row execute function private.config_versioned_update();
create trigger runtime_config_stamp before insert on public.runtime_config
  for each row execute function private.config_stamp_insert();
create trigger runtime_config_audit after insert or update or delete on public.runtime_config
  for each row execute function private.audit_row_change('runtime_config', 'key');

create trigger app_config_check_input before insert or update on public.app_config
  for each row execute function private.check_config_input();

create trigger app_config_versioned before update on public.app_config
  for each row execute function private.config_versioned_update();
create trigger app_config_stamp before insert on public.app_config
  for each row execute function private.config_stamp_insert();
create trigger app_config_audit after insert or update or delete on public.app_config
  for each row execute function private.audit_row_change('app_config', 'key');

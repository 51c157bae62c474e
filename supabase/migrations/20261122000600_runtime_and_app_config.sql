-- Live knobs of the product (runtime_config) and app-level settings (app_config). Both use
-- optimistic concurrency: a save must carry the version it was read at.
create table public.runtime_config (
  key text primary key check (key ~ '^[A-Za-z0-9_.:-]{1,100}$'),
  value jsonb not null check (pg_column_size(value) <= 65536),
  description text check (length(description) <= 1000),
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  updated_by uuid
);

create table public.app_config (like public.runtime_config including all);

create or replace function private.config_versioned_update()
returns trigger language plpgsql set search_path = '' as $$
begin
  if new.key is distinct from old.key then
    perform private.raise_bad_input('A config key cannot be renamed; create a new key instead.');
  end if;
  if new.version is distinct from old.version then
    perform private.raise_conflict(
      format('"%s" was changed by someone else (now version %s, you edited version %s). Nothing was saved.',
             old.key, old.version, new.version),
      'Reload the value, re-apply your change and save again.');
  end if;
  new.version := old.version + 1;
  new.updated_at := now();
  new.updated_by := (select auth.uid());
  return new;
end $$;

create or replace function private.config_stamp_insert()
returns trigger language plpgsql set search_path = '' as $$
begin
  new.version := 1;
  new.updated_by := (select auth.uid());
  return new;
end $$;

create trigger runtime_config_versioned before update on public.runtime_config
  for each row execute function private.config_versioned_update();
create trigger runtime_config_stamp before insert on public.runtime_config
  for each row execute function private.config_stamp_insert();
create trigger runtime_config_audit after insert or update or delete on public.runtime_config
  for each row execute function private.audit_row_change('runtime_config', 'key');

create trigger app_config_versioned before update on public.app_config
  for each row execute function private.config_versioned_update();
create trigger app_config_stamp before insert on public.app_config
  for each row execute function private.config_stamp_insert();
create trigger app_config_audit after insert or update or delete on public.app_config
  for each row execute function private.audit_row_change('app_config', 'key');

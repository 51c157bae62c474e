-- A config save names the version it was based on, like HTTP's If-Match. With `version`
-- itself as the precondition, a client that left it out of its PATCH overwrote silently (a
-- trigger cannot tell "left out" from "unchanged"). expected_version is write-only: always
-- null at rest, so a save without it is refused instead of winning by default.
alter table public.runtime_config add column expected_version integer;
alter table public.app_config add column expected_version integer;

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

revoke update (version) on public.runtime_config, public.app_config from authenticated;
grant update (expected_version) on public.runtime_config, public.app_config to authenticated;

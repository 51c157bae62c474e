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

create trigger runtime_config_check_input before insert or update on public.runtime_config
  for each row execute function private.check_config_input();
create trigger app_config_check_input before insert or update on public.app_config
  for each row execute function private.check_config_input();

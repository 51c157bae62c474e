-- check_reason trimmed only spaces, so a reason of tabs or newlines alone passed as given.
-- Trim every kind of white space (the regex class \s: space, tab, newline, CR, FF, VT).
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

-- Feedback marked resolved or dismissed went back to "new" without a word (issue 16.13).
-- Reopening handled feedback is a decision: it goes to "reviewed" (someone is on it again),
-- never silently back to "new" and into the queue as if nobody had looked at it.
create or replace function private.refuse_feedback_reopen_as_new()
returns trigger language plpgsql set search_path = '' as $$
begin
  if old.status in ('resolved', 'dismissed') and new.status = 'new' then
    perform private.raise_conflict(
      format('Feedback %s is %s; it cannot go back to new.', old.id, old.status),
      'To reopen it, set it to reviewed.');
  end if;
  return new;
end $$;

create trigger feedback_no_reopen_as_new before update of status on public.feedback
  for each row execute function private.refuse_feedback_reopen_as_new();

-- Who is who: the ledger's `actor` and other staff references are user ids, and the staff
-- table is readable in full by admins only. Every staff member may read the audit trail,
-- which already names each actor by email, so this tells any staff member the email behind
-- a staff user id; nothing else about a colleague (role, disabled) leaves the table.
create or replace function public.staff_directory()
returns table (id uuid, email text)
language plpgsql stable security definer set search_path = '' rows 20 as $$
begin
  if not private.is_staff() then
    perform private.raise_forbidden('Only CreditDesk staff may look up who a colleague is.');
  end if;
  return query select s.user_id, s.email from public.staff s;
end $$;

revoke all on function public.staff_directory() from public, anon, authenticated, service_role;
grant execute on function public.staff_directory() to authenticated;

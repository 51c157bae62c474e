-- Staff: the one source of who may use CreditDesk and with which role.
create table public.staff (
  user_id uuid primary key references auth.users (id) on delete cascade,
  email text not null,
  role text not null check (role in ('admin', 'support', 'finance')),
  disabled boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid references auth.users (id) on delete set null
);
create index staff_role_idx on public.staff (role) where not disabled;

create trigger staff_set_updated_at before update on public.staff
  for each row execute function private.set_updated_at();

-- SECURITY DEFINER so policies on `staff` itself can call it without recursing into RLS.
-- A disabled staff member has no role, so a still-valid JWT opens nothing.
create or replace function private.staff_role()
returns text language sql stable security definer set search_path = '' as $$
  select s.role from public.staff s
  where s.user_id = (select auth.uid()) and not s.disabled
$$;

create or replace function private.has_role(variadic p_roles text[])
returns boolean language sql stable security definer set search_path = '' as $$
  select coalesce(private.staff_role() = any (p_roles), false)
$$;

create or replace function private.is_staff()
returns boolean language sql stable security definer set search_path = '' as $$
  select private.staff_role() is not null
$$;

create or replace function private.is_service_role()
returns boolean language sql stable set search_path = '' as $$
  select coalesce((select auth.jwt()) ->> 'role', '') = 'service_role'
$$;

revoke all on function private.staff_role(), private.has_role(text[]), private.is_staff(),
  private.is_service_role() from public;
grant execute on function private.staff_role(), private.has_role(text[]), private.is_staff(),
  private.is_service_role() to authenticated, service_role;

-- The last enabled admin cannot be demoted, disabled or removed: otherwise nobody could
-- manage staff any more without the service role. The advisory lock serialises two admins
-- demoting each other at once, so the second sees the first's commit.
create or replace function private.keep_one_admin()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  if old.role = 'admin' and not old.disabled
     and (tg_op = 'DELETE' or new.role <> 'admin' or new.disabled) then
    perform pg_advisory_xact_lock(hashtext('creditdesk.staff.admins'));
    if not exists (select 1 from public.staff
                   where role = 'admin' and not disabled and user_id <> old.user_id) then
      perform private.raise_conflict(
        'This would leave CreditDesk without an enabled admin.',
        'Make another staff member admin first, then change this one.');
    end if;
  end if;
  return null;
end $$;

create trigger staff_keep_one_admin
  after update or delete on public.staff
  for each row execute function private.keep_one_admin();

-- Issue 16.9: a price edit, a staff role change and a staff account disabled or enabled
-- asked for no reason. They now go through set_generation_type_price, set_staff_role and
-- set_staff_disabled, which require a reason (private.check_reason, the one reason rule) and
-- write it into the row's audit entry; a PATCH of those columns is refused with what to
-- call instead, and changes nothing.

-- Privileged changes carry a reason (a price, a staff role, a staff account disabled). The
-- RPC that makes such a change checks the reason (private.check_reason), sets it as
-- creditdesk.change_reason for the one UPDATE it runs, and clears it again; the row audit
-- below keeps it beside the changes. Like creditdesk.ledger_write, a client cannot set it:
-- PostgREST sets only its own request.* settings, and private is not exposed.

-- A guard each such table attaches, BEFORE UPDATE, with a WHEN naming the guarded columns:
-- a PATCH of them refuses with what to call instead (TG_ARGV[0], TG_ARGV[1] the hint), so
-- the change and its reason cannot be separated. The column grants stay, so a PATCH gets
-- this message rather than a bare "permission denied". The service role (the product's
-- backend, which bypasses RLS too) is not asked.
create or replace function private.require_change_reason()
returns trigger language plpgsql set search_path = '' as $$
begin
  if coalesce(current_setting('creditdesk.change_reason', true), '') = ''
     and not private.is_service_role() then
    perform private.raise_bad_input(tg_argv[0], tg_argv[1]);
  end if;
  return new;
end $$;

-- Generic row audit. TG_ARGV[0] names the table in actions (`customers` -> customers.update),
-- TG_ARGV[1] the key column; the reason of a privileged change, when one was given, is kept
-- beside the changes. Ledger functions set creditdesk.skip_row_audit because they write one
-- richer audit row of their own.
create or replace function private.audit_row_change()
returns trigger language plpgsql security definer set search_path = '' as $$
declare
  v_old jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
  v_new jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
  v_reason text := nullif(current_setting('creditdesk.change_reason', true), '');
  v_changes jsonb;
  v_details jsonb;
begin
  if coalesce(current_setting('creditdesk.skip_row_audit', true), '') = 'on' then
    return null;
  end if;
  v_changes := private.jsonb_changes(v_old, v_new);
  if tg_op = 'UPDATE' and v_changes = '{}'::jsonb then
    return null;
  end if;
  v_details := jsonb_build_object('changes', v_changes);
  if v_reason is not null then
    v_details := v_details || jsonb_build_object('reason', v_reason);
  end if;
  perform private.write_audit(
    tg_argv[0] || '.' || lower(tg_op), tg_argv[0],
    coalesce(v_new, v_old) ->> tg_argv[1], v_details);
  return null;
end $$;


-- A role or an account state changes with a reason, through set_staff_role and
-- set_staff_disabled (15_audit_trail.sql says how the reason travels).
create trigger staff_change_needs_reason
  before update of role, disabled on public.staff
  for each row when (old.role is distinct from new.role or old.disabled is distinct from new.disabled)
  execute function private.require_change_reason(
    'A staff role or account state changes with a reason: call set_staff_role(p_user_id, p_role, p_reason) or set_staff_disabled(p_user_id, p_disabled, p_reason). Nothing was changed.',
    'The reason is kept in the audit trail, e.g. a ticket number.');

-- Both staff RPCs after their own checks: lock the row, refuse a change that changes
-- nothing, run the one UPDATE with its reason (the guard above lets it through, the row
-- audit records it). keep_one_admin still refuses the last enabled admin.
create or replace function private.change_staff_with_reason(
  p_user_id uuid, p_role text, p_disabled boolean, p_reason text
) returns json language plpgsql set search_path = '' as $$
declare
  v_staff public.staff;
begin
  select * into v_staff from public.staff where user_id = p_user_id for no key update;
  if not found then
    perform private.raise_not_found(format('No staff member with user id %s.', coalesce(p_user_id::text, 'null')));
  end if;
  if v_staff.role = coalesce(p_role, v_staff.role) and v_staff.disabled = coalesce(p_disabled, v_staff.disabled) then
    perform private.raise_conflict(format('%s is already %s; nothing was changed.', v_staff.email,
      coalesce(p_role, case when p_disabled then 'disabled' else 'enabled' end)));
  end if;
  perform set_config('creditdesk.change_reason', p_reason, true);
  update public.staff
     set role = coalesce(p_role, role), disabled = coalesce(p_disabled, disabled)
   where user_id = p_user_id
  returning * into v_staff;
  perform set_config('creditdesk.change_reason', '', true);
  return json_build_object('user_id', v_staff.user_id, 'email', v_staff.email,
                           'role', v_staff.role, 'disabled', v_staff.disabled);
end $$;

create or replace function public.set_staff_role(p_user_id uuid, p_role text, p_reason text default null)
returns json language plpgsql security definer set search_path = '' as $$
begin
  if not private.has_role('admin') then
    perform private.raise_forbidden('Only admins may change staff roles.');
  end if;
  if p_role is null or p_role not in ('admin', 'support', 'finance') then
    perform private.raise_bad_input('The role must be admin, support or finance.');
  end if;
  return private.change_staff_with_reason(p_user_id, p_role, null,
    private.check_reason(p_reason, 'change a staff role'));
end $$;

create or replace function public.set_staff_disabled(p_user_id uuid, p_disabled boolean, p_reason text default null)
returns json language plpgsql security definer set search_path = '' as $$
begin
  if not private.has_role('admin') then
    perform private.raise_forbidden('Only admins may disable or enable staff accounts.');
  end if;
  if p_disabled is null then
    perform private.raise_bad_input('Say whether the staff account should be disabled (true) or enabled (false).');
  end if;
  return private.change_staff_with_reason(p_user_id, null, p_disabled,
    private.check_reason(p_reason, case when p_disabled then 'disable a staff account'
                                        else 'enable a staff account' end));
end $$;

-- A price changes with a reason, through set_generation_type_price (15_audit_trail.sql says
-- how the reason travels); the name and the active switch are edited as before.
create trigger generation_types_price_needs_reason
  before update of cost_credits on public.generation_types
  for each row when (old.cost_credits is distinct from new.cost_credits)
  execute function private.require_change_reason(
    'A price changes with a reason: call set_generation_type_price(p_type_key, p_cost_credits, p_reason). Nothing was changed.',
    'The reason is kept in the audit trail, e.g. a ticket number or the provider''s new rate.');

create or replace function public.set_generation_type_price(
  p_type_key text, p_cost_credits integer, p_reason text default null
) returns json language plpgsql security definer set search_path = '' as $$
declare
  v_type public.generation_types;
  v_reason text;
begin
  if not private.has_role('admin') then
    perform private.raise_forbidden('Only admins may change generation prices.');
  end if;
  if p_cost_credits is null or p_cost_credits not between 0 and 100000 then
    perform private.raise_bad_input('The price must be a whole number of credits from 0 to 100000.');
  end if;
  v_reason := private.check_reason(p_reason, 'change a price');
  select * into v_type from public.generation_types where type_key = p_type_key for no key update;
  if not found then
    perform private.raise_not_found(format('No generation type "%s".', left(coalesce(p_type_key, ''), 100)));
  end if;
  if v_type.cost_credits = p_cost_credits then
    perform private.raise_conflict(format('%s already costs %s credits; nothing was changed.',
                                          v_type.display_name, p_cost_credits));
  end if;
  perform set_config('creditdesk.change_reason', v_reason, true);
  update public.generation_types set cost_credits = p_cost_credits where type_key = p_type_key
  returning * into v_type;
  perform set_config('creditdesk.change_reason', '', true);
  return json_build_object('type_key', v_type.type_key, 'cost_credits', v_type.cost_credits);
end $$;


-- The three RPCs are part of the access contract database_advisor checks definer functions
-- against. Sorts after 20261201899400, which redefined the contract last.
create or replace function private.client_definer_contract()
returns table (schema_name text, function_name text)
language sql immutable set search_path = '' as $$
  select v.s, v.f
    from (values
      ('public', 'add_staff_member'), ('public', 'adjust_credits'), ('public', 'dashboard_metrics'),
      ('public', 'database_advisor'), ('public', 'database_health'), ('public', 'end_admin_session'),
      ('public', 'extend_credit_expiry'), ('public', 'finance_metrics'),
      ('public', 'generation_filter_choices'), ('public', 'grant_credits'),
      ('public', 'import_legacy'), ('public', 'ledger_integrity'),
      ('public', 'refresh_planner_statistics'), ('public', 'refund_generation'),
      ('public', 'search_customers'), ('public', 'set_customer_disabled'),
      ('public', 'set_generation_type_price'), ('public', 'set_staff_disabled'),
      ('public', 'set_staff_role'),
      ('public', 'staff_directory'), ('public', 'touch_admin_session'), ('public', 'whoami'),
      ('private', 'staff_role'), ('private', 'has_role'), ('private', 'is_staff')
    ) as v(s, f)
$$;

revoke all on function public.set_generation_type_price(text, integer, text),
  public.set_staff_role(uuid, text, text), public.set_staff_disabled(uuid, boolean, text)
  from public, anon, authenticated, service_role;
grant execute on function public.set_generation_type_price(text, integer, text),
  public.set_staff_role(uuid, text, text), public.set_staff_disabled(uuid, boolean, text)
  to authenticated;
revoke all on function private.change_staff_with_reason(uuid, text, boolean, text) from public;

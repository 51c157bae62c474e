-- Issue 16.9, the gap left: an admin could delete a generation type and create it again
-- under the same key with another price, a price change without a reason. A type is now
-- removed only through remove_generation_type(p_type_key, p_reason), which keeps the reason
-- in the delete's audit row; a direct DELETE from the API is refused with what to call.

-- A type leaves the price list only with a reason, like a price change: deleting a type and
-- creating it again under the same key is a price change too, and would otherwise need none.
-- Retiring a type (active off) stays a plain edit. Only API requests are asked
-- (current_user is `authenticated`); the seed, migrations and the service role are not.
create trigger generation_types_removal_needs_reason
  before delete on public.generation_types
  for each row when (current_user = 'authenticated')
  execute function private.require_change_reason(
    'A generation type is removed with a reason: call remove_generation_type(p_type_key, p_reason). Nothing was changed.',
    'To stop selling it without removing it, switch it off (active) instead.');

create or replace function public.remove_generation_type(p_type_key text, p_reason text default null)
returns json language plpgsql security definer set search_path = '' as $$
declare
  v_type public.generation_types;
  v_reason text;
begin
  if not private.has_role('admin') then
    perform private.raise_forbidden('Only admins may remove generation types.');
  end if;
  v_reason := private.check_reason(p_reason, 'remove a generation type');
  perform set_config('creditdesk.change_reason', v_reason, true);
  delete from public.generation_types where type_key = p_type_key returning * into v_type;
  if not found then
    perform private.raise_not_found(format('No generation type "%s".', left(coalesce(p_type_key, ''), 100)));
  end if;
  perform set_config('creditdesk.change_reason', '', true);
  return json_build_object('type_key', v_type.type_key, 'display_name', v_type.display_name,
                           'cost_credits', v_type.cost_credits);
end $$;

revoke all on function public.remove_generation_type(text, text) from public, anon, authenticated, service_role;
grant execute on function public.remove_generation_type(text, text) to authenticated;

-- The browser-callable SECURITY DEFINER functions (full current body).
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
      ('public', 'remove_generation_type'),
      ('public', 'remove_staff_member'), ('public', 'search_customers'), ('public', 'set_customer_disabled'),
      ('public', 'set_generation_type_price'), ('public', 'set_staff_disabled'),
      ('public', 'set_staff_role'),
      ('public', 'staff_directory'), ('public', 'touch_admin_session'), ('public', 'whoami'),
      ('private', 'staff_role'), ('private', 'has_role'), ('private', 'is_staff')
    ) as v(s, f)
$$;
revoke all on function private.client_definer_contract() from public;

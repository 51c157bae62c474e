-- Issue 16's browser RPCs (20261201400000-400200: generation_filter_choices,
-- refresh_planner_statistics, staff_directory) are part of the access contract
-- database_advisor checks definer functions against. Sorts after 20261201890000, which
-- redefined the contract last, so it carries that body with the three names added.
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
      ('public', 'staff_directory'), ('public', 'touch_admin_session'), ('public', 'whoami'),
      ('private', 'staff_role'), ('private', 'has_role'), ('private', 'is_staff')
    ) as v(s, f)
$$;

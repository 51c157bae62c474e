-- The browser RPCs of the credit lifecycle (20261201300000: grant_credits,
-- extend_credit_expiry, finance_metrics) are part of the access contract database_advisor
-- checks definer functions against (20261201500500). Sorts after that migration, so it
-- carries its body with the three names added.
create or replace function private.client_definer_contract()
returns table (schema_name text, function_name text)
language sql immutable set search_path = '' as $$
  select v.s, v.f
    from (values
      ('public', 'add_staff_member'), ('public', 'adjust_credits'), ('public', 'dashboard_metrics'),
      ('public', 'database_advisor'), ('public', 'database_health'), ('public', 'end_admin_session'),
      ('public', 'extend_credit_expiry'), ('public', 'finance_metrics'), ('public', 'grant_credits'),
      ('public', 'import_legacy'), ('public', 'ledger_integrity'), ('public', 'refund_generation'),
      ('public', 'search_customers'), ('public', 'set_customer_disabled'),
      ('public', 'touch_admin_session'), ('public', 'whoami'),
      ('private', 'staff_role'), ('private', 'has_role'), ('private', 'is_staff')
    ) as v(s, f)
$$;

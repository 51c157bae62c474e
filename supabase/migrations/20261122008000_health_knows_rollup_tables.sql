-- The dashboard's activity rollups (20261122002100, 20261122007000) are CreditDesk's own tables;
-- the health page listed them as someone else's. test/db/health.test.ts now checks this list
-- against every `create table` in the migrations, so a new table cannot be missed again.
create or replace function private.creditdesk_tables()
returns text[] language sql immutable set search_path = '' as $$
  select array['staff', 'customers', 'sessions', 'generations', 'feedback', 'credit_transactions',
               'generation_types', 'admin_sessions', 'admin_audit', 'runtime_config', 'app_config',
               'generation_daily_stats', 'ledger_daily_stats', 'customer_daily_activity',
               'customer_activity_keys', 'customer_activity_bitmaps', 'customer_activity_period_bitmaps']
$$;

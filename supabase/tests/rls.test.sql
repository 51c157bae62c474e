-- Row-level security of every table in public, per role, as DESIGN.md's access matrix says.
-- `supabase test db` (pg_prove) runs it, locally or against a hosted project; CI runs it on the
-- hosted-shaped test cluster (test/native/pgtap.test.ts). Everything it creates is its own
-- and rolled back, so it runs on an empty project or on one with real data alike.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = extensions, public;
select * from no_plan();

-- Fixtures: one login per role, one customer with a session, generation and feedback.
insert into auth.users (id, aud, role, email, email_confirmed_at) values
  ('00000000-0000-4000-8000-00000000a001', 'authenticated', 'authenticated', 'pgtap-admin@creditdesk.test', now()),
  ('00000000-0000-4000-8000-00000000a002', 'authenticated', 'authenticated', 'pgtap-support@creditdesk.test', now()),
  ('00000000-0000-4000-8000-00000000a003', 'authenticated', 'authenticated', 'pgtap-finance@creditdesk.test', now()),
  ('00000000-0000-4000-8000-00000000a004', 'authenticated', 'authenticated', 'pgtap-customer@creditdesk.test', now());
-- A live sign-in each (GoTrue keeps one auth.sessions row per sign-in): staff authority needs it.
insert into auth.sessions (id, user_id)
  select id, id from auth.users
   where id in ('00000000-0000-4000-8000-00000000a001', '00000000-0000-4000-8000-00000000a002',
                '00000000-0000-4000-8000-00000000a003', '00000000-0000-4000-8000-00000000a004');
insert into public.staff (user_id, email, role) values
  ('00000000-0000-4000-8000-00000000a001', 'pgtap-admin@creditdesk.test', 'admin'),
  ('00000000-0000-4000-8000-00000000a002', 'pgtap-support@creditdesk.test', 'support'),
  ('00000000-0000-4000-8000-00000000a003', 'pgtap-finance@creditdesk.test', 'finance');
insert into public.customers (id, email, user_id)
  values ('pgtap-customer', 'pgtap-customer@example.com', '00000000-0000-4000-8000-00000000a004');
insert into public.sessions (id, customer_id, platform) values ('pgtap-session', 'pgtap-customer', 'web');
insert into public.generations (id, customer_id, session_id, type, provider, model, status, credits_charged)
  values ('pgtap-generation', 'pgtap-customer', 'pgtap-session', 'text_to_image', 'wavespeed', 'pgtap-model', 'failed', 0);
insert into public.feedback (id, customer_id, generation_id, status) values ('pgtap-feedback', 'pgtap-customer', 'pgtap-generation', 'new');
insert into public.generation_types (type_key, display_name, cost_credits) values ('pgtap_type', 'pgTAP', 1)
  on conflict do nothing;
insert into public.runtime_config (key, value) values ('pgtap.knob', 'true') on conflict do nothing;
insert into public.app_config (key, value) values ('pgtap.setting', 'true') on conflict do nothing;

-- Helpers, run with the privileges of whoever calls them (the role under test).
create schema tests;
grant usage on schema tests to anon, authenticated, service_role;

-- The claims PostgREST would set for this user (null: the anon key).
-- The claims PostgREST would set for this user (null: the anon key); the session is the one
-- inserted above, whose id is the user's.
create function tests.claims(p_user uuid) returns void language sql as $$
  select set_config('request.jwt.claims', json_build_object(
    'sub', p_user, 'role', case when p_user is null then 'anon' else 'authenticated' end,
    'aud', 'authenticated', 'session_id', p_user)::text, true)
$$;

-- Rows the current role sees in a table; -1 when it may not read it at all.
create function tests.visible(p_table regclass) returns bigint language plpgsql as $$
declare n bigint;
begin
  execute format('select count(*) from %s', p_table) into n;
  return n;
exception when insufficient_privilege then
  return -1;
end $$;

-- What an INSERT / UPDATE / DELETE of every row by the current role does: 'denied', 'refused'
-- (a trigger or constraint said no) or 'N rows' (then undone). UPDATE sets a column the role
-- holds the privilege on, so RLS and not a column grant decides.
create function tests.write(p_table regclass, p_op text) returns text language plpgsql as $$
declare
  v_col text;
  v_sql text;
  n bigint;
begin
  if p_op = 'update' then
    select quote_ident(attname) into v_col from pg_attribute
     where attrelid = p_table and attnum > 0 and not attisdropped and attgenerated = '' and attidentity = ''
       and has_column_privilege(p_table, attnum, 'UPDATE')
     order by attnum limit 1;
    if v_col is null then return 'denied'; end if;
    v_sql := format('update %s set %s = %2$s where true', p_table, v_col);
  elsif p_op = 'delete' then
    v_sql := format('delete from %s where true', p_table);
  else
    v_sql := format('insert into %s default values', p_table);
  end if;
  begin
    execute v_sql;
    get diagnostics n = row_count;
    raise exception using errcode = 'TS001', message = n::text;
  exception
    when insufficient_privilege then return 'denied';
    when sqlstate 'TS001' then return sqlerrm || ' rows';
    when others then return 'refused';
  end;
end $$;

grant execute on all functions in schema tests to anon, authenticated, service_role;

create function tests.tables() returns setof regclass language sql as $$
  select c.oid::regclass from pg_class c
   where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
   order by c.relname
$$;

-- Every table has RLS on.
select ok(c.relrowsecurity, format('RLS is on for %s', c.oid::regclass))
  from pg_class c where c.oid in (select tests.tables());

-- anon and a signed-in customer who is not staff: nothing of any table, and no write.
select tests.claims(null);
set local role anon;
select ok(tests.visible(t) <= 0, format('anon reads nothing of %s', t)) from tests.tables() t;
select ok(tests.write(t, w) in ('denied', 'refused', '0 rows'), format('anon cannot %s %s', w, t))
  from tests.tables() t, unnest(array['insert', 'update', 'delete']) w;
reset role;

select tests.claims('00000000-0000-4000-8000-00000000a004');
set local role authenticated;
select ok(tests.visible(t) <= 0, format('a non-staff user reads nothing of %s', t)) from tests.tables() t;
select ok(tests.write(t, w) in ('denied', 'refused', '0 rows'), format('a non-staff user cannot %s %s', w, t))
  from tests.tables() t, unnest(array['insert', 'update', 'delete']) w;
select is(public.whoami() ->> 'role', null, 'whoami: a non-staff user has no role');
reset role;

-- finance: reads, writes nothing.
select tests.claims('00000000-0000-4000-8000-00000000a003');
set local role authenticated;
select ok(tests.visible(t) > 0, format('finance reads %s', t))
  from unnest(array['public.customers', 'public.sessions', 'public.generations', 'public.feedback',
                    'public.generation_types', 'public.runtime_config', 'public.app_config']::regclass[]) t;
select is(tests.visible('public.staff'), 1::bigint, 'finance reads only its own staff row');
select ok(tests.write(t, w) in ('denied', 'refused', '0 rows'), format('finance cannot %s %s', w, t))
  from tests.tables() t, unnest(array['insert', 'update', 'delete']) w;
select throws_ok($$select public.adjust_credits('pgtap-customer', 5, 'pgTAP', 'pgtap-finance-1')$$,
  '42501', null, 'finance cannot adjust credits');
reset role;

-- support: edits customer profiles and triages feedback; config, prices and staff are admin's.
select tests.claims('00000000-0000-4000-8000-00000000a002');
set local role authenticated;
select is(tests.visible('public.staff'), 1::bigint, 'support reads only its own staff row');
select ok(tests.visible('public.customers') > 0, 'support reads customers');
select lives_ok($$update public.customers set display_name = 'pgTAP' where id = 'pgtap-customer'$$,
  'support edits a customer profile');
select throws_ok($$update public.customers set credits = 1000 where id = 'pgtap-customer'$$,
  '42501', null, 'support cannot set a balance directly');
select lives_ok($$update public.feedback set status = 'reviewed' where id = 'pgtap-feedback'$$,
  'support triages feedback');
select is(tests.write(t, 'update'), '0 rows', format('support cannot edit %s', t))
  from unnest(array['public.generation_types', 'public.runtime_config', 'public.app_config']::regclass[]) t;
select ok(tests.write(t, w) in ('denied', 'refused', '0 rows'), format('support cannot %s %s', w, t))
  from unnest(array['public.credit_transactions', 'public.admin_audit', 'public.admin_sessions']::regclass[]) t,
       unnest(array['insert', 'update', 'delete']) w;
reset role;
select is((select display_name from public.customers where id = 'pgtap-customer'), 'pgTAP',
  'the support edit is there');

-- admin: everything support does, plus config, prices and staff; never the ledger or audit.
select tests.claims('00000000-0000-4000-8000-00000000a001');
set local role authenticated;
select ok(tests.visible('public.staff') >= 3, 'admin reads every staff row');
select ok(tests.write(t, 'update') not in ('denied', 'refused', '0 rows'), format('admin edits %s', t))
  from unnest(array['public.generation_types', 'public.staff']::regclass[]) t;
select lives_ok(format($$update %s set value = 'false', expected_version = version where key like 'pgtap.%%'$$, t),
  format('admin edits %s, naming the version edited', t))
  from unnest(array['public.runtime_config', 'public.app_config']::regclass[]) t;
select ok(tests.write(t, w) in ('denied', 'refused', '0 rows'), format('admin cannot %s %s', w, t))
  from unnest(array['public.credit_transactions', 'public.admin_audit']::regclass[]) t,
       unnest(array['insert', 'update', 'delete']) w;
reset role;

select is((select value from public.runtime_config where key = 'pgtap.knob'), 'false'::jsonb, 'the runtime config edit is there');
select is((select value from public.app_config where key = 'pgtap.setting'), 'false'::jsonb, 'the app config edit is there');

-- The product's backend bypasses RLS but still never writes the ledger or the audit trail.
select tests.claims(null);
set local role service_role;
select ok(tests.write(t, w) in ('denied', 'refused', '0 rows'), format('service_role cannot %s %s', w, t))
  from unnest(array['public.credit_transactions', 'public.admin_audit']::regclass[]) t,
       unnest(array['insert', 'update', 'delete']) w;
reset role;

select * from finish();
rollback;

-- The ledger invariant: for every customer, credits = the sum of its ledger deltas = the
-- latest balance_after (and, where credit blocks exist, the sum of what they have left), and
-- credits move only through the functions that write ledger, balance and audit together.
-- Everything it creates is rolled back.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = extensions, public;
select * from no_plan();

insert into auth.users (id, aud, role, email, email_confirmed_at) values
  ('00000000-0000-4000-8000-00000000b002', 'authenticated', 'authenticated', 'pgtap-ledger-support@creditdesk.test', now());
-- A live sign-in (GoTrue keeps one auth.sessions row per sign-in): staff authority needs it.
insert into auth.sessions (id, user_id)
  values ('00000000-0000-4000-8000-00000000b102', '00000000-0000-4000-8000-00000000b002');
insert into public.staff (user_id, email, role)
  values ('00000000-0000-4000-8000-00000000b002', 'pgtap-ledger-support@creditdesk.test', 'support');
insert into public.customers (id, email) values ('pgtap-ledger', 'pgtap-ledger@example.com');

-- Customers whose balance, ledger sum, last balance_after (and blocks) disagree.
create function pg_temp.ledger_violations() returns setof text language plpgsql as $$
begin
  return query
    select c.id from public.customers c
     where c.credits <> coalesce((select sum(t.delta) from public.credit_transactions t where t.customer_id = c.id), 0)
        or c.credits <> coalesce((select t.balance_after from public.credit_transactions t
                                   where t.customer_id = c.id order by t.id desc limit 1), 0);
  if to_regclass('public.credit_blocks') is not null then
    return query execute
      'select c.id from public.customers c
        where c.credits <> coalesce((select sum(b.remaining) from public.credit_blocks b where b.customer_id = c.id), 0)';
  end if;
end $$;

select is_empty('select * from pg_temp.ledger_violations()', 'the ledger invariant holds before');

select set_config('request.jwt.claims',
  '{"sub": "00000000-0000-4000-8000-00000000b002", "role": "authenticated", "aud": "authenticated",
    "session_id": "00000000-0000-4000-8000-00000000b102"}', true);
set local role authenticated;
select is((public.adjust_credits('pgtap-ledger', 120, 'pgTAP grant', 'pgtap-ledger-0001') ->> 'balance')::int, 120,
  'adjust_credits returns the new balance');
select is((public.adjust_credits('pgtap-ledger', 120, 'pgTAP grant', 'pgtap-ledger-0001') ->> 'balance')::int, 120,
  'a replayed idempotency key returns the first result');
select is((public.adjust_credits('pgtap-ledger', -20, 'pgTAP correction', 'pgtap-ledger-0002') ->> 'balance')::int, 100,
  'a debit lowers the balance');
select throws_ok($$select public.adjust_credits('pgtap-ledger', -101, 'pgTAP overdraw', 'pgtap-ledger-0003')$$,
  'PT409', null, 'a balance below zero is refused');
select throws_ok($$select public.adjust_credits('pgtap-ledger', 5, '  ', 'pgtap-ledger-0004')$$,
  '22023', null, 'a reason is required');
reset role;

select results_eq(
  $$select type, delta, balance_after from public.credit_transactions where customer_id = 'pgtap-ledger' order by id$$,
  $$values ('adjustment'::text, 120, 120), ('adjustment', -20, 100)$$,
  'one ledger row per change, none for the replay or the refusals');
select is((select credits from public.customers where id = 'pgtap-ledger'), 100, 'the balance is the ledger''s');
select is((select count(*)::int from public.admin_audit where record_id = 'pgtap-ledger' and action = 'credits.adjust'), 2,
  'one audit row per change');
select is_empty('select * from pg_temp.ledger_violations()', 'the ledger invariant holds after');

-- Not even the owner rewrites history or the balance behind the ledger's back.
select throws_ok($$update public.credit_transactions set delta = delta + 1 where customer_id = 'pgtap-ledger'$$,
  '42501', null, 'ledger rows cannot be changed');
select throws_ok($$delete from public.credit_transactions where customer_id = 'pgtap-ledger'$$,
  '42501', null, 'ledger rows cannot be deleted');
select throws_ok($$update public.customers set credits = 5 where id = 'pgtap-ledger'$$,
  '42501', null, 'a balance cannot be set outside the ledger functions');

select * from finish();
rollback;

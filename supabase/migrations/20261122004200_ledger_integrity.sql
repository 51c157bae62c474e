-- Ledger integrity, checkable from SQL and shown on the database health page:
--  * customers whose balance differs from the sum of their ledger or its latest balance_after;
--  * ledger rows whose balance_after is not the previous row's balance_after + delta (per
--    customer, in id order: the order the ledger functions write in), so one bad row is
--    reported once rather than every row after it;
--  * generations charged but never settled: credits_charged > 0 and, older than
--    p_stale_after, still pending/processing, or failed/cancelled without a refund.
-- Every enabled staff role may call it: each of them already reads customers, generations
-- and the ledger (RLS), and finance reconciles while support repairs. It returns ids and
-- numbers only, at most 200 rows per list with the full count beside it. The service role
-- may call it too, so scripts/import-legacy.mjs can check the ledger after an import.
create or replace function public.ledger_integrity(p_stale_after interval default interval '1 hour')
returns json language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit constant integer := 200;
  v_balances json;
  v_chain json;
  v_unsettled json;
begin
  if not (private.is_staff() or private.is_service_role()) then
    perform private.raise_forbidden('Only CreditDesk staff (or the service role) may read the ledger integrity report.');
  end if;
  if p_stale_after is null or p_stale_after < interval '0' then
    perform private.raise_bad_input('p_stale_after must be a positive interval, e.g. ''1 hour''.');
  end if;

  with sums as (
    select t.customer_id, sum(t.delta) as ledger_sum, count(*) as entries,
           (array_agg(t.balance_after order by t.id desc))[1] as latest_balance_after
      from public.credit_transactions t group by t.customer_id
  ), bad as (
    select c.id as customer_id, c.email, c.credits, coalesce(s.ledger_sum, 0) as ledger_sum,
           s.latest_balance_after, coalesce(s.entries, 0) as entries,
           c.credits - coalesce(s.ledger_sum, 0) as difference
      from public.customers c left join sums s on s.customer_id = c.id
     where c.credits <> coalesce(s.ledger_sum, 0)
        or c.credits <> coalesce(s.latest_balance_after, 0)
  )
  select json_build_object('count', (select count(*) from bad),
           'rows', coalesce((select json_agg(b order by abs(b.difference) desc, b.customer_id)
                               from (select * from bad order by abs(difference) desc, customer_id limit v_limit) b), '[]'))
    into v_balances;

  with chained as (
    select t.id as transaction_id, t.customer_id, t.type, t.delta, t.balance_after, t.created_at,
           lag(t.id) over w as previous_transaction_id,
           coalesce(lag(t.balance_after) over w, 0) + t.delta as expected_balance_after
      from public.credit_transactions t
    window w as (partition by t.customer_id order by t.id)
  ), bad as (
    select * from chained where balance_after <> expected_balance_after
  )
  select json_build_object('count', (select count(*) from bad),
           'rows', coalesce((select json_agg(b order by b.transaction_id)
                               from (select * from bad order by transaction_id limit v_limit) b), '[]'))
    into v_chain;

  with bad as (
    select g.id as generation_id, g.customer_id, g.status, g.credits_charged, g.provider, g.model,
           g.created_at,
           case when g.status in ('pending', 'processing') then 'still ' || g.status
                else g.status || ', not refunded' end as problem
      from public.generations g
     where g.credits_charged > 0
       and g.created_at < now() - p_stale_after
       and (g.status in ('pending', 'processing')
            or (g.status in ('failed', 'cancelled') and g.refunded_at is null
                and not exists (select 1 from public.credit_transactions r
                                 where r.type = 'refund' and r.ref_type = 'generation' and r.ref_id = g.id)))
  )
  select json_build_object('count', (select count(*) from bad),
           'credits', (select coalesce(sum(credits_charged), 0) from bad),
           -- Newest first: those are the ones support can still put right while the customer waits.
           'rows', coalesce((select json_agg(b order by b.created_at desc, b.generation_id)
                               from (select * from bad order by created_at desc, generation_id limit v_limit) b), '[]'))
    into v_unsettled;

  return json_build_object(
    'checked_at', now(),
    'stale_after', p_stale_after::text,
    'row_limit', v_limit,
    'balance_mismatches', v_balances,
    'broken_chain', v_chain,
    'unsettled_generations', v_unsettled);
end $$;

revoke all on function public.ledger_integrity(interval) from public, anon, authenticated, service_role;
grant execute on function public.ledger_integrity(interval) to authenticated, service_role;

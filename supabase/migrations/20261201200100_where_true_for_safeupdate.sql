-- Hosted Supabase loads `safeupdate` for PostgREST's role, which refuses any UPDATE or DELETE
-- without WHERE in every statement the API's session runs, inside functions and triggers too:
-- `import_legacy` failed there with "UPDATE requires a WHERE clause". The statements that mean
-- every row now say so (`where true`); test/native/safeupdate-scan.test.ts reads every function
-- body for others.
-- (The two rollup functions carry the delta tables of 20261201100100_rollup_deltas, which
-- sorts before this migration.)

create or replace function private.clear_generation_rollups()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  delete from public.generation_daily_stats where true;
  delete from public.generation_daily_deltas where true;
  delete from public.customer_daily_activity where true;
  delete from public.customer_activity_changes where true;
  delete from public.customer_activity_bitmaps where true;
  delete from public.customer_activity_period_bitmaps where true;
  return null;
end $$;

create or replace function private.rebuild_dashboard_rollups()
returns void language plpgsql security definer set search_path = '' as $$
begin
  -- Writers wait while the rollups are rebuilt, so none of their deltas is lost or doubled;
  -- readers carry on.
  lock table public.generations, public.credit_transactions in share row exclusive mode;
  -- And the fold waits (or is waited for): it writes the same rollups.
  perform pg_advisory_xact_lock(hashtext('creditdesk.fold_dashboard_rollups'));
  delete from public.generation_daily_deltas where true;
  delete from public.ledger_daily_deltas where true;
  delete from public.customer_activity_changes where true;

  delete from public.generation_daily_stats where true;
  insert into public.generation_daily_stats
    (day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum, latency_count, refunded)
  select (created_at at time zone 'UTC')::date, provider, coalesce(model, ''), status,
         count(*), sum(credits_charged), sum(cost_usd), coalesce(sum(latency_ms), 0),
         count(latency_ms), count(refunded_at)
    from public.generations group by 1, 2, 3, 4;

  delete from public.customer_daily_activity where true;
  insert into public.customer_daily_activity (day, provider, customer_id, generations)
  select (created_at at time zone 'UTC')::date, provider, customer_id, count(*)
    from public.generations group by 1, 2, 3;

  insert into public.customer_activity_keys (customer_id)
  select distinct customer_id from public.customer_daily_activity order by 1
  on conflict do nothing;
  delete from public.customer_activity_bitmaps where true;
  insert into public.customer_activity_bitmaps (day, provider, bits)
  select a.day, a.provider, private.bitmap_apply(''::varbit, array_agg(k.key), null)
    from public.customer_daily_activity a
    join public.customer_activity_keys k on k.customer_id = a.customer_id
   group by a.day, a.provider;

  delete from public.customer_activity_period_bitmaps where true;
  insert into public.customer_activity_period_bitmaps (grain, start, provider, bits)
  select p.grain, p.start, p.provider, private.activity_period_bits(p.grain, p.start, p.provider)
    from (select distinct p.grain, p.start, p.provider
            from public.customer_activity_bitmaps b
           cross join lateral private.activity_periods(b.day, b.provider) p) p;

  delete from public.ledger_daily_stats where true;
  insert into public.ledger_daily_stats (day, type, source, provider, entries, delta_sum, cost_usd)
  select (created_at at time zone 'UTC')::date, type, source, coalesce(provider, ''),
         count(*), sum(delta), coalesce(sum(cost_usd), 0)
    from public.credit_transactions group by 1, 2, 3, 4;
end $$;

create or replace function private.legacy_import_ledger()
returns void language plpgsql set search_path = '' as $$
begin
  create temp table legacy_tx on commit drop as
  select s.ord, s.source, s.system, s.src_id, s.r,
         private.legacy_customer_ref(s.r) as customer_ref,
         private.legacy_customer_for(private.legacy_customer_ref(s.r)) as customer_id,
         private.legacy_delta(s.r) as delta,
         coalesce(private.legacy_ts(s.r ->> 'created_at'), private.legacy_ts(s.r ->> 'at')) as created_at,
         private.legacy_key('tx', coalesce(s.src_id, 'row:' || md5(s.r::text))) as idempotency_key,
         coalesce(private.legacy_text(s.r ->> 'ref_id'), private.legacy_text(s.r ->> 'api_request_id'),
                  private.legacy_text(s.r ->> 'generation_id')) as ref_id,
         null::text as type, null::text as ref_type, null::text as reason, null::text as outcome
    from pg_temp.legacy_stage s where s.target = 'credit_transactions';

  -- MEGA transactions have no type column: their source (shopify, stripe…) still tells a purchase.
  update pg_temp.legacy_tx set type = private.legacy_ledger_type(coalesce(r ->> 'transaction_type', r ->> 'type', r ->> 'source'), delta),
         ref_type = case when ref_id is not null then coalesce(private.legacy_text(r ->> 'ref_type', 50), 'generation') end
   where true;

  update pg_temp.legacy_tx set outcome = 'skipped', reason = format('no customer %s',
           coalesce(quote_literal(customer_ref), '(customer_id is empty)'))
   where customer_id is null;
  update pg_temp.legacy_tx set outcome = 'present'
   where outcome is null and customer_id not in (select id from pg_temp.legacy_new_customers);
  update pg_temp.legacy_tx set outcome = 'skipped', reason = 'no credit change (delta missing or 0)'
   where outcome is null and coalesce(delta, 0) = 0;
  update pg_temp.legacy_tx set outcome = 'skipped',
         reason = format('legacy status %s: the change never took effect', quote_literal(r ->> 'status'))
   where outcome is null and lower(r ->> 'status') in ('failed', 'cancelled', 'canceled', 'pending', 'reverted');
  update pg_temp.legacy_tx l set outcome = 'skipped', reason = 'transaction id already in the ledger'
   where l.outcome is null
     and exists (select 1 from public.credit_transactions t where t.idempotency_key = l.idempotency_key);
  update pg_temp.legacy_tx l set outcome = 'skipped', reason = format('duplicate of %s row %s (same id)', f.source, f.src_id)
    from (select distinct on (idempotency_key) * from pg_temp.legacy_tx where outcome is null
           order by idempotency_key, ord) f
   where l.outcome is null and f.idempotency_key = l.idempotency_key and f.ord < l.ord;
  -- A generation is refunded at most once (unique index on refund entries per generation).
  update pg_temp.legacy_tx l set outcome = 'skipped', reason = format('second refund of generation %s', l.ref_id)
   where l.outcome is null and l.type = 'refund' and l.ref_type = 'generation'
     and (exists (select 1 from public.credit_transactions t
                   where t.type = 'refund' and t.ref_type = 'generation' and t.ref_id = l.ref_id)
          or exists (select 1 from pg_temp.legacy_tx o where o.outcome is null and o.type = 'refund'
                      and o.ref_type = 'generation' and o.ref_id = l.ref_id and o.ord < l.ord));
  update pg_temp.legacy_tx set outcome = 'imported' where outcome is null;

  perform private.legacy_log(source, 'credit_transactions', coalesce(src_id, customer_ref), outcome, reason)
     from pg_temp.legacy_tx;

  create temp table legacy_ledger on commit drop as
  with history as (
    select t.customer_id, 1 as phase, coalesce(t.created_at, n.created_at) as at, t.ord, t.type, t.delta,
           coalesce(private.legacy_text(t.r ->> 'reason', 500), private.legacy_text(t.r ->> 'description', 500),
                    private.legacy_text(t.r ->> 'enhancement_type', 500)) as reason,
           coalesce(private.legacy_text(t.r ->> 'source', 50), 'legacy_import') as source,
           t.ref_type, t.ref_id, private.legacy_text(t.r ->> 'provider') as provider,
           private.legacy_numeric(t.r ->> 'cost_usd') as cost_usd, t.idempotency_key,
           sum(t.delta) over (partition by t.customer_id order by coalesce(t.created_at, n.created_at), t.ord) as prefix
      from pg_temp.legacy_tx t join pg_temp.legacy_new_customers n on n.id = t.customer_id
     where t.outcome = 'imported'
  ), plan as (
    select n.id as customer_id, n.system, n.balance, n.created_at,
           coalesce(sum(h.delta), 0) as history_sum,
           least(coalesce(min(h.prefix), 0), 0) as lowest,
           min(h.at) as first_at, max(h.at) as last_at
      from pg_temp.legacy_new_customers n left join history h on h.customer_id = n.id
     group by n.id, n.system, n.balance, n.created_at
  ), amounts as (
    -- The opening balance makes the history end at the legacy balance; when that would take
    -- the running balance below 0 somewhere, it covers the dip instead and a closing
    -- adjustment brings the end back to the legacy balance.
    select p.*, greatest(p.balance - p.history_sum, -p.lowest) as opening from plan p
  )
  select customer_id, 0 as phase, least(created_at, coalesce(first_at, created_at)) as at, 0::bigint as ord,
         'adjustment' as type, opening::integer as delta, 'Opening balance from ' || system as reason,
         'legacy_import' as source, null::text as ref_type, null::text as ref_id, null::text as provider,
         null::numeric as cost_usd, private.legacy_key('opening', customer_id) as idempotency_key
    from amounts where opening <> 0
  union all
  select customer_id, phase, at, ord, type, delta, reason, source, ref_type, ref_id, provider, cost_usd, idempotency_key
    from history
  union all
  select customer_id, 2, coalesce(last_at, created_at), 0, 'adjustment', (balance - history_sum - opening)::integer,
         'Closing adjustment to the ' || system || ' balance', 'legacy_import', null, null, null, null,
         private.legacy_key('closing', customer_id)
    from amounts where balance - history_sum - opening <> 0;

  insert into public.credit_transactions (customer_id, type, delta, balance_after, reason, source, ref_type,
    ref_id, provider, cost_usd, idempotency_key, created_at)
  select customer_id, type, delta,
         sum(delta) over (partition by customer_id order by phase, at, ord),
         reason, source, ref_type, ref_id, provider, cost_usd, idempotency_key, at
    from pg_temp.legacy_ledger
   -- Ids follow this order, so each customer's chain reads right in id order too.
   order by customer_id, phase, at, ord;

  update public.customers c set credits = n.balance
    from pg_temp.legacy_new_customers n where c.id = n.id and n.balance <> 0;
end $$;

-- Issue 13: a spend's draw is a HOT update of its credit block (bench/README.md, "Balance
-- updates"). The partial indexes select on has_credits, a stored column that changes only
-- when a block empties or refills, instead of naming remaining, which changes with every draw
-- and so made each one a new entry in all five of the block's indexes. The functions that
-- look blocks up say has_credits so the planner matches the indexes. And block_result, which
-- every purchase and grant answers through, is PL/pgSQL for the plan cache.

alter table public.credit_blocks add column has_credits boolean generated always as (remaining > 0) stored;
alter table public.credit_blocks set (fillfactor = 90);

drop index public.credit_blocks_drawdown_idx;
create index credit_blocks_drawdown_idx on public.credit_blocks
  (customer_id, expires_at nulls last, draw_rank, created_at, id) where has_credits;
drop index public.credit_blocks_expiry_idx;
create index credit_blocks_expiry_idx on public.credit_blocks (expires_at)
  where has_credits and expires_at is not null;


create or replace function private.draw_credit_blocks(
  p_customer_id text, p_transaction_id bigint, p_amount integer, p_block_id bigint default null
) returns void language plpgsql security definer set search_path = '' as $$
declare
  v_prev_write text;
  v_now timestamptz := private.clock();
  v_taken bigint;
begin
  v_prev_write := current_setting('creditdesk.ledger_write', true);
  perform set_config('creditdesk.ledger_write', 'on', true);
  with ordered as (
    select b.id, b.remaining,
           sum(b.remaining) over (order by (b.expires_at <= v_now) is true, b.expires_at nulls last,
                                           b.draw_rank, b.created_at, b.id) as upto
      from public.credit_blocks b
     where b.customer_id = p_customer_id and b.has_credits
       and (p_block_id is null or b.id = p_block_id)
  ), take as (
    select o.id, least(o.remaining, p_amount - (o.upto - o.remaining))::integer as amount
      from ordered o where o.upto - o.remaining < p_amount
  ), drawn as (
    insert into public.credit_block_draws (transaction_id, block_id, amount)
    select p_transaction_id, t.id, t.amount from take t
    returning block_id, amount
  ), updated as (
    update public.credit_blocks b set remaining = b.remaining - d.amount
      from drawn d where b.id = d.block_id
    returning d.amount
  )
  select coalesce(sum(amount), 0) into v_taken from updated;
  perform set_config('creditdesk.ledger_write', coalesce(v_prev_write, ''), true);
  if v_taken <> p_amount then
    raise exception using errcode = 'XX000',
      message = format('Credit blocks of customer %s hold %s credits fewer than its balance needs (%s asked).',
                       p_customer_id, p_amount - v_taken, p_amount),
      hint = 'ledger_integrity lists the customers whose blocks and balance differ.';
  end if;
end $$;

create or replace function private.block_result(p_transaction_id bigint, p_replayed boolean)
returns json language plpgsql stable security definer set search_path = '' as $$
begin
  return (select json_build_object('transaction_id', t.id,
            'block_id', (select b.id from public.credit_blocks b where b.source_transaction_id = t.id
                          order by b.id limit 1),
            'balance', t.balance_after, 'replayed', p_replayed)
     from public.credit_transactions t where t.id = p_transaction_id);
end $$;

create or replace function private.expire_customer_blocks(
  p_customer_id text, p_now timestamptz, out entries integer, out credits bigint
) language plpgsql security definer set search_path = '' as $$
declare
  v_block public.credit_blocks;
begin
  entries := 0;
  credits := 0;
  for v_block in
    select * from public.credit_blocks b
     where b.customer_id = p_customer_id and b.has_credits and b.expires_at <= p_now
     order by b.expires_at, b.id
  loop
    perform set_config('creditdesk.block_terms', json_build_object('block_id', v_block.id)::text, true);
    perform private.apply_credit_change(p_customer_id, -v_block.remaining, 'expiry',
      format('%s %s credits expired on %s', v_block.remaining, v_block.kind,
             to_char(v_block.expires_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')),
      'system', 'credits.expire',
      format('expiry:block:%s:%s', v_block.id,
             (select coalesce(max(d.id), 0) from public.credit_block_draws d where d.block_id = v_block.id)),
      'credit_block', v_block.id::text);
    perform set_config('creditdesk.block_terms', '', true);
    entries := entries + 1;
    credits := credits + v_block.remaining;
  end loop;
end $$;

create or replace function public.expire_credits(p_now timestamptz default now())
returns json language plpgsql security definer set search_path = '' as $$
declare
  v_customers text[];
  v_customer text;
  v_done record;
  v_entries integer := 0;
  v_credits bigint := 0;
begin
  if not private.is_service_role() then
    perform private.raise_forbidden('expire_credits is the expiry job''s (service role) only.');
  end if;
  if p_now is null or p_now > private.clock() + interval '1 minute' then
    perform private.raise_bad_input('p_now must be a time not in the future (default: now).',
      'Credits expire when their time has come, never ahead of it.');
  end if;
  -- Every customer concerned is locked first, in id order, before anything is written: a
  -- transaction of one customer that waits here holds no rollup row this job needs. A deleted
  -- customer's credits never change again, so its blocks are left as they are.
  select array_agg(c.id order by c.id) into v_customers
    from (select c.id from public.customers c
           where c.deleted_at is null
             and exists (select 1 from public.credit_blocks b
                          where b.customer_id = c.id and b.has_credits and b.expires_at <= p_now)
           order by c.id for no key update of c) c;
  foreach v_customer in array coalesce(v_customers, '{}') loop
    select * into v_done from private.expire_customer_blocks(v_customer, p_now);
    v_entries := v_entries + v_done.entries;
    v_credits := v_credits + v_done.credits;
  end loop;
  -- The job also folds the finance rollup's appended deltas (76_finance_metrics.sql).
  perform private.fold_finance_deltas();
  return json_build_object('entries', v_entries, 'credits', v_credits,
                           'customers', coalesce(array_length(v_customers, 1), 0), 'at', p_now);
end $$;

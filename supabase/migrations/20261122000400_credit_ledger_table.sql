-- The immutable credit ledger. For every customer: credits = sum(delta) = latest balance_after.
create table public.credit_transactions (
  id bigint generated always as identity primary key,
  customer_id text not null references public.customers (id) on delete restrict,
  type text not null check (type in ('purchase', 'grant', 'spend', 'refund', 'adjustment', 'expiry')),
  delta integer not null check (delta <> 0),
  balance_after integer not null check (balance_after >= 0),
  reason text check (length(reason) <= 500),
  source text not null default 'system' check (length(source) between 1 and 50),
  ref_type text,
  ref_id text,
  provider text,
  cost_usd numeric(12, 6),
  idempotency_key text unique check (length(idempotency_key) between 1 and 200),
  actor uuid,
  created_at timestamptz not null default now()
);
create index credit_transactions_customer_idx on public.credit_transactions (customer_id, id desc);
create index credit_transactions_created_at_idx on public.credit_transactions (created_at desc, id desc);
create index credit_transactions_type_idx on public.credit_transactions (type, created_at desc);
create index credit_transactions_source_idx on public.credit_transactions (source, created_at desc);
create index credit_transactions_ref_idx on public.credit_transactions (ref_type, ref_id) where ref_id is not null;
-- A generation is refunded at most once, whichever path refunds it.
create unique index credit_transactions_one_refund_per_generation
  on public.credit_transactions (ref_id) where type = 'refund' and ref_type = 'generation';

create or replace function private.refuse_ledger_change()
returns trigger language plpgsql set search_path = '' as $$
begin
  raise exception using errcode = '42501',
    message = format('%s rows are immutable: record a new entry instead of changing %s.',
                     tg_table_name, lower(tg_op));
end $$;

create trigger credit_transactions_immutable
  before update or delete on public.credit_transactions
  for each row execute function private.refuse_ledger_change();
create trigger credit_transactions_no_truncate
  before truncate on public.credit_transactions
  for each statement execute function private.refuse_ledger_change();

-- customers.credits moves only with a ledger row. Column privileges keep clients off it;
-- this guard also stops the service role and table owners, unless a ledger function (or a
-- bulk loader that rebuilds the ledger in the same transaction) says so.
create or replace function private.guard_customer_credits()
returns trigger language plpgsql set search_path = '' as $$
begin
  if coalesce(current_setting('creditdesk.ledger_write', true), '') <> 'on' then
    if tg_op = 'INSERT' and new.credits <> 0 then
      raise exception using errcode = '42501',
        message = 'A new customer starts with 0 credits; grant credits through the ledger.';
    elsif tg_op = 'UPDATE' and new.credits is distinct from old.credits then
      raise exception using errcode = '42501',
        message = 'Credits change only through adjust_credits, consume_credits or refund_credits.';
    end if;
  end if;
  return new;
end $$;

create trigger customers_guard_credits
  before insert or update of credits on public.customers
  for each row execute function private.guard_customer_credits();

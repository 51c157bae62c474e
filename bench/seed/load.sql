-- The bench data set, generated inside Postgres with generate_series: customers, generations
-- over the last {{days}} days, a ledger that keeps the invariant (per customer: credits =
-- sum(delta) = latest balance_after = what its credit blocks hold, never below zero; per
-- block: original - remaining = its draws), paid, free and legacy blocks with expiries (some
-- expired, by expiry entries) and an audit trail. Sections are run
-- in order by bench/seed/seed.mjs; {{name}} is substituted, {{lo}} .. {{hi}} per chunk so each
-- chunk is one statement the rollup triggers see as one bulk insert. Usage is skewed like a
-- real product: customer k is drawn with probability ~ 1/sqrt(k), WaveSpeed first.
-- @session
-- A bulk load, as pg_restore --disable-triggers does it: in replica mode no trigger fires
-- (foreign-key checks, credits guard, row audit, rollup maintenance), which makes the load
-- about twice as fast; the data is consistent by construction and `verify` proves it, and
-- the `rollups` section rebuilds the dashboard rollups once from the raw rows (the
-- operators' function for exactly this case).
set session_replication_role = replica;
-- @customers
insert into public.customers (id, email, first_name, last_name, display_name, shopify_customer_id,
  locale, verified_email, marketing_opt_in, source_system, expires_at, created_at)
select 'pass_' || lpad(i::text, 7, '0'),
       lower(fn) || '.' || lower(ln) || i || '@' || (array['gmail.com', 'outlook.com', 'icloud.com', 'proton.me', 'yahoo.com'])[1 + i % 5],
       fn, ln, fn || ' ' || ln,
       case when i % 5 < 3 then (7000000000 + i)::text end,
       (array['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES'])[1 + i % 5],
       i % 3 > 0, i % 4 = 0, case when i % 5 < 3 then 'shopify' else 'creditdesk' end,
       case when i % 7 = 0 then now() + (i % 90) * interval '1 day' end,
       now() - interval '200 days' + (i::float / {{customers}}) * interval '20 days'
  from (select i,
               (array['Ada', 'Ben', 'Chloe', 'Dev', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas',
                      'Kira', 'Liam', 'Maya', 'Noah', 'Olga', 'Pablo', 'Quinn', 'Rosa', 'Sami', 'Tess'])[1 + i % 20] fn,
               (array['Smith', 'Garcia', 'Müller', 'Rossi', 'Kowalski', 'Nguyen', 'Silva', 'Kim', 'Dubois',
                      'Jensen', 'Novak', 'Ivanova', 'Haddad', 'Okafor', 'Tanaka', 'Lopez', 'Brown'])[1 + (i / 20) % 17] ln
          from generate_series(1, {{customers}}) i) c;
-- @generations
insert into public.generations (id, customer_id, provider, model, type, status, prompt, latency_ms,
  credits_charged, cost_usd, refunded_at, created_at, completed_at)
select 'gen_' || i, 'pass_' || lpad((1 + floor({{customers}} * power(r1, 2)))::int::text, 7, '0'), provider,
       case provider
         when 'wavespeed' then (array['wan-2.1', 'flux-dev', 'seedance-1'])[1 + floor(r3 * 3)::int]
         when 'fal' then (array['flux-pro', 'kling-1.6'])[1 + floor(r3 * 2)::int]
         when 'replicate' then (array['sdxl', 'hunyuan-video'])[1 + floor(r3 * 2)::int]
         else (array['gpt-image-1', 'dall-e-3'])[1 + floor(r3 * 2)::int] end,
       case when r3 < 0.3 then 'video' else 'image' end, status,
       'a bench prompt number ' || i,
       case when status in ('pending', 'processing') then null else (800 + r4 * 20000)::int end,
       1 + floor(r4 * 20)::int,
       case when status = 'succeeded' then round((0.002 + r4 * 0.2)::numeric, 6)
            when status = 'failed' then round((r4 * 0.01)::numeric, 6) else 0 end,
       case when status = 'failed' and r4 < 0.6 then created_at + interval '5 minutes' end,
       created_at,
       case when status in ('succeeded', 'failed') then created_at + interval '20 seconds' end
  from (select i, r1, r3, r4,
               case when r2 < 0.55 then 'wavespeed' when r2 < 0.75 then 'fal'
                    when r2 < 0.90 then 'replicate' else 'openai' end as provider,
               case when r5 < 0.88 then 'succeeded' when r5 < 0.96 then 'failed'
                    when r5 < 0.98 then 'cancelled' when r5 < 0.99 then 'processing' else 'pending' end as status,
               now() - r6 * interval '{{days}} days' as created_at
          from (select i, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6
                  from generate_series({{lo}}, {{hi}}) i) r) g;
-- @ledger_stage
-- The ledger is planned in a staging table first: random entries, then per customer in time
-- order the running sum; each customer's first entry is a purchase (for every fourth customer
-- a legacy opening balance) topped up by the deepest dip of that running sum, so no
-- balance_after is ever negative. seq orders rows by time, and the loader inserts in seq order
-- with id = seq, so ids grow with created_at as in production.
create unlogged table bench_ledger_raw as
select g as gid, cnum, 'pass_' || lpad(cnum::text, 7, '0') as customer_id,
       case when r2 < 0.60 then 'spend' when r2 < 0.65 then 'refund' when r2 < 0.80 then 'purchase'
            when r2 < 0.90 then 'grant' when r2 < 0.98 then 'adjustment' else 'spend' end as type,
       r3, r4, now() - r5 * interval '{{days}} days' as created_at
  from (select g, (1 + floor({{customers}} * power(random(), 2)))::int as cnum, random() r2, random() r3,
               random() r4, random() r5
          from generate_series(1, {{ledger}}) g) r;
-- in_hi / out_hi: where each entry's credits end in the customer's stream of credits in
-- (entries that raise the balance) or out (entries that lower it), for the drawdown below.
create unlogged table bench_plan as
with ordered as (
  select *, row_number() over (partition by customer_id order by created_at, gid) as n
    from bench_ledger_raw),
typed as (
  select gid, customer_id, created_at, n, r3, r4, n = 1 and cnum % 4 = 0 as legacy,
         case when n = 1 and cnum % 4 = 0 then 'adjustment' when n = 1 then 'purchase' else type end as type,
         case when n = 1 then 100 + floor(r3 * 400)::int
              when type = 'spend' then -(1 + floor(r3 * 20)::int)
              when type = 'adjustment' and r3 < 0.3 then -(1 + floor(r3 * 20)::int)
              when type = 'refund' then 1 + floor(r3 * 20)::int
              else 1 + floor(r3 * 500)::int end as raw_delta
    from ordered),
running as (
  select *, sum(raw_delta) over (partition by customer_id order by n) as raw_balance
    from typed),
topped as (
  select *, greatest(0, -min(raw_balance) over (partition by customer_id)) as top_up
    from running)
select seq, customer_id, type, legacy, created_at, r3, r4, delta,
       sum(greatest(delta, 0)) over w as in_hi, sum(greatest(-delta, 0)) over w as out_hi
  from (select row_number() over (order by created_at, gid) as seq, customer_id, type, legacy, created_at, r3, r4,
               raw_delta + case when n = 1 then top_up else 0 end as delta
          from topped) t
window w as (partition by customer_id order by seq);
drop table bench_ledger_raw;
-- The credit blocks and their draws, set-based. Every entry that raises a balance is a block
-- (a purchase a paid one priced like the packs, a grant a free one, 70 % of them expiring after
-- 30 days, a refund or positive adjustment a free one that never expires, an opening balance a
-- legacy one); every entry that lowers it draws oldest block first. A draw is where the
-- customer's stream of credits out overlaps the stream of credits in: cut both at every
-- entry's end, and each piece belongs to the block and the entry whose ends follow it (the
-- smallest seq at or after it: min over the positions from there on). Pieces no entry took are
-- what the block holds at the end. The balance is never negative, so every piece an entry
-- takes is of a block created before it. (Oldest first, not the functions' soonest-expiry
-- order: what the read paths measured here need is blocks and draws that agree with the
-- ledger, and this is one sort instead of a simulation per customer.)
create unlogged table bench_segments as
select block_seq, out_seq, out_at, len
  from (select min(block_seq) over w as block_seq, min(out_seq) over w as out_seq, min(out_at) over w as out_at,
               pos - coalesce(lead(pos) over w, 0) as len
          from (select customer_id, in_hi as pos, seq as block_seq, null::bigint as out_seq, null::timestamptz as out_at
                  from bench_plan where delta > 0
                union all
                select customer_id, out_hi, null, seq, created_at from bench_plan where delta < 0) e
        window w as (partition by customer_id order by pos desc)) s
 where len > 0;
-- A block drawn after its nominal expiry had it extended to the day after its last draw, so no
-- draw ever takes from an expired block. A block past its expiry with credits left lost them
-- to an expiry entry (two minutes after, as the 5-minute job would): no later entry took from
-- those credits, so every balance stays >= 0 without them.
create unlogged table bench_blocks as
with used as (
  select block_seq, coalesce(sum(len) filter (where out_seq is null), 0) as left_end, max(out_at) as last_draw_at
    from bench_segments group by block_seq
), b as (
  select p.seq, p.customer_id, p.created_at, p.delta as original,
         case when p.legacy then 'legacy' when p.type = 'purchase' then 'paid' else 'free' end as kind,
         case when p.type = 'purchase' then p.created_at + case when p.r4 < 0.2 then interval '90 days' else interval '365 days' end
              when p.type = 'grant' and p.r4 < 0.7 then p.created_at + interval '30 days' end as nominal_expiry,
         u.left_end, u.last_draw_at
    from bench_plan p join used u on u.block_seq = p.seq
   where p.delta > 0
), e as (
  -- Not due within the hour either: the stack's expiry job runs while the load is under way,
  -- and a block coming due then would be expired by it halfway through (it waits for the
  -- balances, written last) or between the rollups' rebuild and verify.
  select *, case when x.at between now() and now() + interval '1 hour' then now() + interval '1 hour' else x.at end as expires_at
    from b cross join lateral (select case when b.last_draw_at >= b.nominal_expiry then b.last_draw_at + interval '1 day'
                                           else b.nominal_expiry end as at) x
)
select seq, customer_id, created_at, original, kind, expires_at, left_end,
       -- 500 credits for $20, 1,500 for $50, 5,000 for $150: the pack prices by size.
       case when kind = 'paid' then round(original * case when original >= 400 then 0.03 when original >= 200 then 0.0333
                                                          else 0.04 end, 2) end as amount_usd,
       case when expires_at <= now() then left_end else 0 end as expired
  from e;
-- The ledger: the planned entries and the expiry entries, in time order; id = seq.
create unlogged table bench_ledger as
select row_number() over (order by created_at, ord, src) as seq, src, ord, customer_id, type, legacy, kind,
       expires_at, created_at, r3, r4, delta,
       sum(delta) over (partition by customer_id order by created_at, ord, src) as balance_after
  from (select seq as src, 0 as ord, customer_id, type, legacy, null::text as kind, null::timestamptz as expires_at,
               created_at, r3, r4, delta
          from bench_plan
        union all
        select seq, 1, customer_id, 'expiry', false, kind, expires_at,
               least(expires_at + interval '2 minutes', now()), 0, 0, -expired
          from bench_blocks where expired > 0) l;
create index on bench_ledger (seq);
-- Planned entry (ord 0) or the expiry of a block (ord 1, src the block's entry) -> its id.
create unlogged table bench_ids as select ord, src, seq from bench_ledger;
create index on bench_ids (ord, src);
drop table bench_plan;
-- @ledger
insert into public.credit_transactions (id, customer_id, type, delta, balance_after, reason, source,
  provider, cost_usd, ref_type, ref_id, idempotency_key, created_at)
overriding system value
select seq, customer_id, type, delta, balance_after,
       case when type = 'adjustment' and legacy then 'opening balance (legacy import)'
            when type = 'adjustment' then 'goodwill, ticket #' || seq when type = 'grant' then 'welcome bonus'
            when type = 'expiry' then format('%s %s credits expired on %s', -delta, kind,
                                             to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')) end,
       case when type = 'purchase' then 'shopify' when type = 'grant' then 'manual' when legacy then 'legacy' else 'system' end,
       case when type in ('spend', 'refund') then
         case when r4 < 0.55 then 'wavespeed' when r4 < 0.75 then 'fal'
              when r4 < 0.90 then 'replicate' else 'openai' end end,
       case when type = 'spend' then round((r3 * 0.2)::numeric, 6) end,
       case when type = 'expiry' then 'credit_block' end,
       case when type = 'expiry' then b.block_id::text end,
       case when type = 'expiry' then 'expiry:block:' || b.block_id || ':0' end,
       created_at
  from bench_ledger l
  left join lateral (select i.seq as block_id from bench_ids i where l.ord = 1 and i.ord = 0 and i.src = l.src) b on true
 where l.seq between {{lo}} and {{hi}} order by l.seq;
-- @blocks
-- A block's id is its source entry's.
insert into public.credit_blocks (id, customer_id, kind, source_transaction_id, original, remaining, unit_price_usd,
  amount_usd, expires_at, created_at)
overriding system value
select i.seq, b.customer_id, b.kind, i.seq, b.original, b.left_end - b.expired,
       case b.kind when 'paid' then round(b.amount_usd / b.original, 10) when 'free' then 0 end,
       b.amount_usd, b.expires_at, b.created_at
  from bench_blocks b join bench_ids i on i.ord = 0 and i.src = b.seq
 order by i.seq;
-- @draws
insert into public.credit_block_draws (transaction_id, block_id, amount, created_at)
select transaction_id, block_id, amount, created_at
  from (select o.seq as transaction_id, b.seq as block_id, s.len as amount, s.out_at as created_at
          from bench_segments s
          join bench_ids b on b.ord = 0 and b.src = s.block_seq
          join bench_ids o on o.ord = 0 and o.src = s.out_seq
        union all
        select l.seq, b.seq, -l.delta, l.created_at
          from bench_ledger l join bench_ids b on b.ord = 0 and b.src = l.src
         where l.ord = 1) d
 order by transaction_id, block_id;
select setval(pg_get_serial_sequence('public.credit_transactions', 'id'), (select max(id) from public.credit_transactions));
select setval(pg_get_serial_sequence('public.credit_blocks', 'id'), (select max(id) from public.credit_blocks));
drop table bench_segments;
drop table bench_blocks;
drop table bench_ids;
-- @balances
-- Balances from the ledger, and last_active from the generations, in one pass.
update public.customers c
   set credits = coalesce(l.balance, 0), last_active = g.last_at
  from public.customers c2
  left join (select distinct on (customer_id) customer_id, balance_after as balance
               from bench_ledger order by customer_id, seq desc) l on l.customer_id = c2.id
  left join (select customer_id, max(created_at) as last_at
               from public.generations group by customer_id) g on g.customer_id = c2.id
 where c.id = c2.id and (l.balance is not null or g.last_at is not null);
-- The balance rows customers.credits follows (customers_credits_fkey): in replica mode no
-- trigger opens them and no foreign key is checked, so they are written here, from the same
-- balances.
insert into public.customer_balances (customer_id, credits) select id, credits from public.customers;
drop table bench_ledger;
-- @audit
-- Staff activity over the same period: credit adjustments, profile edits, config changes.
insert into public.admin_audit (at, actor_id, actor_email, action, table_name, record_id, method,
  route, status, details, created_at)
select at, '{{user_id}}', (array['support@bench.creditdesk.dev', 'admin@bench.creditdesk.dev'])[1 + i % 2],
       action, split_part(action, '.', 1), 'pass_' || lpad((1 + i % {{customers}})::text, 7, '0'),
       'POST', '/rest/v1/rpc/' || action, 'ok',
       jsonb_build_object('reason', 'bench entry ' || i, 'delta', i % 50), at
  from (select i, now() - random() * interval '{{days}} days' as at,
               (array['credits.adjust', 'customers.update', 'customers.disable', 'feedback.update',
                      'runtime_config.update'])[1 + i % 5] as action
          from generate_series(1, {{audit}}) i) a
 order by at;
-- @rollups
set session_replication_role = origin;
select private.rebuild_dashboard_rollups();
-- The finance rollup from the blocks and draws (its triggers did not fire either).
select private.rebuild_finance_rollups();
-- @staff
insert into auth.users (id, aud, role, email, email_confirmed_at)
values ('{{user_id}}', 'authenticated', 'authenticated', 'support@bench.creditdesk.dev', now());
insert into auth.sessions (id, user_id) values ('{{user_id}}', '{{user_id}}');
-- Finance: it reads every screen the bench measures, the Margin page's finance_metrics too.
insert into public.staff (user_id, email, role) values ('{{user_id}}', 'support@bench.creditdesk.dev', 'finance');
-- @verify
-- The ledger invariant for every customer, and the rollups against the raw rows.
select (select count(*) from public.customers) as customers,
       (select count(*) from public.generations) as generations,
       (select count(*) from public.credit_transactions) as ledger,
       (select count(*) from public.admin_audit) as audit,
       (select count(*) from public.customers c
          left join (select customer_id, sum(delta) as total from public.credit_transactions group by customer_id) s
            on s.customer_id = c.id
          left join (select distinct on (customer_id) customer_id, balance_after
                       from public.credit_transactions order by customer_id, id desc) b
            on b.customer_id = c.id
          left join public.customer_balances cb on cb.customer_id = c.id
         where c.credits <> coalesce(s.total, 0) or c.credits <> coalesce(b.balance_after, 0)
            or cb.credits is distinct from c.credits) as ledger_mismatches,
       (select count(*) from public.credit_transactions where balance_after < 0) as negative_balances,
       -- Each entry's balance_after is the previous one's plus its delta (ledger_integrity's chain).
       (select count(*) from (select balance_after - coalesce(lag(balance_after) over (partition by customer_id order by id), 0)
                                     <> delta as bad
                                from public.credit_transactions) x where bad) as broken_chain,
       -- The blocks: the balance is what they hold, each block lost what its draws took, and
       -- nothing is left in a block past its expiry.
       (select count(*) from public.customer_balances cb
          left join (select customer_id, sum(remaining) as held from public.credit_blocks group by customer_id) h
            on h.customer_id = cb.customer_id
         where cb.credits <> coalesce(h.held, 0)) as block_balance_mismatches,
       (select count(*) from public.credit_blocks b
          left join (select block_id, sum(amount) as drawn from public.credit_block_draws group by block_id) d
            on d.block_id = b.id
         where b.original - b.remaining <> coalesce(d.drawn, 0)) as block_draw_mismatches,
       -- With ledger_integrity's grace: a block whose time came during the load (minutes) is the
       -- 5-minute expiry job's, as in production.
       (select count(*) from public.credit_blocks
         where has_credits and expires_at <= now() - interval '15 minutes') as overdue_blocks,
       (select json_build_object('paid', count(*) filter (where kind = 'paid'), 'free', count(*) filter (where kind = 'free'),
                                 'legacy', count(*) filter (where kind = 'legacy'),
                                 'expiring', count(*) filter (where expires_at is not null),
                                 'expired', count(*) filter (where expires_at <= now()))
          from public.credit_blocks) as blocks,
       (select count(*) from public.credit_block_draws) as draws,
       (select count(*) from public.credit_transactions where type = 'expiry') as expiry_entries,
       -- The finance rollup's revenue against the draws it prices.
       (select coalesce(sum(revenue_usd), 0) from public.finance_daily_stats)
         = (select coalesce(sum(d.amount * b.unit_price_usd), 0) from public.credit_block_draws d
              join public.credit_blocks b on b.id = d.block_id and b.kind = 'paid'
              join public.credit_transactions t on t.id = d.transaction_id and t.type = 'spend') as finance_revenue_ok,
       -- The top customers' revenue rollup (20261206200000), daily and monthly, against it.
       (select (select coalesce(sum(revenue_usd - refunded_usd), 0) from public.finance_daily_stats)
                 = (select coalesce(sum(revenue_usd), 0) from public.customer_daily_revenue)
           and (select coalesce(sum(revenue_usd), 0) from public.customer_daily_revenue)
                 = (select coalesce(sum(revenue_usd), 0) from public.customer_monthly_revenue)) as customer_revenue_ok,
       (select coalesce(sum(calls), 0) from public.generation_daily_stats) as rollup_generations,
       (select coalesce(sum(calls), 0) from public.generation_daily_providers) as rollup_provider_generations,
       (select coalesce(sum(entries), 0) from public.ledger_daily_stats) as rollup_ledger,
       -- Active customers from the bitmaps (day, week and month) against a distinct count.
       (select private.active_customers(d - 179, d, null) =
                 (select count(distinct customer_id) from public.generations
                   where (created_at at time zone 'UTC')::date between d - 179 and d)
           and private.active_customers(d - 29, d, 'fal') =
                 (select count(distinct customer_id) from public.generations
                   where provider = 'fal' and (created_at at time zone 'UTC')::date between d - 29 and d)
          from (select (now() at time zone 'UTC')::date as d) t) as active_customers_ok;

-- The bench data set, generated inside Postgres with generate_series: customers, generations
-- over the last {{days}} days, a ledger that keeps the invariant (per customer: credits =
-- sum(delta) = latest balance_after, never below zero) and an audit trail. Sections are run
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
-- order the running sum; each customer's first entry is a purchase topped up by the deepest
-- dip of that running sum, so no balance_after is ever negative. seq orders rows by time, and
-- the loader inserts in seq order, so identity ids grow with created_at as in production.
create unlogged table bench_ledger_raw as
select g as gid, 'pass_' || lpad((1 + floor({{customers}} * power(r1, 2)))::int::text, 7, '0') as customer_id,
       case when r2 < 0.60 then 'spend' when r2 < 0.65 then 'refund' when r2 < 0.80 then 'purchase'
            when r2 < 0.90 then 'grant' when r2 < 0.98 then 'adjustment' else 'expiry' end as type,
       r3, r4, now() - r5 * interval '{{days}} days' as created_at
  from (select g, random() r1, random() r2, random() r3, random() r4, random() r5
          from generate_series(1, {{ledger}}) g) r;
create unlogged table bench_ledger as
with ordered as (
  select *, row_number() over (partition by customer_id order by created_at, gid) as n
    from bench_ledger_raw),
typed as (
  select gid, customer_id, created_at, n, r4,
         case when n = 1 then 'purchase' else type end as type,
         case when n = 1 then 100 + floor(r3 * 400)::int
              when type in ('spend', 'expiry') then -(1 + floor(r3 * 20)::int)
              when type = 'adjustment' and r3 < 0.3 then -(1 + floor(r3 * 20)::int)
              when type = 'refund' then 1 + floor(r3 * 20)::int
              else 1 + floor(r3 * 500)::int end as raw_delta, r3
    from ordered),
running as (
  select *, sum(raw_delta) over (partition by customer_id order by n) as raw_balance
    from typed),
topped as (
  select *, greatest(0, -min(raw_balance) over (partition by customer_id)) as top_up
    from running)
select row_number() over (order by created_at, gid) as seq, customer_id, type, created_at, r3, r4,
       raw_delta + case when n = 1 then top_up else 0 end as delta,
       raw_balance + top_up as balance_after
  from topped;
create index on bench_ledger (seq);
drop table bench_ledger_raw;
-- @ledger
insert into public.credit_transactions (customer_id, type, delta, balance_after, reason, source,
  provider, cost_usd, created_at)
select customer_id, type, delta, balance_after,
       case type when 'adjustment' then 'goodwill, ticket #' || seq when 'grant' then 'welcome bonus' end,
       case type when 'purchase' then 'shopify' when 'grant' then 'manual' else 'system' end,
       case when type in ('spend', 'refund') then
         case when r4 < 0.55 then 'wavespeed' when r4 < 0.75 then 'fal'
              when r4 < 0.90 then 'replicate' else 'openai' end end,
       case when type = 'spend' then round((r3 * 0.2)::numeric, 6) end,
       created_at
  from bench_ledger where seq between {{lo}} and {{hi}} order by seq;
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
       (select coalesce(sum(calls), 0) from public.generation_daily_stats) as rollup_generations,
       (select coalesce(sum(entries), 0) from public.ledger_daily_stats) as rollup_ledger,
       -- Active customers from the bitmaps (day, week and month) against a distinct count.
       (select private.active_customers(d - 179, d, null) =
                 (select count(distinct customer_id) from public.generations
                   where (created_at at time zone 'UTC')::date between d - 179 and d)
           and private.active_customers(d - 29, d, 'fal') =
                 (select count(distinct customer_id) from public.generations
                   where provider = 'fal' and (created_at at time zone 'UTC')::date between d - 29 and d)
          from (select (now() at time zone 'UTC')::date as d) t) as active_customers_ok;

-- Bench data, generated in the database: customers, then generations and ledger rows in
-- chunks ({{lo}} .. {{hi}} are substituted per chunk) spread over the 400 days up to now, so a
-- 180-day range is full. Skewed like real usage: a few heavy customers, WaveSpeed first.
-- @customers
insert into public.customers (id, email, created_at)
select 'bc' || i, 'bench' || i || '@example.com', now() - interval '420 days'
  from generate_series(1, {{customers}}) i;
-- @generations
insert into public.generations (id, customer_id, provider, model, type, status, latency_ms,
  credits_charged, cost_usd, refunded_at, created_at, completed_at)
select 'bg' || i, 'bc' || (1 + floor({{customers}} * power(r1, 2)))::int, provider,
       case provider
         when 'wavespeed' then (array['wan-2.1', 'flux-dev', 'seedance-1'])[1 + floor(r3 * 3)::int]
         when 'fal' then (array['flux-pro', 'kling-1.6'])[1 + floor(r3 * 2)::int]
         when 'replicate' then (array['sdxl', 'hunyuan-video'])[1 + floor(r3 * 2)::int]
         else (array['gpt-image-1', 'dall-e-3'])[1 + floor(r3 * 2)::int] end,
       case when r3 < 0.3 then 'video' else 'image' end, status,
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
               now() - r6 * interval '400 days' as created_at
          from (select i, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6
                  from generate_series({{lo}}, {{hi}}) i) r) g;
-- @ledger
insert into public.credit_transactions (customer_id, type, delta, balance_after, reason, source,
  provider, cost_usd, created_at)
select 'bc' || (1 + floor({{customers}} * power(r1, 2)))::int, type,
       case when type in ('spend', 'expiry') then -(1 + floor(r3 * 20)::int)
            when type = 'adjustment' and r3 < 0.3 then -(1 + floor(r3 * 20)::int)
            else 1 + floor(r3 * 500)::int end,
       100, 'bench', case type when 'purchase' then 'shopify' when 'grant' then 'manual' else 'system' end,
       case when type in ('spend', 'refund') then
         case when r4 < 0.55 then 'wavespeed' when r4 < 0.75 then 'fal'
              when r4 < 0.90 then 'replicate' else 'openai' end end,
       case when type = 'spend' then round((r3 * 0.2)::numeric, 6) end,
       now() - r5 * interval '400 days'
  from (select r1, r3, r4, r5,
               case when r2 < 0.60 then 'spend' when r2 < 0.65 then 'refund' when r2 < 0.80 then 'purchase'
                    when r2 < 0.90 then 'grant' when r2 < 0.98 then 'adjustment' else 'expiry' end as type
          from (select random() r1, random() r2, random() r3, random() r4, random() r5
                  from generate_series({{lo}}, {{hi}}) i) r) l;
-- @staff
insert into auth.users (id, aud, role, email, email_confirmed_at)
values ('{{user_id}}', 'authenticated', 'authenticated', 'finance@bench.creditdesk.dev', now());
insert into public.staff (user_id, email, role) values ('{{user_id}}', 'finance@bench.creditdesk.dev', 'finance');

-- Demo data for CreditDesk: four logins, a few hundred customers, ~90 days of generations
-- across WaveSpeed and other providers, feedback in every status and a consistent ledger.
-- Runs on hosted Supabase (`supabase db reset` / `db push --include-seed`) and the embedded
-- stack alike. Deterministic: setseed makes every fresh database look the same.
--
-- Every statement stands alone: the Supabase CLI prepares each statement of this file before it
-- runs any, so no statement may use an object (a temporary table, a function) that an earlier
-- statement of the file creates. Use CTEs or one DO block instead; add new demo data as another
-- such self-contained section. test/native/seed-cli.test.ts checks it the CLI's way.
select setseed(0.20261122);
-- Seeding writes thousands of rows no person changed: keep them out of the audit trail and
-- let the ledger loader set balances in the same transaction as the ledger rows.
select set_config('creditdesk.skip_row_audit', 'on', false);

-- Demo logins (password: creditdesk-demo).
insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
  confirmation_token, recovery_token, email_change_token_new, email_change)
select '00000000-0000-0000-0000-000000000000', u.id, 'authenticated', 'authenticated', u.email,
       extensions.crypt('creditdesk-demo', extensions.gen_salt('bf')), now(),
       '{"provider":"email","providers":["email"]}'::jsonb, jsonb_build_object('full_name', u.name),
       now() - interval '120 days', now(), '', '', '', ''
from (values
  ('a0000000-0000-4000-8000-000000000001'::uuid, 'admin@creditdesk.dev', 'Ada Admin'),
  ('a0000000-0000-4000-8000-000000000002'::uuid, 'support@creditdesk.dev', 'Sam Support'),
  ('a0000000-0000-4000-8000-000000000003'::uuid, 'finance@creditdesk.dev', 'Fin Finance'),
  ('a0000000-0000-4000-8000-000000000004'::uuid, 'customer@creditdesk.dev', 'Casey Customer')
) as u(id, email, name);

insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select u.id::text, u.id, jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true),
       'email', now(), now(), now()
from auth.users u where u.email like '%@creditdesk.dev';

insert into public.staff (user_id, email, role, created_at)
values ('a0000000-0000-4000-8000-000000000001', 'admin@creditdesk.dev', 'admin', now() - interval '120 days'),
       ('a0000000-0000-4000-8000-000000000002', 'support@creditdesk.dev', 'support', now() - interval '110 days'),
       ('a0000000-0000-4000-8000-000000000003', 'finance@creditdesk.dev', 'finance', now() - interval '100 days');

-- Seed 004's price list, extended with the video and upscale modes of the other seeds.
insert into public.generation_types (type_key, display_name, cost_credits, active) values
  ('text_to_image', 'Text to Image', 4, true),
  ('image_to_image', 'Image to Image', 4, true),
  ('text_to_thumbnail', 'Text to Thumbnail', 10, true),
  ('text_to_video', 'Text to Video', 20, true),
  ('image_to_video', 'Image to Video', 25, true),
  ('upscale', 'Upscale', 2, true),
  ('prompt_enhance', 'Prompt Enhance', 1, true),
  ('face_swap', 'Face Swap (retired)', 6, false);

insert into public.runtime_config (key, value, description) values
  ('generation.enabled', 'true', 'Master switch: false stops all new generations.'),
  ('generation.max_concurrent_per_customer', '3', 'Generations one customer may run at once.'),
  ('providers.enabled', '{"wavespeed": true, "openai": true, "fal": true}', 'Provider switches.'),
  ('providers.default_image_model', '"wavespeed-ai/flux-dev"', 'Model used when the client does not ask for one.'),
  ('rate_limit.per_minute', '20', 'Generation requests per customer per minute.'),
  ('credits.welcome_grant', '20', 'Credits granted to a new verified customer.'),
  ('refunds.auto_refund_failed', 'true', 'Refund failed generations automatically.'),
  ('maintenance.message', '""', 'Shown in the app when not empty.');

insert into public.app_config (key, value, description) values
  ('banner', '{"enabled": false, "text": "", "level": "info"}', 'Banner at the top of the app.'),
  ('links.support', '"https://example.com/support"', 'Help centre link.'),
  ('links.terms', '"https://example.com/terms"', 'Terms of service link.'),
  ('pricing.packs', '[{"credits": 500, "usd": 20}, {"credits": 1500, "usd": 50}, {"credits": 5000, "usd": 150}]', 'Credit packs shown on the pricing page.'),
  ('pricing.copy', '"Bought credits are valid for a year; promotional credits until the date shown."', 'Line under the pricing table.'),
  ('features.video', 'true', 'Show video generation in the app.');

-- Customers: the consolidated shape of seed 001, with Shopify ids for most.
-- Name arrays are inline: an uncorrelated sub-select would be evaluated once for all rows.
with raw as (
  select i,
         (array['Maya','Liam','Noah','Olivia','Emma','Lucas','Sofia','Mateo','Aiko','Yuki',
                'Chen','Priya','Arjun','Fatima','Omar','Lea','Jonas','Elif','Marta','Diego',
                'Nina','Ivan','Zoe','Hugo','Ines','Kai','Lina','Theo','Amara','Sven'])[1 + floor(random() * 30)::int] as first_name,
         (array['Garcia','Smith','Nguyen','Kim','Müller','Rossi','Dubois','Silva','Kowalski','Tanaka',
                'Patel','Haddad','Okafor','Jensen','Novak','Costa','Ivanova','Lopez','Schmidt','Ali'])[1 + floor(random() * 20)::int] as last_name,
         random() as r1, random() as r2, random() as r3, random() as r4
  from generate_series(1, 320) as i)
insert into public.customers (id, shopify_customer_id, email, first_name, last_name, display_name, locale,
  timezone, marketing_opt_in, product_updates_opt_in, expires_at, last_active, verified_email, verified_google,
  verified_apple, verification_method, verification_at, topup_default_packs, auto_topup_enabled,
  auto_topup_monthly_limit_packs, last_topup_at, topup_source, meta, source_system, created_at)
select 'pass_' || substr(md5('customer' || i), 1, 12),
       case when r1 < 0.75 then (7000000000000 + i * 7919)::text end,
       lower(translate(first_name, 'ü', 'u')) || '.' || lower(translate(last_name, 'ü', 'u')) || i || '@example.com',
       first_name, last_name, first_name || ' ' || left(last_name, 1) || '.',
       (array['en-US','en-GB','de-DE','fr-FR','es-ES','ja-JP','pt-BR'])[1 + floor(r2 * 7)::int],
       (array['America/New_York','Europe/London','Europe/Berlin','Europe/Paris','Asia/Tokyo','America/Sao_Paulo','America/Los_Angeles'])[1 + floor(r2 * 7)::int],
       r3 < 0.4, r3 < 0.7,
       case when r4 < 0.15 then now() + (r4 * 200 || ' days')::interval end,
       now() - (r2 * 40 || ' days')::interval,
       r1 < 0.8, r3 < 0.3, r4 < 0.1,
       case when r1 < 0.8 then 'email' when r3 < 0.3 then 'google' end,
       case when r1 < 0.8 then now() - interval '95 days' end,
       3, r2 < 0.2, case when r2 < 0.2 then 5 end,
       now() - (r3 * 60 || ' days')::interval, case when r1 < 0.75 then 'shopify' else 'stripe' end,
       jsonb_build_object('plan', (array['free','plus','pro'])[1 + floor(r4 * 3)::int]),
       case when i % 10 = 0 then 'legacy_mega' else 'creditdesk' end,
       now() - ((95 + r2 * 80) || ' days')::interval
from raw;

-- The demo "customer" login is also a customer of the consumer app.
update public.customers set user_id = 'a0000000-0000-4000-8000-000000000004', email = 'customer@creditdesk.dev',
       first_name = 'Casey', last_name = 'Customer', display_name = 'Casey C.'
 where id = 'pass_' || substr(md5('customer1'), 1, 12);

insert into public.sessions (id, customer_id, platform, title, created_at)
select 'ses_' || substr(md5('session' || c.id || n), 1, 16), c.id,
       (array['web','ios','android'])[1 + floor(random() * 3)::int],
       (array['Product shots','Birthday video','YouTube thumbnails','Logo ideas','Avatar','Trip memories'])[1 + floor(random() * 6)::int],
       now() - (random() * 88 || ' days')::interval
from public.customers c, generate_series(1, 2) as n;

-- Generations: ~7,000 over the last 90 days. Provider, model, type, cost and latency go together.
with models(provider, model, type, content_type, cost_usd, latency_ms, weight) as (values
  ('wavespeed', 'wavespeed-ai/flux-dev', 'text_to_image', 'image', 0.0120, 4200, 24),
  ('wavespeed', 'wavespeed-ai/seedream-v4', 'image_to_image', 'image', 0.0270, 6100, 14),
  ('wavespeed', 'wavespeed-ai/nano-banana', 'text_to_thumbnail', 'image', 0.0390, 5200, 12),
  ('wavespeed', 'wavespeed-ai/wan-2.2-t2v', 'text_to_video', 'video', 0.2000, 48000, 8),
  ('wavespeed', 'wavespeed-ai/kling-v2-i2v', 'image_to_video', 'video', 0.2800, 61000, 5),
  ('wavespeed', 'wavespeed-ai/real-esrgan', 'upscale', 'image', 0.0040, 2100, 7),
  ('openai', 'gpt-image-1', 'text_to_image', 'image', 0.0420, 9800, 10),
  ('openai', 'gpt-4o-mini', 'prompt_enhance', 'text', 0.0006, 900, 12),
  ('fal', 'fal-ai/flux-pro', 'text_to_thumbnail', 'image', 0.0500, 5600, 8)
), picks as (
  select g, random() as r_model, random() as r_status, random() as r_time, random() as r_cust, random() as r_lat
  from generate_series(1, 7000) as g
), weighted as (
  select m.*, sum(weight) over (order by model) - weight as lo, sum(weight) over (order by model) as hi,
         sum(weight) over () as total
  from models m
)
insert into public.generations (id, customer_id, session_id, type, platform, prompt, output_url, output_key,
  provider, model, status, error, latency_ms, input_chars, output_chars, input_tokens, output_tokens, content_type,
  credits_charged, cost_usd, client_version, os, browser, device, completed_at, created_at)
select 'gen_' || substr(md5('generation' || p.g), 1, 16),
       c.id, s.id, w.type, s.platform,
       (array['a cozy cabin in the snow at dusk','product photo of a ceramic mug on marble','cyberpunk city street, rain, neon',
              'my dog as a renaissance painting','thumbnail: 10 tips for better sleep','logo for a coffee shop called Bean There',
              'drone shot over a turquoise lagoon','portrait in studio light, 85mm'])[1 + (p.g % 8)],
       case when st.status = 'succeeded' and w.content_type <> 'text'
            then 'https://cdn.example.com/outputs/' || substr(md5('out' || p.g), 1, 20) ||
                 case w.content_type when 'video' then '.mp4' else '.png' end end,
       case when st.status = 'succeeded' then 'outputs/' || substr(md5('out' || p.g), 1, 20) end,
       w.provider, w.model, st.status,
       case when st.status = 'failed' then (array['Provider timeout after 120s','NSFW filter rejected the prompt',
            'Upstream 503 from provider','Invalid input image','Out of GPU capacity, retry later'])[1 + (p.g % 5)] end,
       case when st.status in ('succeeded', 'failed') then (w.latency_ms * (0.5 + p.r_lat))::int end,
       40 + (p.g % 120), case when w.content_type = 'text' then 200 + (p.g % 400) end,
       case when w.content_type = 'text' then 12 + (p.g % 40) end,
       case when w.content_type = 'text' then 60 + (p.g % 200) end,
       w.content_type,
       gt.cost_credits,
       case when st.status = 'succeeded' then w.cost_usd when st.status = 'failed' then round(w.cost_usd * 0.2, 6) else 0 end,
       (array['2.3.1','2.4.0','2.4.2'])[1 + (p.g % 3)],
       (array['macOS','Windows','iOS','Android'])[1 + (p.g % 4)],
       (array['Chrome','Safari','Firefox','Edge'])[1 + (p.g % 4)],
       (array['desktop','mobile','tablet'])[1 + (p.g % 3)],
       case when st.status in ('succeeded', 'failed', 'cancelled') then t.created_at + (w.latency_ms || ' milliseconds')::interval end,
       t.created_at
from picks p
join weighted w on p.r_model * w.total >= w.lo and p.r_model * w.total < w.hi
join public.generation_types gt on gt.type_key = w.type
cross join lateral (select now() - (power(p.r_time, 1.3) * 89.5 || ' days')::interval as created_at) t
cross join lateral (select case
    when t.created_at > now() - interval '10 minutes' and p.r_status < 0.5 then 'processing'
    when p.r_status < 0.86 then 'succeeded'
    when p.r_status < 0.97 then 'failed'
    when p.r_status < 0.985 then 'cancelled'
    else 'pending' end as status) st
-- Skewed towards a few heavy users, as real products are.
join (select id, row_number() over (order by id) as rn, count(*) over () as n from public.customers) c
  on c.rn = 1 + floor(power(p.r_cust, 1.8) * c.n)::int
left join lateral (select id, platform from public.sessions where customer_id = c.id order by id limit 1) s on true;

-- The ledger, written in time order so balance_after is a running sum that never dips below 0.
-- Every customer opens with the credit packs of the pricing page (app_config pricing.packs),
-- largest first, bought one every 12 hours from sign-up, enough for all they later spend;
-- customers carried over from MEGA open with their old balance instead (price unknown: a
-- legacy block). Auto top-up buys the middle pack. About seven in ten failed generations were
-- refunded, two minutes after they failed; the same statement marks them refunded. One
-- statement, because every statement of this file must stand alone (see the top of the file).
with spend as (
  select customer_id, coalesce(sum(credits_charged), 0) as total from public.generations group by customer_id
), packs as (
  select row_number() over (order by (p ->> 'credits')::int) as k, (p ->> 'credits')::int as credits,
         (p ->> 'usd')::numeric as usd
    from public.app_config a cross join lateral jsonb_array_elements(a.value) p
   where a.key = 'pricing.packs'
), need as (
  select c.id, c.created_at, c.source_system, coalesce(c.topup_source, 'shopify') as source,
         (coalesce(sp.total, 0) + 50 + random() * 400)::int as credits
    from public.customers c left join spend sp on sp.customer_id = c.id
), bought as (
  -- Largest packs first, then the middle ones, then as many small ones as cover the rest.
  select n.id, n.created_at, n.source, p.credits, p.usd, p.k,
         case p.k when 3 then n.credits / p.credits
                  when 2 then (n.credits % p3.credits) / p.credits
                  else ceil(((n.credits % p3.credits) % p2.credits)::numeric / p.credits)::int end as how_many
    from need n cross join packs p
    join packs p2 on p2.k = 2 join packs p3 on p3.k = 3
   where n.source_system <> 'legacy_mega'
), orders as (
  select b.*, row_number() over (partition by b.id order by b.k desc, o) as nth
    from bought b cross join lateral generate_series(1, b.how_many) as o
), entries as materialized (
  select o.id as customer_id, 'purchase' as type, o.credits as delta,
         format('%s credits for $%s', o.credits, to_char(o.usd, 'FM999999990.00')) as reason, o.source as source,
         'payment' as ref_type, 'seed-order-' || substr(md5(o.id || o.nth), 1, 12) as ref_id,
         null::text as provider, null::numeric as cost_usd,
         'purchase:' || o.source || ':seed-order-' || substr(md5(o.id || o.nth), 1, 12) as idempotency_key,
         null::uuid as actor, o.created_at + (o.nth - 1) * interval '12 hours' as created_at, 1 as seq
    from orders o
  union all
  select n.id, 'adjustment', (ceil(n.credits / 100.0) * 100)::int, 'Balance carried over from MEGA', 'import',
         null, null, null, null, 'import:mega:' || n.id, null, n.created_at, 1
    from need n where n.source_system = 'legacy_mega'
  union all
  select c.id, 'grant', 20, 'Welcome credits', 'system', null, null, null, null,
         'grant:welcome:' || c.id, null, c.created_at + interval '1 hour', 2
    from public.customers c where c.verified_any
  union all
  select g.customer_id, 'spend', -g.credits_charged, 'Generation: ' || g.type, 'system', 'generation', g.id,
         g.provider, g.cost_usd, 'spend:generation:' || g.id, null, g.created_at, 3
    from public.generations g where g.credits_charged > 0
  union all
  select c.id, 'purchase', p.credits, format('%s credits for $%s', p.credits, to_char(p.usd, 'FM999999990.00')),
         'shopify', 'payment', 'seed-topup-' || substr(md5(c.id), 1, 12), null, null,
         'purchase:shopify:seed-topup-' || substr(md5(c.id), 1, 12), null, now() - (random() * 45 || ' days')::interval, 4
    from public.customers c join packs p on p.k = 2 where c.auto_topup_enabled
  union all
  select c.id, 'adjustment', (5 + floor(random() * 10) * 5)::int,
         (array['Goodwill: slow renders last week','Compensation for failed video batch','Ticket #4821: double charge',
                'Beta tester thank-you'])[1 + floor(random() * 4)::int],
         'manual', null, null, null, null, 'seed:adjust:' || c.id,
         'a0000000-0000-4000-8000-000000000002'::uuid, now() - (random() * 60 || ' days')::interval, 5
    from public.customers c where md5(c.id) < '1c'
  union all
  select g.customer_id, 'refund', g.credits_charged, 'Automatic refund of failed generation', 'system',
         'generation', g.id, g.provider, null, 'refund:generation:' || g.id, null, g.created_at + interval '2 minutes', 6
    from public.generations g
   where g.status = 'failed' and g.credits_charged > 0 and md5('refund' || g.id) < 'b3'
), refunded as (
  update public.generations g set refunded_at = g.created_at + interval '2 minutes'
    from entries l where l.type = 'refund' and l.ref_id = g.id
)
insert into public.credit_transactions (customer_id, type, delta, balance_after, reason, source, ref_type,
  ref_id, provider, cost_usd, idempotency_key, actor, created_at)
select customer_id, type, delta,
       sum(delta) over (partition by customer_id order by created_at, seq, idempotency_key),
       reason, source, ref_type, ref_id, provider, cost_usd, idempotency_key, actor, created_at
  from entries
 order by created_at, seq, idempotency_key;

select set_config('creditdesk.ledger_write', 'on', false);
-- The balance row is the one source: its foreign key's cascade sets customers.credits.
update public.customer_balances b set credits = t.balance
  from (select customer_id, sum(delta)::int as balance from public.credit_transactions group by customer_id) t
 where t.customer_id = b.customer_id;
update public.customers c set last_topup_at = t.last_purchase
  from (select customer_id, max(created_at) filter (where type = 'purchase') as last_purchase
          from public.credit_transactions group by customer_id) t
 where t.customer_id = c.id;
select set_config('creditdesk.ledger_write', '', false);

-- The history's credit blocks, as the credit functions would have drawn them (45_credit_blocks.sql):
-- every pack a paid block (its price per credit, valid for a year), every grant and positive
-- adjustment a free block, a MEGA balance a legacy block; every spend draws soonest expiry first
-- (never-expiring last), then free before legacy before paid, then oldest first, from the blocks
-- that existed then, and a refund gives back exactly what its spend drew. The drawdown runs
-- here in memory over the ledger in order and is written in two statements; the real
-- functions per row would make every stack start tens of seconds slower.
do $history_blocks$
declare
  v_row record;
  -- The blocks, one per raising entry, grouped by customer, each customer's in drawdown order.
  b_src bigint[];
  b_customer text[];
  b_rem integer[];
  v_lo integer := 1;
  v_hi integer := 0;
  v_customer text;
  v_need integer;
  v_take integer;
  v_first_draw integer;
  v_restored integer;
  -- The draws: entry, block (index into b_*), amount, time.
  d_tx bigint[] := '{}';
  d_block integer[] := '{}';
  d_amount integer[] := '{}';
  d_at timestamptz[] := '{}';
begin
  select array_agg(t.id order by t.customer_id, x.expires_at nulls last, x.draw_rank, t.created_at, t.id),
         array_agg(t.customer_id order by t.customer_id, x.expires_at nulls last, x.draw_rank, t.created_at, t.id),
         array_agg(t.delta order by t.customer_id, x.expires_at nulls last, x.draw_rank, t.created_at, t.id)
    into b_src, b_customer, b_rem
    from public.credit_transactions t
    cross join lateral (select case when t.type = 'purchase' then t.created_at + interval '365 days' end as expires_at,
                               case when t.type = 'purchase' then 2 when t.source = 'import' then 1 else 0 end as draw_rank) x
   where t.delta > 0 and t.type <> 'refund';

  for v_row in
    select t.id, t.customer_id, t.delta, t.created_at, s.id as spend_id
      from public.credit_transactions t
      left join public.credit_transactions s
        on t.type = 'refund' and s.type = 'spend' and s.ref_type = 'generation' and s.ref_id = t.ref_id
       and s.customer_id = t.customer_id
     where t.delta < 0 or t.type = 'refund'
     order by t.customer_id, t.id
  loop
    if v_customer is distinct from v_row.customer_id then
      v_customer := v_row.customer_id;
      v_lo := v_hi + 1;
      while v_lo <= cardinality(b_src) and b_customer[v_lo] < v_customer loop
        v_lo := v_lo + 1;
      end loop;
      v_hi := v_lo - 1;
      while v_hi < cardinality(b_src) and b_customer[v_hi + 1] = v_customer loop
        v_hi := v_hi + 1;
      end loop;
      v_first_draw := cardinality(d_tx) + 1;
    end if;
    if v_row.delta < 0 then
      v_need := -v_row.delta;
      for i in v_lo..v_hi loop
        exit when v_need = 0;
        if b_src[i] < v_row.id and b_rem[i] > 0 then
          v_take := least(b_rem[i], v_need);
          b_rem[i] := b_rem[i] - v_take;
          v_need := v_need - v_take;
          d_tx := d_tx || v_row.id;
          d_block := d_block || i;
          d_amount := d_amount || v_take;
          d_at := d_at || v_row.created_at;
        end if;
      end loop;
      if v_need > 0 then
        raise exception 'seed: the blocks of % lack % credits for entry %', v_customer, v_need, v_row.id;
      end if;
    else
      -- The spend's draws are among the customer's latest (a refund follows its spend by minutes).
      v_restored := 0;
      for j in reverse cardinality(d_tx)..v_first_draw loop
        exit when d_tx[j] < v_row.spend_id;
        if d_tx[j] = v_row.spend_id then
          b_rem[d_block[j]] := b_rem[d_block[j]] + d_amount[j];
          v_restored := v_restored + d_amount[j];
          d_tx := d_tx || v_row.id;
          d_block := d_block || d_block[j];
          d_amount := d_amount || -d_amount[j];
          d_at := d_at || v_row.created_at;
        end if;
      end loop;
      if v_restored <> v_row.delta then
        raise exception 'seed: refund % restores % of % credits', v_row.id, v_restored, v_row.delta;
      end if;
    end if;
  end loop;

  perform set_config('creditdesk.ledger_write', 'on', true);
  insert into public.credit_blocks (customer_id, kind, source_transaction_id, original, remaining,
    unit_price_usd, amount_usd, expires_at, created_at)
  select t.customer_id, case when t.type = 'purchase' then 'paid' when t.source = 'import' then 'legacy' else 'free' end,
         t.id, t.delta, b.remaining,
         case when t.type = 'purchase' then round(p.usd / t.delta, 10) when t.source = 'import' then null else 0 end,
         p.usd, case when t.type = 'purchase' then t.created_at + interval '365 days' end, t.created_at
    from unnest(b_src, b_rem) as b(src, remaining)
    join public.credit_transactions t on t.id = b.src
    left join lateral (select (x ->> 'usd')::numeric as usd
                         from public.app_config a cross join lateral jsonb_array_elements(a.value) x
                        where a.key = 'pricing.packs' and t.type = 'purchase' and (x ->> 'credits')::int = t.delta) p on true
   order by t.id;
  insert into public.credit_block_draws (transaction_id, block_id, amount, created_at)
  select d.tx, cb.id, d.amount, d.at
    from unnest(d_tx, d_block, d_amount, d_at) with ordinality as d(tx, block, amount, at, n)
    join public.credit_blocks cb on cb.source_transaction_id = b_src[d.block]
   order by d.n;
  perform set_config('creditdesk.ledger_write', '', true);
end $history_blocks$;

-- The manual adjustments above were made by the support login: their audit rows.
insert into public.admin_audit (at, actor_id, actor_email, action, table_name, record_id, method, route, details)
select t.created_at, t.actor, 'support@creditdesk.dev', 'credits.adjust', 'customers', t.customer_id, 'POST',
       '/rpc/adjust_credits', jsonb_build_object('transaction_id', t.id, 'type', t.type, 'delta', t.delta,
       'reason', t.reason, 'changes', jsonb_build_object('credits',
         jsonb_build_object('before', t.balance_after - t.delta, 'after', t.balance_after)))
  from public.credit_transactions t where t.type = 'adjustment' and t.actor is not null;

-- A few disabled accounts, with their reason and audit row.
update public.customers set disabled = true, disabled_reason = 'Chargeback on Shopify order'
 where md5(id || 'disabled') < '0c';
insert into public.admin_audit (at, actor_id, actor_email, action, table_name, record_id, method, route, details)
select now() - interval '3 days', 'a0000000-0000-4000-8000-000000000002', 'support@creditdesk.dev',
       'customers.disable', 'customers', id, 'POST', '/rpc/set_customer_disabled',
       jsonb_build_object('reason', disabled_reason, 'changes', jsonb_build_object(
         'disabled', jsonb_build_object('before', false, 'after', true)))
  from public.customers where disabled;

-- Feedback in every status, most of it about a real generation.
insert into public.feedback (id, customer_id, session_id, generation_id, result_type, comment, image_url,
  video_url, status, admin_note, created_at)
select 'fb_' || substr(md5('feedback' || n), 1, 16), g.customer_id, g.session_id, g.id,
       (array['bad_quality','wrong_style','artifact','failed','great','other'])[1 + n % 6],
       (array['Hands look weird','Not the style I asked for','Video stutters at 3s','Took forever and failed',
              'Love it, thank you!','Text in the image is misspelled','Colors are washed out'])[1 + n % 7],
       case when g.content_type = 'image' then g.output_url end,
       case when g.content_type = 'video' then g.output_url end,
       st.status,
       case when st.status in ('reviewed', 'resolved', 'dismissed')
            then (array['Known provider issue, refunded','Asked customer for the prompt','Duplicate report',
                        'Passed to the model team'])[1 + n % 4] end,
       g.created_at + interval '30 minutes'
  from generate_series(1, 420) as n
  cross join lateral (select case when n % 10 < 4 then 'new' when n % 10 < 6 then 'reviewed'
                                  when n % 10 < 9 then 'resolved' else 'dismissed' end as status) st
  join (select id, customer_id, session_id, content_type, output_url, created_at,
               row_number() over (order by id) as rn from public.generations) g on g.rn = 1 + (n * 16) % 7000;

-- Past sign-ins of the demo staff.
insert into public.admin_sessions (user_id, email, session_hash, ip, user_agent, first_seen_at, last_seen_at, ended_at)
select s.user_id, s.email, encode(extensions.digest(s.email || d, 'sha256'), 'hex'), '203.0.113.' || (10 + d),
       'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/17.5',
       now() - (d * 3 || ' days')::interval, now() - (d * 3 || ' days')::interval + interval '3 hours',
       now() - (d * 3 || ' days')::interval + interval '3 hours'
  from public.staff s, generate_series(1, 6) as d;

select set_config('creditdesk.skip_row_audit', '', false);

-- The credit lifecycle, one self-contained block: on top of the history above (whose blocks
-- are already drawn), a month of business runs through the real functions, each
-- call at its moment of the month (creditdesk.clock, honoured outside PostgREST only): credit
-- packs bought at real prices, promotion and referral grants that expire (the oldest already
-- have), generations started and finished, failures refunded to the blocks they drew from,
-- and the expiry job every few days.
do $lifecycle$
declare
  v_service constant text := '{"role": "service_role"}';
  v_day integer;
  v_at timestamptz;
  v_buyer record;
  v_gen record;
  v_started json;
  -- The customers taking part, in a fixed shuffled order; a customer's number is its index.
  v_ids text[] := array(select c.id from public.customers c where not c.disabled
                         order by md5('lifecycle' || c.id));
begin
  for v_day in reverse 30..0 loop
    -- Each day in time order: the night's purchases, then grants, then the day's generations.
    -- Purchases: packs of 500 for $20 and 1,500 for $50, valid for a year.
    perform set_config('request.jwt.claims', v_service, true);
    for v_buyer in
      select v_ids[rn] as id, rn from generate_series(1, least(62, cardinality(v_ids))) as rn where rn % 31 = v_day
    loop
      v_at := date_trunc('day', now()) - make_interval(days => v_day) + make_interval(mins => 5 + (v_buyer.rn % 10)::int);
      perform set_config('creditdesk.clock', least(v_at, now() - interval '20 minutes')::text, true);
      perform public.purchase_credits(v_buyer.id, case when v_buyer.rn % 3 = 0 then 1500 else 500 end,
        case when v_buyer.rn % 3 = 0 then 50.00 else 20.00 end, 'seed-order-' || v_buyer.rn || '-' || v_day,
        case when v_buyer.rn % 4 = 0 then 'stripe' else 'shopify' end, private.clock() + interval '365 days');
    end loop;

    -- Promotion grants by the product backend: a spring promotion a month ago (two weeks'
    -- validity, now expired) and referral bonuses since (60 days). (Staff authority needs a live
    -- admin session since 20261201500100, which a seed does not have.)
    for v_buyer in
      select v_ids[rn] as id, rn from generate_series(1, least(112, cardinality(v_ids))) as rn
       where (v_day between 25 and 30 and rn % 6 = v_day - 25 and rn <= 48)
          or (v_day < 25 and rn % 25 = v_day and rn >= 63)
    loop
      v_at := date_trunc('day', now()) - make_interval(days => v_day) + make_interval(mins => 20 + (v_buyer.rn % 6)::int);
      perform set_config('creditdesk.clock', least(v_at, now() - interval '20 minutes')::text, true);
      if v_day >= 25 then
        perform public.grant_credits(v_buyer.id, 100, 'Spring promotion', private.clock() + interval '14 days',
          'seed-promo-' || v_buyer.id);
      else
        perform public.grant_credits(v_buyer.id, 50, 'Referral bonus: invited a friend who bought a pack',
          private.clock() + interval '60 days', 'seed-referral-' || v_buyer.id);
      end if;
    end loop;

    -- Generations: 6 a day (beside the older history above), started and finished by the backend; about one in ten fails
    -- (refunded) and one in fifty is cancelled (refunded).
    perform set_config('request.jwt.claims', v_service, true);
    for v_gen in
      select g, v_ids[1 + ((g * 37 + v_day * 11) % least(112, cardinality(v_ids)))] as customer_id, m.*,
             case when (g * 7 + v_day) % 50 = 0 then 'cancelled' when (g * 7 + v_day) % 10 = 3 then 'failed'
                  else 'succeeded' end as status
        from generate_series(1, 6) as g
        cross join lateral (select * from (values
          (0, 'wavespeed', 'wavespeed-ai/kling-v2-i2v', 'image_to_video', 'video', 0.2800, 61000),
          (1, 'wavespeed', 'wavespeed-ai/seedream-v4', 'image_to_image', 'image', 0.0270, 6100),
          (2, 'wavespeed', 'wavespeed-ai/nano-banana', 'text_to_thumbnail', 'image', 0.0390, 5200),
          (3, 'wavespeed', 'wavespeed-ai/wan-2.2-t2v', 'text_to_video', 'video', 0.2000, 48000),
          (4, 'openai', 'gpt-image-1', 'text_to_image', 'image', 0.0420, 9800),
          (5, 'wavespeed', 'wavespeed-ai/wan-2.2-t2v', 'text_to_video', 'video', 0.2000, 48000),
          (6, 'fal', 'fal-ai/flux-pro', 'text_to_thumbnail', 'image', 0.0500, 5600),
          (7, 'wavespeed', 'wavespeed-ai/flux-dev', 'text_to_image', 'image', 0.0120, 4200)
        ) as m(k, provider, model, type, content_type, cost_usd, latency_ms) where m.k = (g + v_day) % 8) m
    loop
      v_at := date_trunc('day', now()) - make_interval(days => v_day) + make_interval(mins => 130 * v_gen.g);
      -- Today's last few are still running.
      if v_at > now() - interval '10 minutes' then
        continue;
      end if;
      perform set_config('creditdesk.clock', v_at::text, true);
      if (select credits from public.customers where id = v_gen.customer_id)
         < (select cost_credits from public.generation_types where type_key = v_gen.type) then
        perform public.purchase_credits(v_gen.customer_id, 500, 20.00, 'seed-topup-' || v_gen.customer_id || '-' || v_day,
          'shopify', private.clock() + interval '365 days');
      end if;
      v_started := public.start_generation(v_gen.customer_id, v_gen.type, v_gen.provider, v_gen.model,
        (array['a cozy cabin in the snow at dusk', 'product photo of a ceramic mug on marble',
               'thumbnail: 10 tips for better sleep', 'drone shot over a turquoise lagoon'])[1 + v_gen.g % 4],
        'seed-gen-' || v_day || '-' || v_gen.g, null, '{"seed": "lifecycle"}');
      if v_at > now() - interval '20 minutes' then
        continue;
      end if;
      perform set_config('creditdesk.clock', (v_at + make_interval(secs => v_gen.latency_ms / 1000.0))::text, true);
      perform public.finish_generation(v_started ->> 'generation_id', v_gen.status,
        case when v_gen.status = 'succeeded' and v_gen.content_type <> 'text'
             then 'https://cdn.example.com/outputs/lifecycle-' || v_day || '-' || v_gen.g || '.png' end,
        v_gen.content_type, v_gen.latency_ms,
        case v_gen.status when 'succeeded' then v_gen.cost_usd when 'failed' then round(v_gen.cost_usd * 0.2, 6) else 0 end,
        case when v_gen.status = 'failed' then 'Upstream 503 from provider' end, null);
    end loop;

    if v_day % 3 = 0 then
      perform public.expire_credits(private.clock());
    end if;
  end loop;

  perform set_config('creditdesk.clock', '', true);
  perform public.expire_credits(now());
  perform set_config('request.jwt.claims', '', true);
end $lifecycle$;

// The credit lifecycle's write paths (issue 15), one call each as the product backend (service
// role, a webhook or the generation worker) or support (the Customer page's Grant dialog)
// sends it, against the bench's full-size tables. The naive variant is what the same step
// took before these functions existed: the backend inserted the generation and charged it in
// two requests (as bench:writes still measures), marked it finished with a PATCH and refunded
// with refund_credits; credits came in only as a support adjustment by hand.
import { randomUUID } from 'node:crypto';

const TYPE = 'bench_image';
const PRICE = 4;

/**
 * Bench-only customers and staff for the write paths: `count` customers funded with a paid
 * block each, a support member with a live sign-in, and a generation type to start.
 * @param {import('pg').Client} db superuser connection to the bench cluster
 */
export async function prepareWrites(db, { count = 8, supportUserId = randomUUID() } = {}) {
  const ids = Array.from(
    { length: count },
    (_, i) => `bench-lifecycle-${String(i + 1).padStart(3, '0')}`,
  );
  await db.query(
    `insert into public.generation_types (type_key, display_name, cost_credits, active)
     values ($1, 'Bench image', $2, true) on conflict (type_key) do nothing`,
    [TYPE, PRICE],
  );
  await db.query(
    `insert into public.customers (id, email, source_system)
     select id, id || '@bench.creditdesk.dev', 'creditdesk' from unnest($1::text[]) as id
     on conflict (id) do nothing`,
    [ids],
  );
  const email = 'support-writes@bench.creditdesk.dev';
  await db.query(
    `insert into auth.users (id, aud, role, email, email_confirmed_at)
     values ($1, 'authenticated', 'authenticated', $2, now())`,
    [supportUserId, email],
  );
  // Staff authority needs a live sign-in: an auth.sessions row whose id the token names.
  await db.query('insert into auth.sessions (id, user_id) values ($1, $1)', [supportUserId]);
  await db.query(`insert into public.staff (user_id, email, role) values ($1, $2, 'support')`, [
    supportUserId,
    email,
  ]);
  return { ids, supportUserId, supportEmail: email };
}

/** Funds every bench customer with a large paid block, so the timed runs never run dry. */
export async function fundWrites(service, ids) {
  for (const id of ids)
    await service.rpc('purchase_credits', {
      p_customer_id: id,
      p_credits: 100_000,
      p_amount_usd: 3000,
      p_payment_ref: `bench-funding-${id}-${Date.now()}`,
      p_source: 'stripe',
    });
}

/** PostgREST over HTTP with one bearer token, as supabase-js sends it. */
export function restClient({ url, apikey, token }) {
  const headers = {
    apikey,
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    prefer: 'return=minimal',
  };
  const call = async (method, path, body) => {
    const res = await fetch(`${url}/rest/v1/${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return {
    rpc: (name, args) => call('POST', `rpc/${name}`, args),
    insert: (table, row) => call('POST', table, row),
    patch: (table, filter, row) => call('PATCH', `${table}?${filter}`, row),
  };
}

/**
 * @param {{ service: ReturnType<typeof restClient>, support: any, customerIds: string[] }} o
 *   support: the app's data provider with the support member's token
 * @returns the scenarios: `run` is the lifecycle call, `naive` the pre-lifecycle steps,
 *   `prepare(n)` makes what n runs of either consume (started generations to finish)
 */
export function writeScenarios({ service, support, customerIds }) {
  const tag = Date.now().toString(36);
  let n = 0;
  const next = () => ++n;
  const customer = (k) => customerIds[k % customerIds.length];
  const start = (k) =>
    service.rpc('start_generation', {
      p_customer_id: customer(k),
      p_type: TYPE,
      p_provider: 'wavespeed',
      p_model: 'wavespeed-ai/flux-dev',
      p_prompt: 'a bench prompt',
      p_idempotency_key: `bench-start-${tag}-${k}`,
    });
  // Generations started (untimed) for the finish scenarios to finish, one per run.
  const pending = { succeeded: [], failed: [] };
  const startMany = async (status, count) => {
    for (let i = 0; i < count; i++) {
      const k = next();
      const r = await start(k);
      pending[status].push({ id: r.generation_id, customer: customer(k) });
    }
  };
  const naiveStart = async (k) => {
    const id = `gen-bench-${tag}-${k}`;
    await service.insert('generations', {
      id,
      customer_id: customer(k),
      type: TYPE,
      provider: 'wavespeed',
      model: 'wavespeed-ai/flux-dev',
      prompt: 'a bench prompt',
      status: 'pending',
      credits_charged: PRICE,
    });
    await service.rpc('consume_credits', {
      p_customer_id: customer(k),
      p_amount: PRICE,
      p_generation_id: id,
      p_idempotency_key: `bench-naive-spend-${tag}-${k}`,
    });
  };
  const finishRow = (status) => ({
    status,
    completed_at: new Date().toISOString(),
    latency_ms: 4200,
    cost_usd: status === 'succeeded' ? 0.012 : 0.0024,
    ...(status === 'succeeded'
      ? { output_url: 'https://cdn.example.com/bench.png', content_type: 'image' }
      : { error: 'Upstream 503 from provider' }),
  });
  const finish = (status) => ({
    name: `finish_generation: ${status === 'succeeded' ? 'succeeded' : 'failed → refund'}`,
    target: 25,
    prepare: (count) => startMany(status, count),
    run: () => {
      const g = pending[status].shift();
      return service.rpc('finish_generation', {
        p_generation_id: g.id,
        p_status: status,
        p_output_url: status === 'succeeded' ? 'https://cdn.example.com/bench.png' : null,
        p_content_type: 'image',
        p_latency_ms: 4200,
        p_cost_usd: status === 'succeeded' ? 0.012 : 0.0024,
        p_error: status === 'failed' ? 'Upstream 503 from provider' : null,
      });
    },
    naive: async () => {
      const g = pending[status].shift();
      await service.patch('generations', `id=eq.${encodeURIComponent(g.id)}`, finishRow(status));
      if (status === 'failed')
        await service.rpc('refund_credits', {
          p_customer_id: g.customer,
          p_amount: PRICE,
          p_generation_id: g.id,
          p_idempotency_key: `bench-naive-refund-${g.id}`,
        });
    },
    naiveNote: status === 'succeeded' ? 'PATCH generations' : 'PATCH generations + refund_credits',
  });
  const byHand = (k) =>
    support.adjustCredits({
      customerId: customer(k),
      delta: 500,
      reason: 'Bench: credits added by hand',
      idempotencyKey: `bench-adjust-${tag}-${k}`,
    });
  return [
    {
      name: 'purchase_credits (webhook)',
      target: 25,
      run: () => {
        const k = next();
        return service.rpc('purchase_credits', {
          p_customer_id: customer(k),
          p_credits: 500,
          p_amount_usd: 20,
          p_payment_ref: `bench-order-${tag}-${k}`,
          p_source: 'stripe',
          p_expires_at: new Date(Date.now() + 365 * 86_400_000).toISOString(),
        });
      },
      naive: () => byHand(next()),
      naiveNote: 'adjust_credits by support (no price)',
    },
    {
      name: 'grant_credits (support, with expiry)',
      target: 25,
      run: () => {
        const k = next();
        return support.grantCredits({
          customerId: customer(k),
          credits: 50,
          reason: 'Bench: referral bonus',
          expiresAt: new Date(Date.now() + 60 * 86_400_000).toISOString(),
          idempotencyKey: `bench-grant-${tag}-${k}`,
        });
      },
      naive: () => byHand(next()),
      naiveNote: 'adjust_credits by support (no expiry)',
    },
    {
      name: 'start_generation',
      target: 25,
      run: () => start(next()),
      naive: () => naiveStart(next()),
      naiveNote: 'POST generations + consume_credits',
    },
    finish('succeeded'),
    finish('failed'),
  ];
}

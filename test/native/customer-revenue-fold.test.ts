// The top customers' revenue in finance_metrics comes from customer_daily_revenue and
// customer_monthly_revenue, which the finance fold adds the deltas' customers into, plus the
// unfolded tail (supabase/schemas/76_finance_metrics.sql, "Revenue per customer"). On a native
// Postgres with the stack's jobs running: customers with paid blocks spend and get refunds,
// a fold runs mid-way, more spends and refunds stay unfolded (the fold's lock held, so the
// stack's timer cannot fold them), then a paid block expires and the expiry job folds. At each
// step every top customer's revenue must equal the raw draws of paid blocks (spends and
// refunds, not the expiry), for one day, a range the monthly rows serve and all providers,
// and the rows plus the tail must equal the raw draws key by key.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO, newCustomer, serviceClient, signedIn, unique, type Client } from '../support/db';
import { decodeFinanceMetrics } from '@/dashboards/columns';
import type { FinanceMetricsAnswer } from '@/providers/rpcTypes';

const databaseUrl = inject('databaseUrl');
const FOLD_LOCK = "hashtext('creditdesk.finance_fold')";

/** Each customer's revenue in [from, to] (of a provider, or all) from the raw draws, in cents. */
const RAW_REVENUE = `
  select b.customer_id, round(sum(d.amount * b.unit_price_usd), 2)::text as revenue
    from public.credit_block_draws d
    join public.credit_blocks b on b.id = d.block_id and b.kind = 'paid'
    join public.credit_transactions t on t.id = d.transaction_id and t.type in ('spend', 'refund')
   where b.customer_id = any ($1) and ($4::text is null or t.provider = $4)
     and d.created_at >= $2::date::timestamp at time zone 'UTC'
     and d.created_at < ($3::date + 1)::timestamp at time zone 'UTC'
   group by 1`;

/** The per-customer daily rows plus the tail against the raw draws, key by key: what differs. */
const ROLLUP_VS_RAW = `
  with raw as (
    select b.customer_id, (d.created_at at time zone 'UTC')::date as day, coalesce(t.provider, '') as provider,
           sum(d.amount * b.unit_price_usd) as revenue
      from public.credit_block_draws d
      join public.credit_blocks b on b.id = d.block_id and b.kind = 'paid'
      join public.credit_transactions t on t.id = d.transaction_id and t.type in ('spend', 'refund')
     where b.customer_id = any ($1) group by 1, 2, 3
  ), seen as (
    select customer_id, day, provider, sum(revenue) as revenue
      from (select customer_id, day, provider, revenue_usd as revenue from public.customer_daily_revenue
             where customer_id = any ($1)
            union all
            select customer_id, day, provider, revenue_usd - refunded_usd from public.finance_daily_deltas
             where customer_id = any ($1) and (revenue_usd <> 0 or refunded_usd <> 0)) x
     group by 1, 2, 3
  ), monthly as (
    select customer_id, month, provider, sum(revenue) as revenue
      from (select customer_id, month, provider, revenue_usd as revenue from public.customer_monthly_revenue
             where customer_id = any ($1)
            union all
            select customer_id, date_trunc('month', day)::date, provider, revenue_usd - refunded_usd
              from public.finance_daily_deltas where customer_id = any ($1)) x
     group by 1, 2, 3
  ), raw_monthly as (
    select customer_id, date_trunc('month', day)::date as month, provider, sum(revenue) as revenue
      from raw group by 1, 2, 3
  )
  select 'daily' as what, * from ((table raw except table seen) union all (table seen except table raw)) d
  union all
  select 'monthly', * from ((table raw_monthly except table monthly) union all (table monthly except table raw_monthly)) m`;

const iso = (d: Date) => d.toISOString().slice(0, 10);

describe.skipIf(!databaseUrl)('per-customer revenue rollup, folded and unfolded', () => {
  let pool: pg.Pool;
  let finance: Client;
  const service = serviceClient();
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: databaseUrl!, max: 4 });
    finance = await signedIn(DEMO.finance);
  });
  afterAll(async () => {
    await pool?.end();
  });

  const rpc = async (fn: string, args: Record<string, unknown>) => {
    const { data, error } = await service.rpc(fn as never, args as never);
    if (error) throw new Error(`${fn}: ${error.message}`);
    return data as unknown as Record<string, unknown>;
  };
  const purchase = (customer: string, credits: number, usd: number, expires?: string) =>
    rpc('purchase_credits', {
      p_customer_id: customer,
      p_credits: credits,
      p_amount_usd: usd,
      p_payment_ref: unique('rev-pay'),
      p_source: 'stripe',
      p_expires_at: expires,
    });
  /** One generation of `provider`: started (credits drawn), then succeeded or failed (refunded). */
  const generation = async (customer: string, provider: string, failed: boolean) => {
    const started = await rpc('start_generation', {
      p_customer_id: customer,
      p_type: 'text_to_image',
      p_provider: provider,
      p_model: 'rev-model',
      p_prompt: 'revenue',
      p_idempotency_key: unique('rev-gen'),
    });
    await rpc('finish_generation', {
      p_generation_id: started.generation_id,
      p_status: failed ? 'failed' : 'succeeded',
      p_cost_usd: 0.5 + Math.random(),
    });
  };

  /** finance_metrics' top customers' revenue against the raw draws, for each range. */
  async function checkTop(customers: string[], provider: string) {
    const now = new Date();
    const today = iso(now);
    const monthStart = `${today.slice(0, 8)}01`;
    const monthEnd = iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)));
    const ranges: [string, string, string | null][] = [
      [today, today, provider], // daily rows
      [monthStart, today, provider], // the month's row minus the days after today
      [today, monthEnd, provider], // the month's row minus the days before today
      [iso(new Date(now.getTime() - 29 * 86_400_000)), today, null], // all providers
    ];
    let ours = 0;
    for (const [from, to, p] of ranges) {
      const { data, error } = await finance.rpc('finance_metrics', {
        p_from: from,
        p_to: to,
        p_provider: p ?? undefined,
      });
      expect(error).toBeNull();
      const top = decodeFinanceMetrics(data as unknown as FinanceMetricsAnswer).top_customers;
      const ids = top.map((c) => c.customer_id);
      const { rows } = await pool.query(RAW_REVENUE, [ids, from, to, p]);
      const raw = new Map(rows.map((r) => [r.customer_id, Number(r.revenue)]));
      for (const c of top)
        expect(c.revenue_usd, `${c.customer_id} ${from}..${to} ${p ?? 'all'}`).toBe(
          raw.get(c.customer_id) ?? 0,
        );
      if (p) {
        // Only these customers used the provider: all of them are its top, with revenue.
        expect(new Set(ids)).toEqual(new Set(customers));
        ours += top.filter((c) => c.revenue_usd > 0).length;
      }
    }
    expect(ours).toBeGreaterThan(0);
    const { rows: differ } = await pool.query(ROLLUP_VS_RAW, [customers]);
    expect(differ).toEqual([]);
  }

  it('equals the raw draws with a fold mid-way, refunds, an unfolded tail and an expiry', async () => {
    const admin = await signedIn(DEMO.admin);
    const customers = await Promise.all([1, 2, 3].map(() => newCustomer(admin)));
    const [a, b, c] = customers;
    const provider = unique('revprov');
    // a's first paid block expires in a few seconds (drawn first: soonest expiry), what is
    // left of it becomes breakage, not revenue; each has a block that never expires.
    const expiresAt = new Date(Date.now() + 6000);
    await purchase(a, 100, 5, expiresAt.toISOString());
    await purchase(a, 1000, 40);
    await purchase(b, 1500, 50);
    await purchase(c, 500, 20);

    for (const customer of customers) {
      await generation(customer, provider, false);
      await generation(customer, provider, true); // refunded to its blocks
      await generation(customer, provider, false);
    }
    // A fold now, for sure: this session takes the fold's lock first (waiting for a fold of the
    // stack's jobs under way), and the fold's own try-lock is then granted again to it.
    const folder = await pool.connect();
    try {
      await folder.query('begin');
      await folder.query(`select pg_advisory_xact_lock(${FOLD_LOCK})`);
      await folder.query('select private.fold_finance_deltas()');
      await folder.query('commit');
    } finally {
      folder.release();
    }

    // Hold the fold's lock: the stack's jobs cannot fold what comes next.
    const holder = await pool.connect();
    try {
      await holder.query('begin');
      await holder.query(`select pg_advisory_xact_lock(${FOLD_LOCK})`);
      for (const customer of customers) {
        await generation(customer, provider, false);
        await generation(customer, provider, true);
      }
      // Every customer has folded revenue and an unfolded tail now.
      const { rows: both } = await pool.query(
        `select customer_id from public.customer_daily_revenue where customer_id = any ($1)
         intersect
         select customer_id from public.finance_daily_deltas
          where customer_id = any ($1) and (revenue_usd <> 0 or refunded_usd <> 0)`,
        [customers],
      );
      expect(both.map((r) => r.customer_id).sort()).toEqual([...customers].sort());
      await checkTop(customers, provider);
    } finally {
      await holder.query('commit').catch(() => {});
      holder.release();
    }

    // a's first block expires: an expiry entry takes what is left of it, and the job folds.
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt.getTime() - Date.now() + 500)));
    await rpc('expire_credits', {});
    const { rows: breakage } = await pool.query(
      `select count(*)::int as n from public.credit_block_draws d
         join public.credit_transactions t on t.id = d.transaction_id and t.type = 'expiry'
         join public.credit_blocks b on b.id = d.block_id
        where b.customer_id = $1 and b.kind = 'paid'`,
      [a],
    );
    expect(breakage[0].n).toBe(1);
    await checkTop(customers, provider);
    const { rows: tail } = await pool.query(
      'select count(*)::int as n from public.finance_daily_deltas where customer_id = any ($1)',
      [customers],
    );
    expect(tail[0].n).toBe(0);
  });
});

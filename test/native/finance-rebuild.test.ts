// private.rebuild_finance_rollups (supabase/schemas/76_finance_metrics.sql) recomputes
// finance_daily_stats and the per-customer revenue rows from the blocks and draws, for a load that bypassed the triggers (the
// bench loader, pg_restore --disable-triggers). On the seeded native database, whose
// purchases, spends, refunds and expiries went through the real functions and triggers: in one
// snapshot, the rollup the triggers and the fold kept (rows plus unfolded deltas) must equal,
// key by key, what the rebuild writes from the raw rows. Rolled back, so nothing changes.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const databaseUrl = inject('databaseUrl');

const KEPT = `
  select day::text, provider, model, sum(cash_in_usd)::text as cash_in, sum(credits_bought)::text as bought,
         sum(paid_credited_usd)::text as credited, sum(revenue_usd)::text as revenue,
         sum(refunded_usd)::text as refunded, sum(breakage_usd)::text as breakage,
         sum(adjusted_usd)::text as adjusted
    from (select day, provider, model, cash_in_usd, credits_bought, paid_credited_usd, revenue_usd,
                 refunded_usd, breakage_usd, adjusted_usd
            from public.finance_daily_stats
          union all
          select day, provider, model, cash_in_usd, credits_bought, paid_credited_usd, revenue_usd,
                 refunded_usd, breakage_usd, adjusted_usd
            from public.finance_daily_deltas) f
   group by day, provider, model
  -- A key whose deltas cancel out holds nothing.
  having sum(cash_in_usd) <> 0 or sum(credits_bought) <> 0 or sum(paid_credited_usd) <> 0
      or sum(revenue_usd) <> 0 or sum(refunded_usd) <> 0 or sum(breakage_usd) <> 0 or sum(adjusted_usd) <> 0
   order by 1, 2, 3`;

// The per-customer revenue rows as readers see them (folded daily rows plus the tail), and the
// monthly rows plus the tail per month; a key that nets to nothing holds nothing.
const CUSTOMER_KEPT = `
  select customer_id, day::text, provider, sum(revenue)::text as revenue
    from (select customer_id, day, provider, revenue_usd as revenue from public.customer_daily_revenue
          union all
          select customer_id, day, provider, revenue_usd - refunded_usd from public.finance_daily_deltas) r
   group by 1, 2, 3 having sum(revenue) <> 0 order by 1, 2, 3`;
const CUSTOMER_MONTHLY_KEPT = `
  select customer_id, month::text, provider, sum(revenue)::text as revenue
    from (select customer_id, month, provider, revenue_usd as revenue from public.customer_monthly_revenue
          union all
          select customer_id, date_trunc('month', day)::date, provider, revenue_usd - refunded_usd
            from public.finance_daily_deltas) r
   group by 1, 2, 3 having sum(revenue) <> 0 order by 1, 2, 3`;

describe.skipIf(!databaseUrl)('rebuild_finance_rollups', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: databaseUrl! });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
  });

  it('writes what the triggers and the fold kept, key by key', async () => {
    // Repeatable read: the rebuild reads the same snapshot as the rows it is compared with,
    // whatever the stack's jobs write meanwhile.
    await client.query('begin isolation level repeatable read');
    try {
      const { rows: kept } = await client.query(KEPT);
      const { rows: customerKept } = await client.query(CUSTOMER_KEPT);
      const { rows: monthlyKept } = await client.query(CUSTOMER_MONTHLY_KEPT);
      expect(customerKept.length).toBeGreaterThan(30);
      // The seed's month of business: money in, earned, refunded and broken, so the
      // comparison covers every column.
      const total = (k: string) => kept.reduce((n, r) => n + Number(r[k]), 0);
      expect(total('cash_in')).toBeGreaterThan(1000);
      expect(total('revenue')).toBeGreaterThan(0);
      expect(total('refunded')).toBeGreaterThan(0);
      expect(kept.length).toBeGreaterThan(30);

      await client.query('select private.rebuild_finance_rollups()');
      const { rows: deltas } = await client.query(
        'select count(*)::int as n from public.finance_daily_deltas',
      );
      expect(deltas[0].n).toBe(0);
      const { rows: rebuilt } = await client.query(KEPT);
      expect(rebuilt).toEqual(kept);
      expect((await client.query(CUSTOMER_KEPT)).rows).toEqual(customerKept);
      expect((await client.query(CUSTOMER_MONTHLY_KEPT)).rows).toEqual(monthlyKept);
    } finally {
      await client.query('rollback');
    }
  });
});

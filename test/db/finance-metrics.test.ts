// finance_metrics against a computation from raw rows (blocks, draws, ledger, generations):
// the rollup and its unfolded deltas must give the same figures as the rows themselves,
// before and after the expiry job folds the deltas.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  allRows,
  DEMO,
  ledgerViolations,
  newCustomer,
  serviceClient,
  signedIn,
  unique,
  type Client,
} from '../support/db';
import { decodeFinanceMetrics } from '@/dashboards/columns';
import type { FinanceMetrics, FinanceMetricsAnswer } from '@/providers/rpcTypes';

const service = serviceClient();
let finance: Client;
beforeAll(async () => {
  finance = await signedIn(DEMO.finance);
});

const day = (ts: string) => new Date(ts).toISOString().slice(0, 10);
/** The database rounds exact numerics to cents, the raw sum here is a float: equal to the cent. */
function near(what: string, got: number, want: number) {
  expect(Math.abs(got - want), `${what}: ${got} vs ${want}`).toBeLessThanOrEqual(0.0051);
}

// The answer arrives columnar; the app's decoder (src/dashboards/columns.ts) gives the rows
// these checks read, so they check exactly what the Margin page draws.
const decoded = (data: unknown): FinanceMetrics =>
  decodeFinanceMetrics(data as FinanceMetricsAnswer);

async function raw(from: string, to: string, provider?: string) {
  const blocks = await allRows((f, t) =>
    service
      .from('credit_blocks')
      .select('id, customer_id, amount_usd, original, unit_price_usd, created_at')
      .eq('kind', 'paid')
      .order('id')
      .range(f, t),
  );
  const price = new Map(blocks.map((b) => [b.id, Number(b.unit_price_usd)]));
  const owner = new Map(blocks.map((b) => [b.id, b.customer_id]));
  const draws: { block_id: number; transaction_id: number; amount: number; created_at: string }[] =
    [];
  for (let i = 0; i < blocks.length; i += 100) {
    const ids = blocks.slice(i, i + 100).map((b) => b.id);
    draws.push(
      ...(await allRows((f, t) =>
        service
          .from('credit_block_draws')
          .select('block_id, transaction_id, amount, created_at')
          .in('block_id', ids)
          .order('id')
          .range(f, t),
      )),
    );
  }
  const txIds = [...new Set(draws.map((d) => d.transaction_id))];
  const tx = new Map<number, { type: string; provider: string | null; ref_id: string | null }>();
  for (let i = 0; i < txIds.length; i += 100) {
    const { data } = await service
      .from('credit_transactions')
      .select('id, type, provider, ref_id')
      .in('id', txIds.slice(i, i + 100));
    for (const r of data!) tx.set(r.id, r);
  }
  const gens = await allRows((f, t) =>
    service
      .from('generations')
      .select('id, provider, model, cost_usd, created_at')
      .gte('created_at', `${from}T00:00:00Z`)
      .lt('created_at', new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString())
      .order('id')
      .range(f, t),
  );
  const inRange = (ts: string) => day(ts) >= from && day(ts) <= to;
  const out = { cash_in: 0, revenue: 0, refunds: 0, breakage: 0, cost: 0, deferred: 0 };
  const revenueByDay = new Map<string, number>();
  // What each customer's spends and refunds of paid credits earned (of `provider` if given).
  const revenueByCustomer = new Map<string, number>();
  for (const b of blocks) {
    if (inRange(b.created_at)) out.cash_in += Number(b.amount_usd);
    if (day(b.created_at) <= to) out.deferred += b.original * price.get(b.id)!;
  }
  for (const d of draws) {
    const value = d.amount * price.get(d.block_id)!;
    const t = tx.get(d.transaction_id)!;
    if (day(d.created_at) <= to) out.deferred -= value;
    if (!inRange(d.created_at)) continue;
    if (t.type === 'spend' || t.type === 'refund') {
      out.revenue += value;
      revenueByDay.set(day(d.created_at), (revenueByDay.get(day(d.created_at)) ?? 0) + value);
      if (!provider || t.provider === provider) {
        const c = owner.get(d.block_id)!;
        revenueByCustomer.set(c, (revenueByCustomer.get(c) ?? 0) + value);
      }
    }
    if (t.type === 'refund') out.refunds -= value;
    if (t.type === 'expiry') out.breakage += value;
  }
  for (const g of gens) out.cost += Number(g.cost_usd);
  return { out, revenueByDay, revenueByCustomer, gens };
}

describe('finance_metrics', () => {
  it('reads the same credits bought and provider cost as the dashboard, for every range and provider filter', async () => {
    const to = new Date().toISOString().slice(0, 10);
    const daysBack = (n: number) =>
      new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    // The month of business, the seed's whole history (sign-ups up to 175 days ago) and a
    // single past day; with and without a provider (purchases belong to no provider, so the
    // filter must leave both figures whole).
    for (const from of [daysBack(30), daysBack(200), daysBack(12)])
      for (const provider of [undefined, 'wavespeed', 'fal']) {
        const range = {
          p_from: from,
          p_to: from === daysBack(12) ? from : to,
          p_provider: provider,
        };
        const [fin, dash] = await Promise.all([
          finance.rpc('finance_metrics', range),
          finance.rpc('dashboard_metrics', range),
        ]);
        expect(fin.error).toBeNull();
        expect(dash.error).toBeNull();
        const f = decoded(fin.data).totals;
        const d = dash.data as unknown as { credits_bought: number; cost_usd: number };
        const what = `${range.p_from}..${range.p_to} ${provider ?? 'all providers'}`;
        // Every purchase of the seed is a paid block (the packs of its history too), so the
        // figure the dashboard counts in the ledger is the one finance prices.
        expect(f.credits_bought, what).toBe(d.credits_bought);
        near(`provider cost ${what}`, f.provider_cost_usd as number, d.cost_usd);
      }
    const month = await finance.rpc('finance_metrics', { p_from: daysBack(30), p_to: to });
    expect(decoded(month.data).totals.credits_bought).toBeGreaterThan(10_000);
  });

  it('the seeded ledger keeps its invariants: balances, entries and blocks agree for every customer', async () => {
    const customers = await allRows((f, t) =>
      service.from('customers').select('id').order('id').range(f, t),
    );
    expect(customers.length).toBeGreaterThanOrEqual(320);
    expect(await ledgerViolations(customers.map((c) => c.id))).toEqual([]);
    // Every purchase made a paid block priced from the pricing page's packs.
    const purchases = await allRows((f, t) =>
      service
        .from('credit_transactions')
        .select(
          'id, delta, credit_blocks!credit_blocks_source_transaction_id_fkey(kind, amount_usd, unit_price_usd)',
        )
        .eq('type', 'purchase')
        .order('id')
        .range(f, t),
    );
    expect(purchases.length).toBeGreaterThan(300);
    const unpriced = purchases.filter(
      (p) => p.credit_blocks.length !== 1 || p.credit_blocks[0].kind !== 'paid',
    );
    expect(unpriced).toEqual([]);
    const price = new Map([
      [500, 20],
      [1500, 50],
      [5000, 150],
    ]);
    const seeded = purchases.filter((p) => price.has(p.delta));
    expect(seeded.length).toBeGreaterThan(300);
    for (const p of seeded) expect(Number(p.credit_blocks[0].amount_usd)).toBe(price.get(p.delta));
  });

  it('equals the figures computed from raw rows, before and after the fold', async () => {
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    const { data, error } = await finance.rpc('finance_metrics', { p_from: from, p_to: to });
    expect(error).toBeNull();
    const m = decoded(data);
    const { out, revenueByDay, revenueByCustomer } = await raw(from, to);

    // The seed makes a real month: money came in, was earned, refunded and broken.
    expect(out.cash_in).toBeGreaterThan(1000);
    expect(out.refunds).toBeGreaterThan(0);
    expect(out.breakage).toBeGreaterThanOrEqual(0);
    const expected = {
      cash_in_usd: out.cash_in,
      revenue_usd: out.revenue,
      refunds_usd: out.refunds,
      breakage_usd: out.breakage,
      provider_cost_usd: out.cost,
      gross_margin_usd: out.revenue - out.cost,
      deferred_revenue_usd: out.deferred,
    };
    for (const [k, v] of Object.entries(expected))
      near(k, Number(m.totals[k as keyof FinanceMetrics['totals']]), v);
    for (const d of m.daily) near(d.day, d.revenue_usd, revenueByDay.get(d.day) ?? 0);
    expect(m.daily).toHaveLength(31);
    const byModelRevenue = m.by_model.reduce((n, r) => n + r.revenue_usd, 0);
    expect(byModelRevenue).toBeCloseTo(out.revenue, 1);
    // The top customers' revenue (the per-customer revenue rollup and its tail).
    expect(m.top_customers).toHaveLength(10);
    expect(m.top_customers.some((c) => c.revenue_usd > 0)).toBe(true);
    for (const c of m.top_customers) {
      near(`revenue of ${c.customer_id}`, c.revenue_usd, revenueByCustomer.get(c.customer_id) ?? 0);
      // Rounded from the exact figures, so a cent off the difference of the rounded ones.
      expect(Math.abs(c.margin_usd - (c.revenue_usd - c.cost_usd))).toBeLessThanOrEqual(0.0101);
    }

    const fold = await service.rpc('expire_credits', {});
    expect(fold.error).toBeNull();
    const { data: after } = await finance.rpc('finance_metrics', { p_from: from, p_to: to });
    expect(after).toEqual(data);
  });

  it("the rollups' tick folds finance's deltas too, not only the expiry job", async () => {
    const customerId = await newCustomer(service);
    const { error } = await service.rpc('purchase_credits', {
      p_customer_id: customerId,
      p_credits: 500,
      p_amount_usd: 20,
      p_payment_ref: unique('order'),
      p_source: 'stripe',
    });
    expect(error).toBeNull();
    const { data, error: foldError } = await service.rpc('fold_dashboard_rollups');
    expect(foldError).toBeNull();
    expect(data).toMatchObject({ folded: true });
    // The purchase's cash-in delta was folded into the rollup (by this call or the stack's
    // timer, which calls the same function): none of it is left in the tail.
    const { count } = await service
      .from('finance_daily_deltas')
      .select('day', { count: 'exact', head: true })
      .eq('customer_id', customerId);
    expect(count).toBe(0);
  });

  it('per provider: cost and revenue of that provider only; top customers by cost match the raw rows', async () => {
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    const { data } = await finance.rpc('finance_metrics', {
      p_from: from,
      p_to: to,
      p_provider: 'wavespeed',
    });
    const m = decoded(data);
    const { gens, revenueByCustomer } = await raw(from, to, 'wavespeed');
    const wave = gens.filter((g) => g.provider === 'wavespeed');
    near(
      'cost',
      m.totals.provider_cost_usd!,
      wave.reduce((n, g) => n + Number(g.cost_usd), 0),
    );
    expect(new Set(m.by_model.map((r) => r.provider))).toEqual(new Set(['wavespeed']));
    const perCustomer = new Map<string, number>();
    for (const g of await allRows((f, t) =>
      service
        .from('generations')
        .select('customer_id, cost_usd')
        .eq('provider', 'wavespeed')
        .gte('created_at', `${from}T00:00:00Z`)
        .order('id')
        .range(f, t),
    ))
      perCustomer.set(g.customer_id, (perCustomer.get(g.customer_id) ?? 0) + Number(g.cost_usd));
    const top = [...perCustomer.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 10);
    expect(m.top_customers.map((c) => c.customer_id)).toEqual(top.map(([id]) => id));
    m.top_customers.forEach((c, i) => near(c.customer_id, c.cost_usd, top[i][1]));
    // Their revenue is that provider's spends and refunds only.
    for (const c of m.top_customers)
      near(`revenue of ${c.customer_id}`, c.revenue_usd, revenueByCustomer.get(c.customer_id) ?? 0);
  });

  it('refuses a reversed or missing range with a clear message', async () => {
    const res = await finance.rpc('finance_metrics', { p_from: '2026-02-01', p_to: '2026-01-01' });
    expect(res.status).toBe(400);
    expect(res.error!.message).toMatch(/starts .* after it ends/);
  });
});

// The dashboard rollups against direct aggregates over the raw rows, through PostgREST as the
// product backend (service role) writes them. Each run works on its own provider name and on
// days in 2017, which neither the seed nor other tests touch, so "direct aggregate" means
// exactly this run's rows.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO, newCustomer, serviceClient, signedIn, unique, type Client } from '../support/db';
import {
  decodeDashboardMetrics,
  decodeFinanceMetrics,
  decodeModelSeries,
} from '@/dashboards/columns';
import type {
  DashboardMetricsAnswer,
  FinanceMetricsAnswer,
  ModelSeriesAnswer,
} from '@/providers/rpcTypes';

const P = unique('prov');
const service = serviceClient();
let admin: Client;
let finance: Client;
let customers: string[];

type Gen = {
  created_at: string;
  provider: string;
  model: string | null;
  status: string;
  customer_id: string;
  credits_charged: number;
  cost_usd: number;
  latency_ms: number | null;
  refunded_at: string | null;
};

const utcDay = (ts: string) => new Date(ts).toISOString().slice(0, 10);
const money = (n: number) => Math.round(Number(n) * 1e6) / 1e6;

async function rawGenerations(): Promise<Gen[]> {
  const { data, error } = await service
    .from('generations')
    .select(
      'created_at, provider, model, status, customer_id, credits_charged, cost_usd, latency_ms, refunded_at',
    )
    .eq('provider', P);
  if (error) throw error;
  return data as Gen[];
}

/** generation_daily_stats, generation_daily_models, generation_daily_providers and customer_daily_activity as a direct aggregate would have them. */
function expectedRollups(rows: Gen[]) {
  const stats = new Map<string, Record<string, number | string>>();
  const providers = new Map<string, Record<string, number | string>>();
  const activity = new Map<string, { generations: number; cost_usd: number }>();
  const monthly = new Map<string, { generations: number; cost_usd: number }>();
  const models = new Map<string, Record<string, number | string>>();
  for (const g of rows) {
    const day = utcDay(g.created_at);
    const key = [day, g.provider, g.model ?? '', g.status].join('|');
    const s = stats.get(key) ?? {
      key,
      calls: 0,
      credits_charged: 0,
      cost_usd: 0,
      latency_ms_sum: 0,
      latency_count: 0,
      refunded: 0,
    };
    s.calls = Number(s.calls) + 1;
    s.credits_charged = Number(s.credits_charged) + g.credits_charged;
    s.cost_usd = money(Number(s.cost_usd) + Number(g.cost_usd));
    s.latency_ms_sum = Number(s.latency_ms_sum) + (g.latency_ms ?? 0);
    s.latency_count = Number(s.latency_count) + (g.latency_ms === null ? 0 : 1);
    s.refunded = Number(s.refunded) + (g.refunded_at ? 1 : 0);
    stats.set(key, s);
    const mk = [day, g.provider, g.model ?? ''].join('|');
    const md = models.get(mk) ?? {
      key: mk,
      calls: 0,
      succeeded: 0,
      failed: 0,
      credits_charged: 0,
      cost_usd: 0,
      latency_ms_sum: 0,
      latency_count: 0,
    };
    md.calls = Number(md.calls) + 1;
    md.succeeded = Number(md.succeeded) + (g.status === 'succeeded' ? 1 : 0);
    md.failed = Number(md.failed) + (g.status === 'failed' ? 1 : 0);
    md.credits_charged = Number(md.credits_charged) + g.credits_charged;
    md.cost_usd = money(Number(md.cost_usd) + Number(g.cost_usd));
    md.latency_ms_sum = Number(md.latency_ms_sum) + (g.latency_ms ?? 0);
    md.latency_count = Number(md.latency_count) + (g.latency_ms === null ? 0 : 1);
    models.set(mk, md);
    const pk = [day, g.provider].join('|');
    const pd = providers.get(pk) ?? { key: pk, calls: 0, succeeded: 0, failed: 0, cost_usd: 0 };
    pd.calls = Number(pd.calls) + 1;
    pd.succeeded = Number(pd.succeeded) + (g.status === 'succeeded' ? 1 : 0);
    pd.failed = Number(pd.failed) + (g.status === 'failed' ? 1 : 0);
    pd.cost_usd = money(Number(pd.cost_usd) + Number(g.cost_usd));
    providers.set(pk, pd);
    const a = [day, g.provider, g.customer_id].join('|');
    const prev = activity.get(a) ?? { generations: 0, cost_usd: 0 };
    activity.set(a, {
      generations: prev.generations + 1,
      cost_usd: money(prev.cost_usd + Number(g.cost_usd)),
    });
    const m = [`${day.slice(0, 7)}-01`, g.provider, g.customer_id].join('|');
    const pm = monthly.get(m) ?? { generations: 0, cost_usd: 0 };
    monthly.set(m, {
      generations: pm.generations + 1,
      cost_usd: money(pm.cost_usd + Number(g.cost_usd)),
    });
  }
  const sort = <T extends { key: string }>(xs: T[]) =>
    xs.sort((a, b) => a.key.localeCompare(b.key));
  return {
    stats: sort([...stats.values()] as { key: string }[]),
    models: sort([...models.values()] as { key: string }[]),
    providers: sort([...providers.values()] as { key: string }[]),
    activity: sort([...activity].map(([key, a]) => ({ key, ...a }))),
    monthly: sort([...monthly].map(([key, a]) => ({ key, ...a }))),
  };
}

/** Folds the rollups' deltas, as the scheduled job does. */
async function fold() {
  const { data, error } = await service.rpc('fold_dashboard_rollups');
  if (error) throw error;
  expect(data).toMatchObject({ folded: true });
}

async function storedRollups() {
  await fold();
  const [
    { data: stats, error: e1 },
    { data: activity, error: e2 },
    { data: monthly, error: e3 },
    { data: models, error: e4 },
    { data: providers, error: e5 },
  ] = await Promise.all([
    service.from('generation_daily_stats').select('*').eq('provider', P),
    service.from('customer_daily_activity').select('*').eq('provider', P),
    // Monthly rows that went back to 0 stay (they rank last); a direct aggregate has none.
    service.from('customer_monthly_costs').select('*').eq('provider', P).neq('generations', 0),
    service.from('generation_daily_models').select('*').eq('provider', P),
    service.from('generation_daily_providers').select('*').eq('provider', P),
  ]);
  if (e1 || e2 || e3 || e4 || e5) throw e1 ?? e2 ?? e3 ?? e4 ?? e5;
  return {
    stats: stats!
      .map((s) => ({
        key: [s.day, s.provider, s.model, s.status].join('|'),
        calls: Number(s.calls),
        credits_charged: Number(s.credits_charged),
        cost_usd: money(s.cost_usd),
        latency_ms_sum: Number(s.latency_ms_sum),
        latency_count: Number(s.latency_count),
        refunded: Number(s.refunded),
      }))
      .sort((a, b) => a.key.localeCompare(b.key)),
    models: models!
      .map((m) => ({
        key: [m.day, m.provider, m.model].join('|'),
        calls: Number(m.calls),
        succeeded: Number(m.succeeded),
        failed: Number(m.failed),
        credits_charged: Number(m.credits_charged),
        cost_usd: money(m.cost_usd),
        latency_ms_sum: Number(m.latency_ms_sum),
        latency_count: Number(m.latency_count),
      }))
      .sort((a, b) => a.key.localeCompare(b.key)),
    providers: providers!
      .map((m) => ({
        key: [m.day, m.provider].join('|'),
        calls: Number(m.calls),
        succeeded: Number(m.succeeded),
        failed: Number(m.failed),
        cost_usd: money(m.cost_usd),
      }))
      .sort((a, b) => a.key.localeCompare(b.key)),
    activity: activity!
      .map((a) => ({
        key: [a.day, a.provider, a.customer_id].join('|'),
        generations: Number(a.generations),
        cost_usd: money(a.cost_usd),
      }))
      .sort((a, b) => a.key.localeCompare(b.key)),
    monthly: monthly!
      .map((m) => ({
        key: [m.month, m.provider, m.customer_id].join('|'),
        generations: Number(m.generations),
        cost_usd: money(m.cost_usd),
      }))
      .sort((a, b) => a.key.localeCompare(b.key)),
  };
}

async function expectRollupsMatchRaw() {
  const raw = await rawGenerations();
  expect(await storedRollups()).toEqual(expectedRollups(raw));
  return raw;
}

async function metrics(client: Client, from: string, to: string, provider: string | null = P) {
  const { data, error } = await client.rpc('dashboard_metrics', {
    p_from: from,
    p_to: to,
    ...(provider ? { p_provider: provider } : {}),
  });
  if (error) throw error;
  // Columnar on the wire; the app's decoder gives the rows the pages read.
  return decodeDashboardMetrics(data as DashboardMetricsAnswer);
}

/** dashboard_metrics' generation figures for a range, computed from the raw rows. */
function direct(raw: Gen[], from: string, to: string) {
  const rows = raw.filter((g) => utcDay(g.created_at) >= from && utcDay(g.created_at) <= to);
  const succeeded = rows.filter((g) => g.status === 'succeeded').length;
  return {
    generations: rows.length,
    succeeded,
    failed: rows.filter((g) => g.status === 'failed').length,
    cost_usd: money(rows.reduce((s, g) => s + Number(g.cost_usd), 0)),
    active_customers: new Set(rows.map((g) => g.customer_id)).size,
  };
}

/** The answer's tables (each read from its own rollup) against the raw rows, per key. */
function tablesFromRaw(raw: Gen[], from: string, to: string) {
  const rows = raw.filter((g) => utcDay(g.created_at) >= from && utcDay(g.created_at) <= to);
  const add = <T extends Record<string, number | string>>(
    map: Map<string, T>,
    key: string,
    zero: T,
    g: Gen,
  ) => {
    const r = map.get(key) ?? { ...zero };
    for (const k of Object.keys(r)) {
      if (k === 'calls' || k === 'generations')
        (r as Record<string, unknown>)[k] = Number(r[k]) + 1;
      if (k === 'succeeded' || k === 'successes')
        (r as Record<string, unknown>)[k] = Number(r[k]) + (g.status === 'succeeded' ? 1 : 0);
      if (k === 'failed' || k === 'failures')
        (r as Record<string, unknown>)[k] = Number(r[k]) + (g.status === 'failed' ? 1 : 0);
      if (k === 'cost_usd')
        (r as Record<string, unknown>)[k] = money(Number(r[k]) + Number(g.cost_usd));
      if (k === 'credits_charged')
        (r as Record<string, unknown>)[k] = Number(r[k]) + g.credits_charged;
    }
    map.set(key, r);
  };
  const byModel = new Map<string, Record<string, number | string>>();
  const byDay = new Map<string, Record<string, number | string>>();
  const byDayProvider = new Map<string, Record<string, number | string>>();
  for (const g of rows) {
    const day = utcDay(g.created_at);
    const model = g.model ?? '';
    add(
      byModel,
      `${g.provider}|${model}`,
      {
        provider: g.provider,
        model,
        calls: 0,
        successes: 0,
        failures: 0,
        cost_usd: 0,
        credits_charged: 0,
      },
      g,
    );
    add(byDay, day, { day, generations: 0, succeeded: 0, failed: 0, cost_usd: 0 }, g);
    add(
      byDayProvider,
      `${day}|${g.provider}`,
      { day, provider: g.provider, calls: 0, cost_usd: 0 },
      g,
    );
  }
  const sorted = (m: Map<string, Record<string, number | string>>) =>
    [...m].sort((a, b) => a[0].localeCompare(b[0])).map(([, v]) => v);
  return { byModel: sorted(byModel), byDay: sorted(byDay), byDayProvider: sorted(byDayProvider) };
}

async function expectMetricsMatchRaw(raw: Gen[], from: string, to: string) {
  const m = await metrics(finance, from, to);
  const d = direct(raw, from, to);
  const t = tablesFromRaw(raw, from, to);
  expect(
    m.by_provider_model
      .map((r) => ({
        provider: r.provider,
        model: r.model,
        calls: r.calls,
        successes: r.successes,
        failures: r.failures,
        cost_usd: money(r.cost_usd),
        credits_charged: r.credits_charged,
      }))
      .sort((a, b) => `${a.provider}|${a.model}`.localeCompare(`${b.provider}|${b.model}`)),
  ).toEqual(t.byModel);
  expect(
    m.daily
      .filter((p) => p.generations !== 0)
      .map((p) => ({
        day: p.day,
        generations: p.generations,
        succeeded: p.succeeded,
        failed: p.failed,
        cost_usd: money(p.cost_usd),
      })),
  ).toEqual(t.byDay);
  expect(
    m.daily_by_provider.map((p) => ({
      day: p.day,
      provider: p.provider,
      calls: p.calls,
      cost_usd: money(p.cost_usd),
    })),
  ).toEqual(t.byDayProvider);
  expect({
    generations: m.generations,
    succeeded: m.succeeded,
    failed: m.failed,
    cost_usd: money(m.cost_usd as number),
    active_customers: m.active_customers,
  }).toEqual(d);
  // Without the provider filter the 2017 days hold this run's rows only, so the same figures.
  const all = await metrics(finance, from, to, null);
  expect(all.generations).toBe(d.generations);
  expect(all.active_customers).toBe(d.active_customers);
  return m;
}

async function insert(rows: Partial<Gen>[]) {
  const { data, error } = await service
    .from('generations')
    .insert(
      rows.map((r) => ({
        provider: P,
        model: 'm1',
        status: 'pending',
        customer_id: customers[0],
        ...r,
      })),
    )
    .select('id');
  if (error) throw error;
  return data!.map((r) => r.id);
}

beforeAll(async () => {
  admin = await signedIn(DEMO.admin);
  finance = await signedIn(DEMO.finance);
  customers = [
    await newCustomer(admin, 500),
    await newCustomer(admin, 500),
    await newCustomer(admin, 0),
  ];
});

describe('dashboard rollups equal direct aggregates', () => {
  let ids: string[];

  it('after inserts, with UTC day boundaries', async () => {
    ids = await insert([
      { created_at: '2017-03-01T23:59:59.999Z', credits_charged: 5 },
      { created_at: '2017-03-02T00:00:00Z', credits_charged: 5, customer_id: customers[1] },
      { created_at: '2017-03-02T12:00:00+05:00', credits_charged: 7, model: null }, // 07:00 UTC
      { created_at: '2017-03-02T23:30:00-02:00', credits_charged: 3, customer_id: customers[2] }, // 03-03 UTC
    ]);
    const raw = await expectRollupsMatchRaw();
    const m = await expectMetricsMatchRaw(raw, '2017-03-01', '2017-03-03');
    expect(m.daily.map((d) => [d.day, d.generations])).toEqual([
      ['2017-03-01', 1],
      ['2017-03-02', 2],
      ['2017-03-03', 1],
    ]);
  });

  it('after status updates pending → succeeded / failed, with cost and latency', async () => {
    await service
      .from('generations')
      .update({ status: 'succeeded', cost_usd: 0.125, latency_ms: 1500 })
      .in('id', ids.slice(0, 2))
      .throwOnError();
    await service
      .from('generations')
      .update({ status: 'failed', cost_usd: 0.01, latency_ms: 300 })
      .eq('id', ids[2])
      .throwOnError();
    // An update that changes nothing the rollups hold.
    await service.from('generations').update({ prompt: 'edited' }).in('id', ids).throwOnError();
    const raw = await expectRollupsMatchRaw();
    const m = await expectMetricsMatchRaw(raw, '2017-03-01', '2017-03-03');
    expect(m.success_rate).toBe(0.5);
    const pending = (await storedRollups()).stats.filter((s) => s.key.endsWith('|pending'));
    expect(pending.map((s) => s.key)).toEqual([`2017-03-03|${P}|m1|pending`]); // emptied keys are gone
    expect(m.by_provider_model.find((r) => r.model === 'm1')?.failures).toBe(0);
  });

  it('after a refund of a failed generation, in the generation and ledger rollups', async () => {
    const { data: spend, error: e1 } = await service.rpc('consume_credits', {
      p_customer_id: customers[0],
      p_amount: 7,
      p_generation_id: ids[2],
      p_provider: P,
      p_cost_usd: 0.01,
      p_idempotency_key: unique('spend'),
    });
    expect(e1).toBeNull();
    expect(spend).toBeTruthy();
    const { error } = await admin.rpc('refund_generation', {
      p_generation_id: ids[2],
      p_reason: 'dashboard test',
    });
    expect(error).toBeNull();
    const raw = await expectRollupsMatchRaw();
    expect(raw.filter((g) => g.refunded_at).length).toBe(1);

    // Ledger rows are written now; today's figures for this provider against the raw ledger.
    const today = new Date().toISOString().slice(0, 10);
    const { data: ledger } = await service
      .from('credit_transactions')
      .select('type, delta, provider, created_at')
      .gte('created_at', `${today}T00:00:00Z`)
      .throwOnError();
    const mine = ledger!.filter((t) => t.provider === P);
    const m = await metrics(finance, today, today);
    expect(m.refunds).toBe(mine.filter((t) => t.type === 'refund').length);
    expect(m.refund_credits).toBe(14); // 7 charged by insert + 7 by consume_credits
    expect(m.credits_spent).toBe(
      -mine.filter((t) => t.type === 'spend').reduce((s, t) => s + t.delta, 0),
    );
    expect(m.credits_bought).toBe(
      ledger!.filter((t) => t.type === 'purchase').reduce((s, t) => s + t.delta, 0),
    );
    await fold();
    const { data: stats } = await service
      .from('ledger_daily_stats')
      .select('*')
      .eq('day', today)
      .eq('provider', P)
      .throwOnError();
    expect(stats!.map((s) => [s.type, Number(s.entries), Number(s.delta_sum)]).sort()).toEqual([
      ['refund', 1, 14],
      ['spend', 1, -7],
    ]);
  });

  it('after moving generations to another customer and day, and after deletes', async () => {
    await service
      .from('generations')
      .update({ customer_id: customers[1] })
      .eq('id', ids[0])
      .throwOnError();
    await service
      .from('generations')
      .update({ created_at: '2017-03-05T10:00:00Z' })
      .eq('id', ids[3])
      .throwOnError();
    let raw = await expectRollupsMatchRaw();
    let m = await expectMetricsMatchRaw(raw, '2017-03-01', '2017-03-05');
    expect(m.active_customers).toBe(3);
    expect((await metrics(finance, '2017-03-03', '2017-03-03')).active_customers).toBe(0);

    await service.from('generations').delete().in('id', [ids[0], ids[1]]).throwOnError();
    raw = await expectRollupsMatchRaw();
    m = await expectMetricsMatchRaw(raw, '2017-03-01', '2017-03-05');
    expect(m.active_customers).toBe(2);
    expect((await metrics(finance, '2017-03-01', '2017-03-01')).active_customers).toBe(0);
  });

  it('after a bulk backfill in one statement across a month boundary', async () => {
    const start = Date.parse('2017-01-25T00:00:00Z');
    const rows = Array.from({ length: 600 }, (_, i) => ({
      created_at: new Date(start + i * 3_600_000 * 0.5).toISOString(), // every 30 min → 2017-02-06
      customer_id: customers[i % 3],
      model: ['m1', 'm2', null][i % 3],
      status: ['succeeded', 'succeeded', 'failed', 'cancelled', 'processing'][i % 5],
      cost_usd: (i % 7) * 0.001,
      latency_ms: i % 4 === 0 ? null : 100 + i,
      credits_charged: i % 5,
    }));
    const inserted = await insert(rows);
    expect(inserted).toHaveLength(600);
    const raw = await expectRollupsMatchRaw();
    await expectMetricsMatchRaw(raw, '2017-01-31', '2017-02-01'); // across months
    await expectMetricsMatchRaw(raw, '2017-02-06', '2017-02-06'); // one day
    await expectMetricsMatchRaw(raw, '2017-01-01', '2017-03-31'); // everything
    // A bulk delete of half of them.
    await service
      .from('generations')
      .delete()
      .in(
        'id',
        inserted.filter((_, i) => i % 2 === 0),
      )
      .throwOnError();
    await expectMetricsMatchRaw(await expectRollupsMatchRaw(), '2017-01-01', '2017-03-31');
  });

  it('counts active customers from week and month bitmaps across week and month boundaries', async () => {
    const [a, b, c] = customers;
    // 2017-05-28 is a Sunday; the ISO week 05-29..06-04 spans the end of May.
    const ids = await insert([
      { created_at: '2017-05-28T12:00:00Z', customer_id: a },
      { created_at: '2017-05-29T00:00:00Z', customer_id: b },
      { created_at: '2017-05-31T23:59:59Z', customer_id: c },
      { created_at: '2017-06-01T00:00:00Z', customer_id: a },
      { created_at: '2017-06-15T10:00:00Z', customer_id: a },
      { created_at: '2017-07-03T10:00:00Z', customer_id: b, model: 'm2' },
    ]);
    const ranges = [
      ['2017-05-01', '2017-05-31'], // a month
      ['2017-05-29', '2017-06-04'], // a week across the month boundary
      ['2017-05-22', '2017-05-28'], // the week before
      ['2017-05-01', '2017-06-30'], // two months
      ['2017-05-20', '2017-07-09'], // days, weeks, a month and a week
      ['2017-05-31', '2017-06-01'], // days only
      ['2017-04-24', '2017-07-31'], // weeks and months around the rows
    ];
    // Each time twice: with the activity changes still pending (active_customers counts those
    // customers from customer_daily_activity), and after the fold has applied them to the bitmaps.
    const check = async () => {
      const raw = await rawGenerations();
      for (const [from, to] of ranges) await expectMetricsMatchRaw(raw, from, to);
      await expectRollupsMatchRaw();
      for (const [from, to] of ranges) await expectMetricsMatchRaw(raw, from, to);
    };
    await check();
    expect((await metrics(finance, '2017-06-01', '2017-06-30')).active_customers).toBe(1);

    // Clears: a leaves June (one generation moved back into May, the other deleted), so the
    // June month bitmaps and those of the week of 06-12 must drop a, while the week of 05-29
    // keeps a (now on 05-30).
    await service
      .from('generations')
      .update({ created_at: '2017-05-30T08:00:00Z' })
      .eq('id', ids[3])
      .throwOnError();
    await service.from('generations').delete().eq('id', ids[4]).throwOnError();
    await check();
    expect((await metrics(finance, '2017-06-01', '2017-06-30')).active_customers).toBe(0);
    expect((await metrics(finance, '2017-06-01', '2017-06-30', null)).active_customers).toBe(0);
    expect((await metrics(finance, '2017-05-29', '2017-06-04')).active_customers).toBe(3);

    // A move to another customer inside one week, then everything deleted in one statement.
    await service.from('generations').update({ customer_id: c }).eq('id', ids[1]).throwOnError();
    await check();
    expect((await metrics(finance, '2017-05-29', '2017-06-04')).active_customers).toBe(2);
    await service.from('generations').delete().in('id', ids).throwOnError();
    await check();
    expect((await metrics(finance, '2017-04-24', '2017-07-31', null)).active_customers).toBe(0);
  });

  it('gives the same figures from unfolded deltas as after the fold', async () => {
    // The same keys in every row: PostgREST sends a bulk insert's missing keys as null.
    const row = (created_at: string, customer: number, status: string, cost_usd: number) => ({
      created_at,
      customer_id: customers[customer],
      status,
      cost_usd,
      credits_charged: 2,
      latency_ms: 900,
    });
    const ids = await insert([
      row('2017-09-04T10:00:00Z', 0, 'pending', 0),
      row('2017-09-05T10:00:00Z', 1, 'pending', 0.1),
      row('2017-09-05T11:00:00Z', 0, 'failed', 0.25),
    ]);
    await service
      .from('generations')
      .update({ status: 'succeeded', latency_ms: 1200 })
      .eq('id', ids[1])
      .throwOnError();
    const { count: pending } = await service
      .from('generation_daily_deltas')
      .select('*', { count: 'exact', head: true })
      .eq('provider', P)
      .throwOnError();
    expect(pending).toBeGreaterThan(0);
    const before = await metrics(finance, '2017-09-01', '2017-09-30');
    await fold();
    const { count: left } = await service
      .from('generation_daily_deltas')
      .select('*', { count: 'exact', head: true })
      .eq('provider', P)
      .throwOnError();
    expect(left).toBe(0);
    expect(await metrics(finance, '2017-09-01', '2017-09-30')).toEqual(before);
    expect(before).toMatchObject({ generations: 3, succeeded: 1, failed: 1, active_customers: 2 });
    await service.from('generations').delete().in('id', ids).throwOnError();
    await expectRollupsMatchRaw();
  });

  it("drills into one provider's models (p_models_of): equal to the raw rows, before and after the fold", async () => {
    const row = (created_at: string, model: string | null, cost_usd: number) => ({
      created_at,
      model,
      customer_id: customers[1],
      status: 'succeeded',
      cost_usd,
    });
    const ids = await insert([
      row('2017-10-02T08:00:00Z', 'm1', 0.5),
      row('2017-10-02T09:00:00Z', 'm2', 0.25),
      row('2017-10-02T23:59:59Z', null, 0.125),
      row('2017-10-03T00:00:00Z', 'm2', 1),
    ]);
    const raw = (await rawGenerations()).filter((g) => g.created_at.startsWith('2017-10'));
    const expected = new Map<
      string,
      { day: string; model: string; calls: number; cost_usd: number }
    >();
    for (const g of raw) {
      const key = `${utcDay(g.created_at)}|${g.model ?? ''}`;
      const e = expected.get(key) ?? {
        day: utcDay(g.created_at),
        model: g.model ?? '',
        calls: 0,
        cost_usd: 0,
      };
      expected.set(key, {
        ...e,
        calls: e.calls + 1,
        cost_usd: money(e.cost_usd + Number(g.cost_usd)),
      });
    }
    const series = async (client: Client) => {
      const { data, error } = await client.rpc('dashboard_metrics', {
        p_from: '2017-10-01',
        p_to: '2017-10-31',
        p_models_of: P,
      });
      if (error) throw error;
      return decodeModelSeries(data as unknown as ModelSeriesAnswer);
    };
    const support = await signedIn(DEMO.support);
    const unfolded = await series(support);
    expect(unfolded.models_of).toBe(P);
    expect(unfolded.daily_by_model.map((p) => ({ ...p, cost_usd: money(p.cost_usd) }))).toEqual(
      [...expected.values()].sort(
        (a, b) => a.day.localeCompare(b.day) || a.model.localeCompare(b.model),
      ),
    );
    await fold();
    expect(await series(admin)).toEqual(unfolded);
    // The full answer no longer carries the per-model series; the drill-down asks for it.
    expect(await metrics(finance, '2017-10-01', '2017-10-31')).not.toHaveProperty('daily_by_model');
    await service.from('generations').delete().in('id', ids).throwOnError();
    expect((await series(finance)).daily_by_model).toEqual([]);
  });

  it('top customers by cost equal the raw rows before and after a fold, across a month boundary and after old generations change', async () => {
    // More customers than the 32 each monthly list is first read to, so the ranking, not only
    // reading every list in full, decides the top.
    const many = Array.from({ length: 45 }, () => unique('cust'));
    await service
      .from('customers')
      .insert(many.map((id) => ({ id, email: `${id}@example.com` })))
      .throwOnError();
    // Distinct costs (cents, so finance_metrics' rounding is exact), ranked one way in
    // November and the other way in December.
    const rows = many.flatMap((customer_id, i) => [
      {
        created_at: '2017-11-02T10:00:00Z',
        customer_id,
        status: 'succeeded',
        cost_usd: 1 + i / 100,
      },
      { created_at: '2017-11-30T23:59:59Z', customer_id, status: 'succeeded', cost_usd: 0.5 },
      { created_at: '2017-12-01T00:00:00Z', customer_id, status: 'pending', cost_usd: 2 - i / 50 },
      {
        created_at: '2017-12-04T12:00:00Z',
        customer_id,
        status: 'failed',
        cost_usd: i % 3 ? 0.01 : 0,
      },
    ]);
    const ids = await insert(rows.map((r) => ({ ...r, model: 'm1' })));
    const idOf = (customer: number, n: number) => ids[customer * 4 + n];

    const monthlyRows = async () => {
      const { count } = await service
        .from('customer_monthly_costs')
        .select('*', { count: 'exact', head: true })
        .in('customer_id', many)
        .throwOnError();
      return count;
    };
    const ranges = [
      ['2017-11-01', '2017-11-30'], // a whole month
      ['2017-11-29', '2017-12-02'], // days either side of the boundary
      ['2017-11-02', '2017-12-31'], // November less a day, and December
      ['2017-12-04', '2017-12-04'], // one day
    ];
    const check = async () => {
      const raw = (await rawGenerations()).filter((g) => many.includes(g.customer_id));
      for (const [from, to] of ranges) {
        const per = new Map<string, { cost: number; generations: number }>();
        for (const g of raw.filter(
          (g) => utcDay(g.created_at) >= from && utcDay(g.created_at) <= to,
        )) {
          const c = per.get(g.customer_id) ?? { cost: 0, generations: 0 };
          per.set(g.customer_id, {
            cost: money(c.cost + Number(g.cost_usd)),
            generations: c.generations + 1,
          });
        }
        const want = [...per]
          .sort((a, b) => b[1].cost - a[1].cost || (a[0] < b[0] ? -1 : 1))
          .slice(0, 10)
          .map(([customer_id, c]) => ({ customer_id, ...c }));
        const { data, error } = await finance.rpc('finance_metrics', {
          p_from: from,
          p_to: to,
          p_provider: P,
        });
        expect(error).toBeNull();
        const got = decodeFinanceMetrics(data as FinanceMetricsAnswer).top_customers.map((c) => ({
          customer_id: c.customer_id,
          cost: money(c.cost_usd),
          generations: c.generations,
        }));
        expect(got, `${from}..${to}`).toEqual(want);
      }
    };

    // The generation trigger writes no monthly row: the new generations are only in the tail.
    expect(await monthlyRows()).toBe(0);
    await check();
    await expectRollupsMatchRaw(); // folds, then the monthly rows equal the raw rows
    expect(await monthlyRows()).toBe(45 * 2);
    await check();

    // Old, folded generations change: the cheapest November customer becomes the costliest
    // (outside every list's first 32 until the next fold, so only its tail puts it in the top),
    // another's status and cost change, one moves across the month boundary, one is deleted.
    await service.from('generations').update({ cost_usd: 9 }).eq('id', idOf(0, 0)).throwOnError();
    await service
      .from('generations')
      .update({ status: 'succeeded', cost_usd: 3.33 })
      .eq('id', idOf(44, 2))
      .throwOnError();
    await service
      .from('generations')
      .update({ created_at: '2017-12-01T00:00:01Z' })
      .eq('id', idOf(7, 1))
      .throwOnError();
    await service.from('generations').delete().eq('id', idOf(43, 0)).throwOnError();
    await check();
    await expectRollupsMatchRaw();
    await check();
    await service.from('generations').delete().in('id', ids).throwOnError();
    await expectRollupsMatchRaw();
  });

  it('answers an empty range with zeros and one row per day', async () => {
    const m = await metrics(finance, '2016-06-01', '2016-06-03', null);
    expect(m).toMatchObject({
      generations: 0,
      previous_generations: 0,
      active_customers: 0,
      cost_usd: 0,
      success_rate: null,
    });
    expect(m.by_provider_model).toEqual([]);
    expect(m.daily.map((d) => [d.day, d.generations, d.success_rate])).toEqual([
      ['2016-06-01', 0, null],
      ['2016-06-02', 0, null],
      ['2016-06-03', 0, null],
    ]);
  });
});

describe('dashboard_metrics access and input', () => {
  it('refuses anon and signed-in non-staff', async () => {
    const { anonClient, newUser } = await import('../support/db');
    const anon = await anonClient().rpc('dashboard_metrics', {
      p_from: '2017-01-01',
      p_to: '2017-01-02',
    });
    expect(anon.error).not.toBeNull();
    expect([401, 403]).toContain(anon.status);
    const customer = await signedIn(DEMO.customer);
    const nonStaff = await customer.rpc('dashboard_metrics', {
      p_from: '2017-01-01',
      p_to: '2017-01-02',
    });
    expect(nonStaff.status).toBe(403);
    expect(nonStaff.error?.message).toMatch(/staff/i);
    const stranger = await newUser();
    expect(
      (await stranger.client.rpc('dashboard_metrics', { p_from: '2017-01-01', p_to: '2017-01-02' }))
        .status,
    ).toBe(403);
  });

  it('the drill-down refuses anon and non-staff, and an empty provider with 400', async () => {
    const { anonClient, newUser } = await import('../support/db');
    const args = { p_from: '2017-01-01', p_to: '2017-01-02', p_models_of: P };
    const anon = await anonClient().rpc('dashboard_metrics', args);
    expect([401, 403]).toContain(anon.status);
    const customer = await signedIn(DEMO.customer);
    const nonStaff = await customer.rpc('dashboard_metrics', args);
    expect(nonStaff.status).toBe(403);
    expect(nonStaff.error?.message).toMatch(/staff/i);
    const stranger = await newUser();
    expect((await stranger.client.rpc('dashboard_metrics', args)).status).toBe(403);
    const noProvider = await finance.rpc('dashboard_metrics', { ...args, p_models_of: ' ' });
    expect(noProvider.status).toBe(400);
    expect(noProvider.error?.message).toBe('Choose the provider whose models to show.');
    const reversed = await finance.rpc('dashboard_metrics', { ...args, p_from: '2017-02-01' });
    expect(reversed.status).toBe(400);
    expect(reversed.error?.message).toMatch(/start date .* is after the end date/);
  });

  it('refuses reversed, missing and over-long ranges with 400', async () => {
    for (const [from, to] of [
      ['2017-02-01', '2017-01-01'],
      ['2010-01-01', '2017-01-01'],
    ]) {
      const r = await finance.rpc('dashboard_metrics', { p_from: from, p_to: to });
      expect(r.status).toBe(400);
      expect(r.error?.message).toMatch(/start date|three years/);
    }
    const missing = await finance.rpc('dashboard_metrics', {
      p_from: null as unknown as string,
      p_to: '2017-01-01',
    });
    expect(missing.status).toBe(400);
  });
});

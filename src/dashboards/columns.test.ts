import { describe, expect, it } from 'vitest';
import { decodeDashboardMetrics, decodeFinanceMetrics, decodeRows, encodeRows } from './columns';
import { metricsFixture, metricsRows } from './fixtures';

describe('columnar answers (dashboard_metrics, finance_metrics)', () => {
  it('row i holds every column’s i-th value, nulls included', () => {
    expect(
      decodeRows('daily', {
        day: ['2026-11-01', '2026-11-02'],
        cost_usd: [1.5, 0],
        success_rate: [0.9, null],
      }),
    ).toEqual([
      { day: '2026-11-01', cost_usd: 1.5, success_rate: 0.9 },
      { day: '2026-11-02', cost_usd: 0, success_rate: null },
    ]);
  });

  it('an empty table is no rows', () => {
    expect(decodeRows('by_model', { provider: [], model: [] })).toEqual([]);
  });

  it('refuses columns of different lengths, naming the table and the column', () => {
    expect(() => decodeRows('daily', { day: ['2026-11-01', '2026-11-02'], cost_usd: [1] })).toThrow(
      /daily answer is malformed: its "cost_usd" column does not hold 2 values/,
    );
    // A row-shaped answer (an older server) is not silently read as columns.
    expect(() =>
      decodeRows('daily', [{ day: '2026-11-01' }] as unknown as { day: string[] }),
    ).toThrow(/malformed/);
  });

  it('gives back the rows the dashboard fixture was written as', () => {
    const rows = metricsRows();
    const decoded = decodeDashboardMetrics(metricsFixture());
    expect(decoded).toEqual(rows);
    // The three tables were columns on the wire; every scalar figure passed through as it was.
    expect(Array.isArray(metricsFixture().daily)).toBe(false);
    expect(decoded.daily).toHaveLength(3);
    expect(decoded.daily_by_provider[3]).toEqual({
      day: '2026-11-03',
      provider: 'fal',
      calls: 2000,
      cost_usd: 140.15,
    });
  });

  it('decodes the Margin page’s three tables and keeps its totals', () => {
    const top = [
      {
        customer_id: 'c1',
        email: null,
        generations: 3,
        cost_usd: 2.5,
        revenue_usd: 4,
        margin_usd: 1.5,
      },
    ];
    const decoded = decodeFinanceMetrics({
      from: '2026-11-01',
      to: '2026-11-01',
      provider: null,
      totals: {
        cash_in_usd: 20,
        credits_bought: 500,
        revenue_usd: 4,
        refunds_usd: 0,
        breakage_usd: 0,
        provider_cost_usd: 2.5,
        gross_margin_usd: 1.5,
        margin_pct: 37.5,
        deferred_revenue_usd: 16,
      },
      daily: {
        day: ['2026-11-01'],
        cash_in_usd: [20],
        revenue_usd: [4],
        cost_usd: [2.5],
        margin_usd: [1.5],
        breakage_usd: [0],
      },
      by_model: {
        provider: [],
        model: [],
        generations: [],
        revenue_usd: [],
        refunds_usd: [],
        cost_usd: [],
        margin_usd: [],
        margin_pct: [],
      },
      top_customers: encodeRows(top, [
        'customer_id',
        'email',
        'generations',
        'cost_usd',
        'revenue_usd',
        'margin_usd',
      ]),
    });
    expect(decoded.top_customers).toEqual(top);
    expect(decoded.by_model).toEqual([]);
    expect(decoded.daily).toEqual([
      {
        day: '2026-11-01',
        cash_in_usd: 20,
        revenue_usd: 4,
        cost_usd: 2.5,
        margin_usd: 1.5,
        breakage_usd: 0,
      },
    ]);
    expect(decoded.totals.margin_pct).toBe(37.5);
  });
});

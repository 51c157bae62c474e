// A dashboard_metrics answer for tests: two providers, three models, a week of UTC days.
// Written as rows (what the pages read after decoding) and sent columnar, as the database does.
import type {
  DashboardMetrics,
  DashboardMetricsAnswer,
  ModelSeries,
  ModelSeriesAnswer,
} from '@/providers/rpcTypes';
import { encodeRows } from './columns';

const days = ['2026-11-01', '2026-11-02', '2026-11-03'];

/** The answer as the server sends it (columnar), from metricsRows. */
export function metricsFixture(overrides: Partial<DashboardMetrics> = {}): DashboardMetricsAnswer {
  const m = metricsRows(overrides);
  return {
    ...m,
    by_provider_model: encodeRows(m.by_provider_model, [
      'provider',
      'model',
      'calls',
      'failures',
      'successes',
      'cost_usd',
      'credits_charged',
      'avg_latency_ms',
    ]),
    daily: encodeRows(m.daily, [
      'day',
      'generations',
      'succeeded',
      'failed',
      'other',
      'cost_usd',
      'success_rate',
      'refunds',
      'refund_credits',
      'credits_spent',
      'credits_bought',
    ]),
    daily_by_provider: encodeRows(m.daily_by_provider, ['day', 'provider', 'calls', 'cost_usd']),
  };
}

/** The answer as the pages read it (rows). */
export function metricsRows(overrides: Partial<DashboardMetrics> = {}): DashboardMetrics {
  return {
    from: days[0],
    to: days[2],
    provider: null,
    days: 3,
    timezone: 'UTC',
    generations: 12345,
    previous_generations: 10000,
    succeeded: 11000,
    failed: 1000,
    success_rate: 0.8911,
    failure_rate: 0.081,
    cost_usd: 1234.5,
    cost_per_success_usd: 0.112227,
    refunds: 42,
    refund_credits: 420,
    credits_spent: 98765,
    credits_bought: 150000,
    credits_granted: 5000,
    credits_per_usd: 80.01,
    active_customers: 321,
    providers: ['fal', 'wavespeed'],
    by_provider_model: [
      {
        provider: 'wavespeed',
        model: 'wan-2.1',
        calls: 9000,
        failures: 700,
        successes: 8100,
        cost_usd: 1000.25,
        credits_charged: 80000,
        avg_latency_ms: 5400,
      },
      {
        provider: 'fal',
        model: 'flux-pro',
        calls: 3000,
        failures: 300,
        successes: 2700,
        cost_usd: 200.25,
        credits_charged: 15000,
        avg_latency_ms: 2100,
      },
      {
        provider: 'wavespeed',
        model: '',
        calls: 345,
        failures: 0,
        successes: 200,
        cost_usd: 34,
        credits_charged: 3765,
        avg_latency_ms: null,
      },
    ],
    daily: days.map((day, i) => ({
      day,
      generations: 4000 + i,
      succeeded: 3600,
      failed: 300,
      other: 100 + i,
      cost_usd: 400 + i,
      success_rate: 0.9,
      refunds: 14,
      refund_credits: 140,
      credits_spent: 30000,
      credits_bought: 50000,
    })),
    daily_by_provider: [
      { day: days[0], provider: 'wavespeed', calls: 3000, cost_usd: 340.5 },
      { day: days[0], provider: 'fal', calls: 1000, cost_usd: 60.1 },
      { day: days[1], provider: 'wavespeed', calls: 3000, cost_usd: 330.25 },
      { day: days[2], provider: 'fal', calls: 2000, cost_usd: 140.15 },
    ],
    ...overrides,
  };
}

/** The drill-down answer (p_models_of) for wavespeed over the same days, as the server sends it. */
export function wavespeedModelsFixture(): ModelSeriesAnswer {
  const m = wavespeedModelsRows();
  return {
    ...m,
    daily_by_model: encodeRows(m.daily_by_model, ['day', 'model', 'calls', 'cost_usd']),
  };
}

/** The drill-down for wavespeed as rows: one model and none. */
export function wavespeedModelsRows(): ModelSeries {
  return {
    from: days[0],
    to: days[2],
    models_of: 'wavespeed',
    daily_by_model: [
      { day: days[0], model: '', calls: 100, cost_usd: 10 },
      { day: days[0], model: 'wan-2.1', calls: 2900, cost_usd: 330.5 },
      { day: days[1], model: 'wan-2.1', calls: 3000, cost_usd: 330.25 },
    ],
  };
}

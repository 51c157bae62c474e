// Chart data built from a dashboard_metrics answer. The charts and the CSV export read the
// same rows, so the file holds exactly what the chart draws.
import type { DashboardMetrics, ModelSeries } from '@/providers/rpcTypes';

export type SeriesRow = { day: string } & Record<string, number | string>;

export interface StackedSeries {
  /** One stacked series per key (provider, or model when drilled into a provider), costliest first. */
  keys: string[];
  rows: SeriesRow[];
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
export const modelLabel = (model: string) => model || '(no model)';

/**
 * Cost (or calls) per UTC day, one column per provider — or per model when `models` (one
 * provider's drill-down answer, `p_models_of`) is given. Every day of the range has a row, zeros
 * included, so gaps show as gaps.
 */
export function dailyByBreakdown(
  m: DashboardMetrics,
  opts: { models?: ModelSeries | null; measure?: 'cost_usd' | 'calls' } = {},
): StackedSeries {
  const measure = opts.measure ?? 'cost_usd';
  const points = opts.models
    ? opts.models.daily_by_model.map((p) => ({
        day: p.day,
        key: modelLabel(p.model),
        value: Number(p[measure]),
      }))
    : m.daily_by_provider.map((p) => ({ day: p.day, key: p.provider, value: Number(p[measure]) }));

  const totals = new Map<string, number>();
  for (const p of points) totals.set(p.key, (totals.get(p.key) ?? 0) + p.value);
  const keys = [...totals.keys()].sort(
    (a, b) => totals.get(b)! - totals.get(a)! || a.localeCompare(b),
  );

  const byDay = new Map<string, SeriesRow>();
  for (const d of m.daily) {
    const row: SeriesRow = { day: d.day };
    for (const k of keys) row[k] = 0;
    byDay.set(d.day, row);
  }
  for (const p of points) {
    const row = byDay.get(p.day);
    if (row) row[p.key] = round6(Number(row[p.key]) + p.value);
  }
  return { keys, rows: [...byDay.values()] };
}

/** Per provider and model: the finance view's unit economics. */
export function unitEconomics(m: DashboardMetrics) {
  return m.by_provider_model.map((r) => ({
    provider: r.provider,
    model: modelLabel(r.model),
    calls: Number(r.calls),
    successes: Number(r.successes),
    cost_usd: Number(r.cost_usd),
    cost_per_success_usd: Number(r.successes) > 0 ? Number(r.cost_usd) / Number(r.successes) : null,
    credits_charged: Number(r.credits_charged),
    credits_per_usd: Number(r.cost_usd) > 0 ? Number(r.credits_charged) / Number(r.cost_usd) : null,
  }));
}

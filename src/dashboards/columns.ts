// dashboard_metrics and finance_metrics send their tables columnar (one array per field,
// 20261204400000): for 180 days the dashboard's answer shrank from 103 kB of repeated keys to
// about 40 kB, and the database no longer builds an object per row. The charts, tables and
// CSV exports read rows, so the data provider turns the columns back into rows here, once
// per answer. Hand-written: it is a loop over arrays, no library needed.
import type {
  Columns,
  DashboardMetrics,
  DashboardMetricsAnswer,
  FinanceMetrics,
  FinanceMetricsAnswer,
  ModelSeries,
  ModelSeriesAnswer,
} from '@/providers/rpcTypes';

/**
 * The rows of a columnar table: row i holds every field's i-th value. Arrays of different
 * lengths mean the answer is not what this client understands, so it throws instead of
 * drawing rows with holes.
 */
export function decodeRows<Row extends object>(table: string, columns: Columns<Row>): Row[] {
  const fields = Object.keys(columns) as (keyof Row & string)[];
  const length = fields.length ? columns[fields[0]].length : 0;
  for (const f of fields)
    if (!Array.isArray(columns[f]) || columns[f].length !== length)
      throw new Error(
        `The server's ${table} answer is malformed: its "${f}" column does not hold ${length} values. Reload the page; if it persists, the app and the database are out of step.`,
      );
  const rows = new Array<Row>(length);
  for (let i = 0; i < length; i++) {
    const row = {} as Row;
    for (const f of fields) row[f] = columns[f][i];
    rows[i] = row;
  }
  return rows;
}

/** The columns of rows, the inverse of decodeRows (test fixtures are written as rows). */
export function encodeRows<Row extends object>(rows: Row[], fields: (keyof Row)[]): Columns<Row> {
  return Object.fromEntries(fields.map((f) => [f, rows.map((r) => r[f])])) as Columns<Row>;
}

export const decodeDashboardMetrics = (a: DashboardMetricsAnswer): DashboardMetrics => ({
  ...a,
  by_provider_model: decodeRows('by_provider_model', a.by_provider_model),
  daily: decodeRows('daily', a.daily),
  daily_by_provider: decodeRows('daily_by_provider', a.daily_by_provider),
});

export const decodeModelSeries = (a: ModelSeriesAnswer): ModelSeries => ({
  ...a,
  daily_by_model: decodeRows('daily_by_model', a.daily_by_model),
});

export const decodeFinanceMetrics = (a: FinanceMetricsAnswer): FinanceMetrics => ({
  ...a,
  daily: decodeRows('daily', a.daily),
  by_model: decodeRows('by_model', a.by_model),
  top_customers: decodeRows('top_customers', a.top_customers),
});

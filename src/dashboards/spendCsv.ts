import jsonExport from 'jsonexport/dist';
import { downloadCSV } from 'react-admin';
import type { StackedSeries } from './series';

/**
 * The spend chart's rows as CSV: one line per UTC day, one column per stacked series in the
 * chart's order, and the day's total. Nothing the chart does not draw, nothing left out.
 */
export function spendCsv(series: StackedSeries): Promise<string> {
  const rows = series.rows.map((r) => {
    const total = series.keys.reduce((sum, k) => sum + Number(r[k] ?? 0), 0);
    return {
      day: r.day,
      ...Object.fromEntries(series.keys.map((k) => [k, r[k]])),
      total: Math.round(total * 1e6) / 1e6,
    };
  });
  return new Promise((resolve, reject) =>
    jsonExport(rows, { headers: ['day', ...series.keys, 'total'] }, (error, csv) =>
      error ? reject(error) : resolve(csv),
    ),
  );
}

export async function downloadSpendCsv(series: StackedSeries, filename: string) {
  downloadCSV(await spendCsv(series), filename);
}

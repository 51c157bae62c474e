import jsonExport from 'jsonexport/dist';
import { downloadCSV } from 'react-admin';
import type { FinanceMetrics } from '@/providers/rpcTypes';

/** The provider / model table as CSV, the columns the page shows. */
export function marginCsv(m: FinanceMetrics): Promise<string> {
  const rows = m.by_model.map((r) => ({
    provider: r.provider,
    model: r.model,
    generations: r.generations,
    revenue_usd: r.revenue_usd,
    refunds_usd: r.refunds_usd,
    cost_usd: r.cost_usd,
    margin_usd: r.margin_usd,
    margin_pct: r.margin_pct ?? '',
  }));
  return new Promise((resolve, reject) =>
    jsonExport(rows, {}, (error, csv) => (error ? reject(error) : resolve(csv))),
  );
}

export async function downloadMarginCsv(m: FinanceMetrics) {
  downloadCSV(await marginCsv(m), `margin_${m.from}_${m.to}${m.provider ? `_${m.provider}` : ''}`);
}

// The Margin page's chart, lazily loaded with recharts (see MarginPage.tsx).
import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartBox } from './chartParts';
import { colorAt, dayAxis, dayLabel } from './chartStyle';
import { formatUsd } from '@/components/format';
import type { FinanceMetrics } from '@/providers/rpcTypes';

/** Revenue and provider cost per UTC day as bars, the margin between them as a line. */
export default function MarginChart({ daily }: { daily: FinanceMetrics['daily'] }) {
  return (
    <ChartBox height={300}>
      <ComposedChart data={daily}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis {...dayAxis(daily.length)} />
        <YAxis tickFormatter={(v: number) => formatUsd(v)} width={72} />
        <Tooltip labelFormatter={dayLabel} formatter={(v) => formatUsd(Number(v))} />
        <Legend />
        <Bar dataKey="revenue_usd" name="Revenue" fill={colorAt(0)} />
        <Bar dataKey="cost_usd" name="Provider cost" fill={colorAt(1)} />
        <Line dataKey="margin_usd" name="Margin" stroke={colorAt(2)} strokeWidth={2} dot={false} />
      </ComposedChart>
    </ChartBox>
  );
}

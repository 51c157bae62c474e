// The finance page's chart, lazily loaded with recharts (see SpendPage.tsx).
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartBox } from './chartParts';
import { colorAt, dayLabel, dayTick } from './chartStyle';
import { formatUsd } from '@/components/format';
import type { StackedSeries } from './series';

/** Cost per UTC day stacked by series; `onSelect` makes a series' bars drill down on click. */
export default function SpendChart({
  series,
  height = 300,
  onSelect,
}: {
  series: StackedSeries;
  height?: number;
  onSelect?: (key: string) => void;
}) {
  return (
    <ChartBox height={height}>
      <BarChart data={series.rows}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="day" tickFormatter={dayTick} />
        <YAxis tickFormatter={(v: number) => formatUsd(v)} width={72} />
        <Tooltip labelFormatter={dayLabel} formatter={(v) => formatUsd(Number(v))} />
        <Legend />
        {series.keys.map((k, i) => (
          <Bar
            key={k}
            dataKey={k}
            stackId="cost"
            fill={colorAt(i)}
            cursor={onSelect ? 'pointer' : undefined}
            onClick={onSelect ? () => onSelect(k) : undefined}
          />
        ))}
      </BarChart>
    </ChartBox>
  );
}

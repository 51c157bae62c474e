// The cost chart, lazily loaded with recharts (see SpendPage.tsx and DashboardCharts.tsx).
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartBox } from './chartParts';
import { colorAt, dayAxis, dayLabel } from './chartStyle';
import { formatUsd } from '@/components/format';
import type { StackedSeries } from './series';

/**
 * Cost per UTC day stacked by series; `onSelect` makes a series drill down on click. `areas`
 * draws one path per series instead of a rectangle per day and series (the dashboard's choice:
 * fewer DOM nodes); finance's spend page keeps bars, one per day to read off.
 */
export default function SpendChart({
  series,
  height = 300,
  areas = false,
  onSelect,
}: {
  series: StackedSeries;
  height?: number;
  areas?: boolean;
  onSelect?: (key: string) => void;
}) {
  const Chart = areas ? AreaChart : BarChart;
  return (
    <ChartBox height={height}>
      <Chart data={series.rows}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis {...dayAxis(series.rows.length)} />
        <YAxis tickFormatter={(v: number) => formatUsd(v)} width={72} />
        <Tooltip labelFormatter={dayLabel} formatter={(v) => formatUsd(Number(v))} />
        <Legend />
        {series.keys.map((k, i) => {
          const common = {
            dataKey: k,
            stackId: 'cost',
            fill: colorAt(i),
            cursor: onSelect ? 'pointer' : undefined,
            onClick: onSelect ? () => onSelect(k) : undefined,
            isAnimationActive: false,
          };
          return areas ? (
            <Area key={k} {...common} type="step" stroke={colorAt(i)} fillOpacity={0.85} />
          ) : (
            <Bar key={k} {...common} />
          );
        })}
      </Chart>
    </ChartBox>
  );
}

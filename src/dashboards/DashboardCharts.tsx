// The home dashboard's charts. Loaded with React.lazy when the first of them nears the
// viewport (see Dashboard.tsx): recharts is the heaviest dependency of the app and the KPI
// cards should not wait for it. Each chart draws when it scrolls into view, without
// animation (an animated chart re-renders every frame for a second), and the daily series
// are areas and lines: one path per series where bars drew a rectangle per day and series
// (90 days × 3 statuses alone was 270 rectangles, ~1,700 DOM nodes for the page).
import { useState } from 'react';
import { Button, FormControl, InputLabel, MenuItem, Select } from '@mui/material';
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartBox } from './chartParts';
import SpendChart from './SpendChart';
import { dayAxis, dayLabel } from './chartStyle';
import { formatInt, formatPercent } from '@/components/format';
import { ChartSkeleton, ErrorState, Section } from './states';
import { useCostSeries } from './useDashboardMetrics';
import { WhenVisible } from './WhenVisible';
import type { DashboardMetrics } from '@/providers/rpcTypes';

const STATUS_COLORS = { succeeded: '#2e7d32', failed: '#c62828', other: '#757575' };

function GenerationsByStatus({ m }: { m: DashboardMetrics }) {
  return (
    <Section title="Generations per day by status (UTC days)">
      <ChartBox>
        <AreaChart data={m.daily}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis {...dayAxis(m.daily.length)} />
          <YAxis tickFormatter={(v: number) => formatInt(v)} />
          <Tooltip labelFormatter={dayLabel} formatter={(v) => formatInt(Number(v))} />
          <Legend />
          {(
            [
              ['succeeded', 'Succeeded'],
              ['failed', 'Failed'],
              ['other', 'Pending / cancelled'],
            ] as const
          ).map(([key, name]) => (
            <Area
              key={key}
              dataKey={key}
              name={name}
              stackId="s"
              type="step"
              stroke={STATUS_COLORS[key]}
              fill={STATUS_COLORS[key]}
              fillOpacity={0.85}
              isAnimationActive={false}
            />
          ))}
        </AreaChart>
      </ChartBox>
    </Section>
  );
}

/** Cost per day stacked by provider; choosing a provider (or filtering by one) shows its models. */
export function CostByProvider({
  m,
  title = 'Provider cost per day (USD, UTC days)',
}: {
  m: DashboardMetrics;
  title?: string;
}) {
  const [drill, setDrill] = useState<string | null>(null);
  const { provider, providers, series, error } = useCostSeries(m, drill);
  const action = m.provider ? null : drill ? (
    <Button size="small" onClick={() => setDrill(null)}>
      All providers
    </Button>
  ) : (
    <FormControl size="small" sx={{ minWidth: 180 }}>
      <InputLabel id="cost-drill-label">Models of</InputLabel>
      <Select
        labelId="cost-drill-label"
        label="Models of"
        value=""
        onChange={(e) => setDrill(e.target.value || null)}
      >
        {providers.map((p) => (
          <MenuItem key={p} value={p}>
            {p}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
  return (
    <Section title={provider ? `${title}: ${provider} by model` : title} action={action}>
      {series ? (
        <SpendChart series={series} height={260} areas onSelect={provider ? undefined : setDrill} />
      ) : error ? (
        <ErrorState error={error} />
      ) : (
        <ChartSkeleton height={260} />
      )}
    </Section>
  );
}

function SuccessRate({ m }: { m: DashboardMetrics }) {
  return (
    <Section title="Success rate per day (UTC days)">
      <ChartBox height={220}>
        <LineChart data={m.daily}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis {...dayAxis(m.daily.length)} />
          <YAxis domain={[0, 1]} tickFormatter={(v: number) => formatPercent(v)} />
          <Tooltip
            labelFormatter={dayLabel}
            formatter={(v) => formatPercent(v === null ? null : Number(v))}
          />
          {/* Days without generations have no rate: a gap, not a drop to 0 %. */}
          <Line
            type="monotone"
            dataKey="success_rate"
            name="Success rate"
            stroke="#2e7d32"
            dot={false}
            connectNulls={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ChartBox>
    </Section>
  );
}

function Refunds({ m }: { m: DashboardMetrics }) {
  return (
    <Section title="Refunds per day (UTC days)">
      <ChartBox height={220}>
        <LineChart data={m.daily}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis {...dayAxis(m.daily.length)} />
          <YAxis yAxisId="count" tickFormatter={(v: number) => formatInt(v)} />
          <YAxis
            yAxisId="credits"
            orientation="right"
            tickFormatter={(v: number) => formatInt(v)}
          />
          <Tooltip labelFormatter={dayLabel} formatter={(v) => formatInt(Number(v))} />
          <Legend />
          <Line
            yAxisId="count"
            dataKey="refunds"
            name="Refunds"
            type="step"
            stroke="#ef6c00"
            dot={false}
            isAnimationActive={false}
          />
          <Line
            yAxisId="credits"
            dataKey="refund_credits"
            name="Credits refunded"
            type="step"
            stroke="#8d6e63"
            strokeDasharray="5 3"
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ChartBox>
    </Section>
  );
}

export default function DashboardCharts({ metrics }: { metrics: DashboardMetrics }) {
  // The first chart is in view when this chunk loads (see Dashboard.tsx); the rest wait.
  return (
    <>
      <GenerationsByStatus m={metrics} />
      <WhenVisible height={360}>
        <CostByProvider m={metrics} />
      </WhenVisible>
      <WhenVisible height={300}>
        <SuccessRate m={metrics} />
      </WhenVisible>
      <WhenVisible height={300}>
        <Refunds m={metrics} />
      </WhenVisible>
    </>
  );
}

// The home dashboard's charts. Loaded with React.lazy (see Dashboard.tsx): recharts is the
// heaviest dependency of the app and the KPI cards should not wait for it.
import { useState } from 'react';
import { Button, FormControl, InputLabel, MenuItem, Select } from '@mui/material';
import {
  Bar,
  BarChart,
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
import { dayLabel, dayTick } from './chartStyle';
import { formatInt, formatPercent } from '@/components/format';
import { dailyByBreakdown } from './series';
import { Section } from './states';
import type { DashboardMetrics } from '@/providers/rpcTypes';

const STATUS_COLORS = { succeeded: '#2e7d32', failed: '#c62828', other: '#9e9e9e' };

function GenerationsByStatus({ m }: { m: DashboardMetrics }) {
  return (
    <Section title="Generations per day by status (UTC days)">
      <ChartBox>
        <BarChart data={m.daily}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" tickFormatter={dayTick} />
          <YAxis tickFormatter={(v: number) => formatInt(v)} />
          <Tooltip labelFormatter={dayLabel} formatter={(v) => formatInt(Number(v))} />
          <Legend />
          <Bar dataKey="succeeded" name="Succeeded" stackId="s" fill={STATUS_COLORS.succeeded} />
          <Bar dataKey="failed" name="Failed" stackId="s" fill={STATUS_COLORS.failed} />
          <Bar dataKey="other" name="Pending / cancelled" stackId="s" fill={STATUS_COLORS.other} />
        </BarChart>
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
  // With the page filtered to one provider there is nothing to choose: show its models.
  const provider = m.provider ?? drill;
  const series = dailyByBreakdown(m, { provider });
  const providers = [...new Set(m.by_provider_model.map((r) => r.provider))].sort();
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
      <SpendChart series={series} height={260} onSelect={provider ? undefined : setDrill} />
    </Section>
  );
}

function SuccessRate({ m }: { m: DashboardMetrics }) {
  return (
    <Section title="Success rate per day (UTC days)">
      <ChartBox height={220}>
        <LineChart data={m.daily}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" tickFormatter={dayTick} />
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
        <BarChart data={m.daily}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" tickFormatter={dayTick} />
          <YAxis yAxisId="count" tickFormatter={(v: number) => formatInt(v)} />
          <YAxis
            yAxisId="credits"
            orientation="right"
            tickFormatter={(v: number) => formatInt(v)}
          />
          <Tooltip labelFormatter={dayLabel} formatter={(v) => formatInt(Number(v))} />
          <Legend />
          <Bar yAxisId="count" dataKey="refunds" name="Refunds" fill="#ef6c00" />
          <Bar yAxisId="credits" dataKey="refund_credits" name="Credits refunded" fill="#ffb74d" />
        </BarChart>
      </ChartBox>
    </Section>
  );
}

export default function DashboardCharts({ metrics }: { metrics: DashboardMetrics }) {
  return (
    <>
      <GenerationsByStatus m={metrics} />
      <CostByProvider m={metrics} />
      <SuccessRate m={metrics} />
      <Refunds m={metrics} />
    </>
  );
}

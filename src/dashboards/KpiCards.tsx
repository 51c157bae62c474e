import type { ReactNode } from 'react';
import { Card, CardContent, Typography } from '@mui/material';
import { formatInt, formatPercent, formatUsd, formatUsdPrecise } from '@/components/format';
import { describeChange } from './format';
import { KpiGrid } from './states';
import type { DashboardMetrics } from '@/providers/rpcTypes';

export function Kpi({
  title,
  value,
  caption,
}: {
  title: string;
  value: ReactNode;
  caption?: ReactNode;
}) {
  return (
    <Card variant="outlined" role="group" aria-label={title}>
      <CardContent>
        <Typography variant="overline" color="text.secondary" component="h3">
          {title}
        </Typography>
        <Typography variant="h5" component="p" data-kpi="value">
          {value}
        </Typography>
        {caption && (
          <Typography variant="body2" color="text.secondary">
            {caption}
          </Typography>
        )}
      </CardContent>
    </Card>
  );
}

function versusPrevious(m: DashboardMetrics) {
  const delta = describeChange(m.generations, m.previous_generations);
  const previous = `${formatInt(m.previous_generations)} in the previous ${m.days} days`;
  if (delta === null) return previous;
  if (delta === 'new') return `new: none in the previous ${m.days} days`;
  return `${delta} vs ${previous}`;
}

// With a provider filter, spend, refunds and generations are that provider's, while
// purchases and grants belong to no provider: the caption says which is which.
function creditsCaption(m: DashboardMetrics) {
  const granted = `${formatInt(m.credits_granted)} granted`;
  if (!m.provider) return granted;
  return `spent on ${m.provider}; bought: all customers, every provider; ${granted}`;
}

export function KpiCards({ metrics: m }: { metrics: DashboardMetrics }) {
  return (
    <KpiGrid>
      <Kpi title="Generations" value={formatInt(m.generations)} caption={versusPrevious(m)} />
      <Kpi
        title="Success rate"
        value={formatPercent(m.success_rate)}
        caption={`${formatInt(m.succeeded)} succeeded`}
      />
      <Kpi
        title="Failure rate"
        value={formatPercent(m.failure_rate)}
        caption={`${formatInt(m.failed)} failed`}
      />
      <Kpi
        title="Provider cost"
        value={formatUsd(m.cost_usd)}
        caption={`${formatUsdPrecise(m.cost_per_success_usd)} per successful generation`}
      />
      <Kpi
        title="Refunds"
        value={formatInt(m.refunds)}
        caption={`${formatInt(m.refund_credits)} credits refunded`}
      />
      <Kpi
        title="Credits spent vs bought"
        value={`${formatInt(m.credits_spent)} / ${formatInt(m.credits_bought)}`}
        caption={creditsCaption(m)}
      />
      <Kpi
        title="Active customers"
        value={formatInt(m.active_customers)}
        caption="with at least one generation"
      />
    </KpiGrid>
  );
}

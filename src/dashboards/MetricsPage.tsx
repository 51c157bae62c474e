import { memo, useDeferredValue, type ReactNode } from 'react';
import { Box, LinearProgress } from '@mui/material';
import { Title } from 'react-admin';
import { RangePicker } from './RangePicker';
import { DashboardSkeleton, EmptyState, ErrorState } from './states';
import type { DashboardMetrics } from '@/providers/rpcTypes';
import { useDashboardMetrics } from './useDashboardMetrics';
import { useDateRange } from './useDateRange';

/**
 * The frame both dashboard pages share: range picker bound to the URL, one dashboard_metrics
 * query, and its loading, error and empty states. `summary` draws whenever figures exist;
 * `details` only when the range holds generations.
 */
export function MetricsPage({
  title,
  skeletonCards,
  summary,
  details,
}: {
  title: string;
  skeletonCards?: number;
  summary: (m: DashboardMetrics) => ReactNode;
  details: (m: DashboardMetrics) => ReactNode;
}) {
  const [range, setRange] = useDateRange();
  const { data, error, isPending, isFetching, isPlaceholderData } = useDashboardMetrics(range);
  // react-query hands its answer to React through a store, and React draws a store's change
  // at once, in one blocking task: every card, the table and the charts' frames. Drawn from a
  // deferred copy, the same work runs at transition priority, in slices of a few ms with input
  // and paint let through between them; the urgent render only swaps nothing for nothing.
  const shown = useDeferredValue(data);
  const providers = data?.providers ?? [...new Set(data?.by_provider_model.map((r) => r.provider))];

  return (
    <Box sx={{ p: 2 }}>
      <Title title={title} />
      <RangePicker range={range} onChange={setRange} providers={providers} />
      {/* Keep the layout steady while a new range loads over the previous figures. */}
      <Box sx={{ height: 4, mb: 1 }}>
        {isFetching && !isPending && <LinearProgress aria-label="Refreshing" />}
      </Box>
      {error ? (
        <ErrorState error={error} />
      ) : isPending || !shown ? (
        <DashboardSkeleton cards={skeletonCards} />
      ) : (
        <Figures data={shown} dimmed={isPlaceholderData} summary={summary} details={details} />
      )}
    </Box>
  );
}

// Memoised so that the urgent render of a new answer (still showing the previous figures)
// does not draw them again; only the deferred render with the new answer does.
const Figures = memo(function Figures({
  data,
  dimmed,
  summary,
  details,
}: {
  data: DashboardMetrics;
  dimmed: boolean;
  summary: (m: DashboardMetrics) => ReactNode;
  details: (m: DashboardMetrics) => ReactNode;
}) {
  return (
    <Box sx={{ opacity: dimmed ? 0.6 : 1 }}>
      {summary(data)}
      {data.generations === 0 ? <EmptyState /> : details(data)}
    </Box>
  );
});

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useDataProvider } from 'react-admin';
import type { CreditDeskDataProvider } from '@/providers/dataProvider';
import type { DashboardMetrics } from '@/providers/rpcTypes';
import type { DateRange } from './range';
import { dailyByBreakdown, type StackedSeries } from './series';

const isClientError = (error: unknown) => {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500;
};

/**
 * dashboard_metrics for a range. The previous answer stays on screen while a new range loads
 * (placeholderData), so changing the range dims the page instead of blanking it.
 */
export function useDashboardMetrics(range: Pick<DateRange, 'from' | 'to' | 'provider'>) {
  const dataProvider = useDataProvider<CreditDeskDataProvider>();
  return useQuery({
    queryKey: ['dashboard_metrics', range.from, range.to, range.provider ?? null],
    queryFn: () =>
      dataProvider.dashboardMetrics({ from: range.from, to: range.to, provider: range.provider }),
    placeholderData: keepPreviousData,
    // A 4xx (bad range, not staff) will not heal by retrying.
    retry: (count, error) => count < 2 && !isClientError(error),
    staleTime: 60_000,
  });
}

/**
 * The drill-down of a cost chart: one provider's daily series per model, fetched only while
 * a provider is chosen (dashboard_metrics leaves the per-model series out). `null` provider:
 * nothing is fetched and `data` stays undefined.
 */
export function useModelSeries(range: Pick<DateRange, 'from' | 'to'>, provider: string | null) {
  const dataProvider = useDataProvider<CreditDeskDataProvider>();
  return useQuery({
    queryKey: ['dashboard_metrics', 'models_of', range.from, range.to, provider],
    queryFn: () =>
      dataProvider.dashboardModelSeries({ from: range.from, to: range.to, provider: provider! }),
    enabled: provider !== null,
    retry: (count, error) => count < 2 && !isClientError(error),
    staleTime: 60_000,
  });
}

/**
 * What a cost chart draws: by provider, or — when the page is filtered to one provider or the
 * user drilled into one — that provider's models, fetched for the chart. `series` is null
 * while the models load (or failed: `error`); `providers` are the ones to drill into.
 */
export function useCostSeries(
  m: DashboardMetrics,
  drill: string | null,
): {
  provider: string | null;
  providers: string[];
  series: StackedSeries | null;
  error: unknown;
} {
  // With the page filtered to one provider there is nothing to choose: its models.
  const provider = m.provider ?? drill;
  const models = useModelSeries(m, provider);
  const providers = [...new Set(m.by_provider_model.map((r) => r.provider))].sort();
  if (!provider) return { provider, providers, series: dailyByBreakdown(m), error: null };
  return {
    provider,
    providers,
    series: models.data ? dailyByBreakdown(m, { models: models.data }) : null,
    error: models.error,
  };
}

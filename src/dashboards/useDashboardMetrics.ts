import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useDataProvider } from 'react-admin';
import type { CreditDeskDataProvider } from '@/providers/dataProvider';
import type { DateRange } from './range';

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

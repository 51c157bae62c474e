import { lazy, Suspense } from 'react';
import { KpiCards } from './KpiCards';
import { MetricsPage } from './MetricsPage';
import { ProviderTable } from './ProviderTable';
import { ChartSkeleton, Section } from './states';

const DashboardCharts = lazy(() => import('./DashboardCharts'));

/** Home page for every staff role: the range's figures, breakdown and daily charts. */
export default function Dashboard() {
  return (
    <MetricsPage
      title="Dashboard"
      summary={(m) => <KpiCards metrics={m} />}
      details={(m) => (
        <>
          <Section title="Providers and models">
            <ProviderTable rows={m.by_provider_model} />
          </Section>
          <Suspense fallback={<ChartSkeleton />}>
            <DashboardCharts metrics={m} />
          </Suspense>
        </>
      )}
    />
  );
}

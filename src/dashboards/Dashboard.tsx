import { lazy, Suspense } from 'react';
import { KpiCards } from './KpiCards';
import { MetricsPage } from './MetricsPage';
import { ProviderTable } from './ProviderTable';
import { ChartSkeleton, Section } from './states';
import { WhenVisible } from './WhenVisible';

const DashboardCharts = lazy(() => import('./DashboardCharts'));
// A chart's card: title, chart and padding; what the page reserves before one is drawn.
const CHART_SECTION_HEIGHT = 340;

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
          {/* recharts and the charts load when the first chart nears the viewport. */}
          <WhenVisible height={CHART_SECTION_HEIGHT}>
            <Suspense fallback={<ChartSkeleton />}>
              <DashboardCharts metrics={m} />
            </Suspense>
          </WhenVisible>
        </>
      )}
    />
  );
}

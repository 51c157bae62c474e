// The dashboards are loaded on demand: App.tsx imports these wrappers statically, while the
// pages and recharts arrive in their own chunks after the first screen has drawn.
import { lazy, Suspense } from 'react';
import { DashboardSkeleton } from './states';
import { dashboardPageLoads } from './pageLoads';

const LazyDashboard = lazy(dashboardPageLoads['/']);
const LazySpendPage = lazy(dashboardPageLoads['/spend']);
const LazyMarginPage = lazy(dashboardPageLoads['/margin']);

/** Home page (`<Admin dashboard={Dashboard}>`) for every staff role. */
export function Dashboard() {
  return (
    <Suspense fallback={<DashboardSkeleton />}>
      <LazyDashboard />
    </Suspense>
  );
}

/** Finance's provider spend page (a custom route, e.g. /spend). */
export function SpendPage() {
  return (
    <Suspense fallback={<DashboardSkeleton cards={4} />}>
      <LazySpendPage />
    </Suspense>
  );
}

/** Finance's margin page (a custom route, /margin): revenue, cost and margin. */
export function MarginPage() {
  return (
    <Suspense fallback={<DashboardSkeleton cards={6} />}>
      <LazyMarginPage />
    </Suspense>
  );
}

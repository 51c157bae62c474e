import { lazy, Suspense, useState, type ComponentProps, type ReactElement } from 'react';
import { QueryClient } from '@tanstack/react-query';
import { Admin, CustomRoutes, Loading, Resource, type ResourceProps } from 'react-admin';
import { Route } from 'react-router-dom';
import { ForgotPasswordPage } from 'ra-supabase';
import { lazyDataProvider } from '@/providers/lazyDataProvider';
import { authProvider } from '@/providers/authProvider';
import { i18nProvider } from '@/providers/i18nProvider';
import { darkTheme, lightTheme } from '@/layout/themes';
import { LoginPage } from '@/layout/LoginPage';
import { RestrictedPage } from '@/layout/RestrictedPage';
import { SetPasswordRoute } from '@/auth/SetPasswordRoute';
import { CHANGE_PASSWORD_PATH, SET_PASSWORD_PATH } from '@/auth/paths';
import { isStaff, type Role } from '@/layout/permissions';
import { landingPageLoad } from '@/layout/landingPage';
import {
  canEdit,
  canOpen,
  screenPath,
  screens,
  screensFor,
  type PageScreen,
  type ResourceScreen,
} from '@/layout/screens';
// Already lazy inside: the charts load in their own chunk after the first screen.
import { Dashboard, dashboardPageLoads, MarginPage, SpendPage } from '@/dashboards';

// The first screen is the sign-in page; nothing behind it is loaded before it (issue 7: the
// initial JavaScript must stay below a bare react-admin app's). The layout and every
// resource module (its list, show, edit pages and dialogs) arrive in their own chunks once
// someone has signed in, each resource in parallel with the others.
const loadLayout = () => import('@/layout/Layout');
const LazyLayout = lazy(() => loadLayout().then((m) => ({ default: m.Layout })));

function Layout(props: ComponentProps<typeof LazyLayout>) {
  return (
    <Suspense fallback={<Loading />}>
      <LazyLayout {...props} />
    </Suspense>
  );
}

// One module per resource, each exporting one default object spread into <Resource>.
const resourceModules: Record<ResourceScreen['name'], () => Promise<{ default: ResourceModule }>> =
  {
    customers: () => import('@/resources/customers'),
    generations: () => import('@/resources/generations'),
    feedback: () => import('@/resources/feedback'),
    credit_transactions: () => import('@/resources/credit_transactions'),
    admin_audit: () => import('@/resources/admin_audit'),
    generation_types: () => import('@/resources/generation_types'),
    runtime_config: () => import('@/resources/runtime_config'),
    app_config: () => import('@/resources/app_config'),
    staff: () => import('@/resources/staff'),
    admin_sessions: () => import('@/resources/admin_sessions'),
  };
type ResourceModule = Omit<ResourceProps, 'name'>;

const loadDatabaseHealthPage = () => import('@/resources/database_health');
const LazyDatabaseHealthPage = lazy(loadDatabaseHealthPage);
const pageLoads = { ...dashboardPageLoads, '/database-health': loadDatabaseHealthPage };
const LazyChangePasswordPage = lazy(() =>
  import('@/auth/ChangePasswordPage').then((m) => ({ default: m.ChangePasswordPage })),
);
const pages: Record<PageScreen['name'], ReactElement> = {
  spend: <SpendPage />,
  margin: <MarginPage />,
  'database-health': (
    <Suspense fallback={<Loading />}>
      <LazyDatabaseHealthPage />
    </Suspense>
  ),
};

// Only the screens a role may open are registered (screens.ts), so a screen the role cannot
// use has no route at all: on top of the database's refusal. react-admin waits for the
// promise (its children function may be async) before routing.
async function resourcesFor(role: Role) {
  if (!isStaff(role)) {
    // The Layout answers a non-staff account with the no-access page; this route only keeps
    // react-admin from treating the admin as empty.
    return (
      <CustomRoutes>
        <Route path="/no-access" element={null} />
      </CustomRoutes>
    );
  }
  const open = screensFor(role);
  const layout = loadLayout();
  const resources = await Promise.all(
    open
      .filter((screen): screen is ResourceScreen => screen.kind === 'resource')
      .map(async (screen) => ({
        screen,
        resource: (await resourceModules[screen.name]()).default,
      })),
  );
  // The page the visit opens on arrives with the resources and the layout, so the first
  // signed-in render draws the layout and the page together. Loaded only when rendered, each
  // showed its Suspense fallback first and was revealed after it (React holds a shown fallback
  // for 300 ms): on a throttled phone the page's first paint came 0.6 s after the layout's
  // (bench/lighthouse/profile.mjs, bench/README.md). Only the dashboard and the pages this
  // role may open (another's shows RestrictedPage).
  const openPages = Object.fromEntries(
    Object.entries(pageLoads).filter(
      ([path]) => path === '/' || open.some((screen) => screenPath(screen) === path),
    ),
  );
  const byName = Object.fromEntries(
    resources.map(({ screen, resource }) => [screen.name, resource]),
  );
  await Promise.all([landingPageLoad(window.location.hash, byName, openPages)?.(), layout]);
  return (
    <>
      {resources.map(({ screen, resource }) => (
        <Resource
          key={screen.name}
          name={screen.name}
          {...resource}
          options={{ label: screen.label }}
          edit={canEdit(role, screen) ? resource.edit : undefined}
        />
      ))}
      <CustomRoutes>
        {open
          .filter((screen): screen is PageScreen => screen.kind === 'page')
          .map((screen) => (
            <Route key={screen.name} path={screenPath(screen)} element={pages[screen.name]} />
          ))}
        {/* A screen this role may not open says who may, instead of "Not Found". */}
        {screens
          .filter((screen) => !canOpen(role, screen))
          .map((screen) => (
            <Route
              key={screen.name}
              path={`${screenPath(screen)}/*`}
              element={<RestrictedPage screen={screen} role={role} />}
            />
          ))}
        <Route
          path={CHANGE_PASSWORD_PATH}
          element={
            <Suspense fallback={<Loading />}>
              <LazyChangePasswordPage />
            </Suspense>
          }
        />
      </CustomRoutes>
    </>
  );
}

// Saves are sent even when the browser says it is offline. react-query would otherwise hold
// them, silently, until the connection returns (a greyed-out button, then a late write);
// sent, they fail at once with the data provider's "nothing was saved, try again".
const newQueryClient = () =>
  new QueryClient({ defaultOptions: { mutations: { networkMode: 'always' } } });

export function App() {
  const [queryClient] = useState(newQueryClient);
  return (
    <Admin
      queryClient={queryClient}
      dataProvider={lazyDataProvider}
      authProvider={authProvider}
      i18nProvider={i18nProvider}
      loginPage={LoginPage}
      layout={Layout}
      theme={lightTheme}
      darkTheme={darkTheme}
      title="CreditDesk"
      dashboard={Dashboard}
      requireAuth
      // A back office does not phone home: no call to marmelab's telemetry server.
      disableTelemetry
    >
      {/* Reachable signed out: the links in password-reset and invite emails land here. */}
      <CustomRoutes noLayout>
        <Route path={SET_PASSWORD_PATH} element={<SetPasswordRoute />} />
        <Route path={ForgotPasswordPage.path} element={<ForgotPasswordPage />} />
      </CustomRoutes>
      {(permissions: Role) => resourcesFor(permissions)}
    </Admin>
  );
}

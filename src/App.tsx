import { lazy, Suspense, type ComponentProps } from 'react';
import { Admin, CustomRoutes, Loading, Resource } from 'react-admin';
import { Route } from 'react-router-dom';
import { ForgotPasswordPage, SetPasswordPage } from 'ra-supabase';
import { dataProvider } from '@/providers/dataProvider';
import { authProvider } from '@/providers/authProvider';
import { darkTheme, lightTheme } from '@/layout/themes';
import { LoginPage } from '@/layout/LoginPage';
import { canWrite, isAdmin, isStaff, type Role } from '@/layout/permissions';
// Already lazy inside: the charts load in their own chunk after the first screen.
import { Dashboard, MarginPage, SpendPage } from '@/dashboards';

// The first screen is the sign-in page; nothing behind it is loaded before it (issue 7: the
// initial JavaScript must stay below a bare react-admin app's). The layout and every
// resource module (its list, show, edit pages and dialogs) arrive in their own chunks once
// someone has signed in, each resource in parallel with the others.
const LazyLayout = lazy(() => import('@/layout/Layout').then((m) => ({ default: m.Layout })));

function Layout(props: ComponentProps<typeof LazyLayout>) {
  return (
    <Suspense fallback={<Loading />}>
      <LazyLayout {...props} />
    </Suspense>
  );
}

const resourceModules = {
  customers: () => import('@/resources/customers'),
  generations: () => import('@/resources/generations'),
  feedback: () => import('@/resources/feedback'),
  creditTransactions: () => import('@/resources/credit_transactions'),
  adminAudit: () => import('@/resources/admin_audit'),
  generationTypes: () => import('@/resources/generation_types'),
  runtimeConfig: () => import('@/resources/runtime_config'),
  appConfig: () => import('@/resources/app_config'),
  staff: () => import('@/resources/staff'),
  adminSessions: () => import('@/resources/admin_sessions'),
};
type Resources = {
  [K in keyof typeof resourceModules]: Awaited<ReturnType<(typeof resourceModules)[K]>>['default'];
};

async function loadResources(): Promise<Resources> {
  const loaded = await Promise.all(
    Object.entries(resourceModules).map(async ([key, load]) => [key, (await load()).default]),
  );
  return Object.fromEntries(loaded) as Resources;
}

// Resources are registered per role, so a screen the role cannot use has no route at all
// (support opening /runtime_config gets "not found"): on top of the database's refusal.
// react-admin waits for the promise (its children function may be async) before routing.
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
  const writer = canWrite(role);
  const [
    {
      customers,
      generations,
      feedback,
      creditTransactions,
      adminAudit,
      generationTypes,
      runtimeConfig,
      appConfig,
      staff,
      adminSessions,
    },
    { DatabaseHealthPage, databaseHealthRoute },
  ] = await Promise.all([loadResources(), import('@/resources/database_health')]);
  return (
    <>
      <Resource name="customers" {...customers} edit={writer ? customers.edit : undefined} />
      <Resource name="generations" {...generations} />
      <Resource name="feedback" {...feedback} edit={writer ? feedback.edit : undefined} />
      <Resource name="credit_transactions" {...creditTransactions} />
      <Resource name="admin_audit" {...adminAudit} />
      {role !== 'support' && (
        <CustomRoutes>
          <Route path="/spend" element={<SpendPage />} />
          <Route path="/margin" element={<MarginPage />} />
        </CustomRoutes>
      )}
      {isAdmin(role) && (
        <>
          <Resource name="generation_types" {...generationTypes} />
          <Resource name="runtime_config" {...runtimeConfig} />
          <Resource name="app_config" {...appConfig} />
          <Resource name="staff" {...staff} />
          <Resource name="admin_sessions" {...adminSessions} />
          <CustomRoutes>
            <Route path={databaseHealthRoute} element={<DatabaseHealthPage />} />
          </CustomRoutes>
        </>
      )}
    </>
  );
}

export function App() {
  return (
    <Admin
      dataProvider={dataProvider}
      authProvider={authProvider}
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
        <Route path={SetPasswordPage.path} element={<SetPasswordPage />} />
        <Route path={ForgotPasswordPage.path} element={<ForgotPasswordPage />} />
      </CustomRoutes>
      {(permissions: Role) => resourcesFor(permissions)}
    </Admin>
  );
}

import { Admin, CustomRoutes, Resource } from 'react-admin';
import { Route } from 'react-router-dom';
import { ForgotPasswordPage, LoginPage, SetPasswordPage } from 'ra-supabase';
import { dataProvider } from '@/providers/dataProvider';
import { authProvider } from '@/providers/authProvider';
import { Layout } from '@/layout/Layout';
import { darkTheme, lightTheme } from '@/layout/themes';
import { canWrite, isAdmin, isStaff, type Role } from '@/layout/permissions';
import customers from '@/resources/customers';
import generations from '@/resources/generations';
import feedback from '@/resources/feedback';
import creditTransactions from '@/resources/credit_transactions';
import adminAudit from '@/resources/admin_audit';
import adminSessions from '@/resources/admin_sessions';
import generationTypes from '@/resources/generation_types';
import runtimeConfig from '@/resources/runtime_config';
import appConfig from '@/resources/app_config';
import staff from '@/resources/staff';
import { DatabaseHealthPage, databaseHealthRoute } from '@/resources/database_health';
// Already lazy inside: the charts load in their own chunk after the first screen.
import { Dashboard, SpendPage } from '@/dashboards';

// Resources are registered per role, so a screen the role cannot use has no route at all
// (support opening /runtime_config gets "not found"): on top of the database's refusal.
function resourcesFor(role: Role) {
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

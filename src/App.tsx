import { Admin, CustomRoutes, ListGuesser, Resource } from 'react-admin';
import { Route } from 'react-router-dom';
import { ForgotPasswordPage, LoginPage, SetPasswordPage } from 'ra-supabase';
import { dataProvider } from '@/providers/dataProvider';
import { authProvider } from '@/providers/authProvider';
import { Layout } from '@/layout/Layout';
import { darkTheme, lightTheme } from '@/layout/themes';
import { isAdmin, isStaff, type Role } from '@/layout/permissions';

// Resources are registered per role, so a route the role cannot use does not exist for it
// (support opening /runtime_config gets "not found"), on top of the database's refusal.
function resourcesFor(role: Role) {
  if (!isStaff(role)) {
    // The Layout answers a non-staff account with the no-access page; one custom route keeps
    // react-admin from treating the admin as empty.
    return (
      <CustomRoutes>
        <Route path="/no-access" element={null} />
      </CustomRoutes>
    );
  }
  return (
    <>
      <Resource name="customers" list={ListGuesser} />
      <Resource name="generations" list={ListGuesser} />
      <Resource name="feedback" list={ListGuesser} />
      <Resource name="credit_transactions" list={ListGuesser} />
      {isAdmin(role) && null}
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
      requireAuth
    >
      <CustomRoutes noLayout>
        <Route path={SetPasswordPage.path} element={<SetPasswordPage />} />
        <Route path={ForgotPasswordPage.path} element={<ForgotPasswordPage />} />
      </CustomRoutes>
      {(permissions: Role) => resourcesFor(permissions)}
    </Admin>
  );
}

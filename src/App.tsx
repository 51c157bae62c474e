import { Admin, ListGuesser, Resource } from 'react-admin';
import { LoginPage } from 'ra-supabase';
import { dataProvider } from '@/providers/dataProvider';
import { authProvider } from '@/providers/authProvider';

export function App() {
  return (
    <Admin dataProvider={dataProvider} authProvider={authProvider} loginPage={LoginPage}>
      <Resource name="customers" list={ListGuesser} />
    </Admin>
  );
}

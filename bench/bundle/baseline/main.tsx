// The yardstick of issue 7: the bare react-admin 5 + ra-supabase app, one ListGuesser
// resource. bench:bundle builds it with the same Vite next to CreditDesk.
import { createRoot } from 'react-dom/client';
import { Admin, ListGuesser, Resource } from 'react-admin';
import { createClient } from '@supabase/supabase-js';
import { LoginPage, supabaseAuthProvider, supabaseDataProvider } from 'ra-supabase';

const instanceUrl = import.meta.env.VITE_SUPABASE_URL;
const apiKey = import.meta.env.VITE_SUPABASE_ANON_KEY;
const supabaseClient = createClient(instanceUrl, apiKey);
const dataProvider = supabaseDataProvider({ instanceUrl, apiKey, supabaseClient });
const authProvider = supabaseAuthProvider(supabaseClient, {});

createRoot(document.getElementById('root')!).render(
  <Admin dataProvider={dataProvider} authProvider={authProvider} loginPage={LoginPage}>
    <Resource name="customers" list={ListGuesser} />
  </Admin>,
);

import { supabaseAuthProvider } from 'ra-supabase';
import type { AuthProvider } from 'react-admin';
import { supabaseClient, type CreditDeskSupabaseClient } from './supabaseClient';
import type { CreditDeskDataProvider } from './dataProvider';
import { lazyDataProvider } from './lazyDataProvider';

// Permissions are the staff role from whoami(); null means signed in but not staff, which
// the app answers with a "no access" page. The database refuses such a user everything anyway.
// The admin session is recorded by the layout's heartbeat, which starts on the first screen
// after sign-in (and after a reload), so sign-in itself makes no extra call.
export function createAuthProvider(
  client: CreditDeskSupabaseClient = supabaseClient,
  dataProvider: CreditDeskDataProvider = lazyDataProvider,
): AuthProvider {
  const base = supabaseAuthProvider(client as never, {
    getPermissions: async () => (await dataProvider.whoami()).role,
    getIdentity: async (user) => ({
      id: user.id,
      fullName: (user.user_metadata?.full_name as string | undefined) ?? user.email,
      email: user.email,
    }),
  });
  return {
    ...base,
    // ra-supabase signs out on 403 too, but PostgREST answers 403 when the database refuses
    // one action (RLS, a role check in an RPC): that is a message to show, not a dead session.
    async checkError(error) {
      if (error?.status === 403) return;
      return base.checkError(error);
    },
    async logout(params) {
      await dataProvider.endAdminSession().catch(() => undefined);
      return base.logout(params);
    },
  };
}

export const authProvider = createAuthProvider();

import { supabaseAuthProvider } from 'ra-supabase';
import type { AuthProvider } from 'react-admin';
import { supabaseClient, type CreditDeskSupabaseClient } from './supabaseClient';
import type { CreditDeskDataProvider } from './dataProvider';
import { lazyDataProvider } from './lazyDataProvider';
import { isNetworkError } from './serverError';
import type { StaffRole } from './rpcTypes';

/** Sign-in and password calls that never reached the server: say so, not "Failed to fetch". */
export const AUTH_NETWORK_MESSAGE =
  'Could not reach the server, so nothing was changed. Check the connection and try again.';

async function explained<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw isNetworkError(error) ? new Error(AUTH_NETWORK_MESSAGE) : error;
  }
}

// Where ra-supabase asks for no permissions: the links of password-reset and invite emails.
const onPasswordPage = () =>
  ['/set-password', '/forgot-password'].some(
    (page) => window.location.pathname === page || window.location.hash.includes(`#${page}`),
  );

// How long one whoami() answer serves every permissions query of the same session. react-admin
// asks under two keys on the way to the dashboard (the resources', then the dashboard route's,
// ~1 s apart on a phone) and each ask was a round trip the first screen waited for; after this
// the next ask (react-query's refetch, after 5 min) calls whoami() again.
export const ROLE_REUSE_MS = 30_000;

// Permissions are the staff role from whoami(); null means signed in but not staff, which
// the app answers with a "no access" page. The database refuses such a user everything anyway.
// The admin session is recorded by the layout's heartbeat, which starts on the first screen
// after sign-in (and after a reload), so sign-in itself makes no extra call.
export function createAuthProvider(
  client: CreditDeskSupabaseClient = supabaseClient,
  dataProvider: CreditDeskDataProvider = lazyDataProvider,
) {
  let asked: { token: string; at: number; role: Promise<StaffRole | null> } | undefined;
  const base = supabaseAuthProvider(client as never, {});
  return {
    ...base,
    /**
     * The name in the user menu, from the session's user: ra-supabase asks Auth for the user
     * (getUser(), a round trip with its CORS preflight on every page load, beside the first
     * screen's own requests). The menu only shows it; nothing is decided on it, and the
     * session's copy is renewed with each token refresh.
     */
    async getIdentity() {
      const { data } = await client.auth.getSession();
      const user = data.session?.user;
      if (!user) throw new Error('Not signed in');
      return {
        id: user.id,
        fullName: (user.user_metadata?.full_name as string | undefined) ?? user.email,
        email: user.email,
      };
    },
    /**
     * The session's role. Not through ra-supabase's getPermissions, which first asks Auth for
     * the user (getUser(), one more round trip before the first screen) and then passes it to
     * whoami(), which needs only the session's token: the database checks that token itself,
     * and an expired or revoked one is a 401 that checkError turns into a sign-out.
     */
    async getPermissions() {
      if (onPasswordPage()) return undefined;
      const { data } = await client.auth.getSession();
      const token = data.session?.access_token;
      if (!token) return undefined;
      if (asked?.token !== token || Date.now() - asked.at > ROLE_REUSE_MS) {
        const role = dataProvider.whoami().then((me) => me.role);
        asked = { token, at: Date.now(), role };
        // A failed ask is not reused: the next query asks again.
        role.catch(() => {
          if (asked?.role === role) asked = undefined;
        });
      }
      return asked.role;
    },
    login: (params) => explained(() => base.login(params)),
    setPassword: (params: Parameters<typeof base.setPassword>[0]) =>
      explained(() => base.setPassword(params)),
    resetPassword: (params: Parameters<typeof base.resetPassword>[0]) =>
      explained(() => base.resetPassword(params)),
    /**
     * The signed-in user's new password, by Supabase Auth's rules (its minimum length, and
     * different from the current one). GoTrue then ends the user's other sessions.
     */
    changePassword: (password: string) =>
      explained(async () => {
        const { error } = await client.auth.updateUser({ password });
        if (error) throw error;
      }),
    // ra-supabase signs out on 403 too, but PostgREST answers 403 when the database refuses
    // one action (RLS, a role check in an RPC): that is a message to show, not a dead session.
    async checkError(error) {
      if (error?.status === 403) return;
      return base.checkError(error);
    },
    async logout(params) {
      // react-admin also calls logout on the sign-in page when no one is signed in: with no
      // session there is no admin session to end, and the data provider's chunk stays unloaded.
      const { data } = await client.auth.getSession();
      if (data.session) await dataProvider.endAdminSession().catch(() => undefined);
      return base.logout(params);
    },
  } satisfies AuthProvider;
}

export type CreditDeskAuthProvider = ReturnType<typeof createAuthProvider>;

export const authProvider = createAuthProvider();

import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp, requestsTo, rpc, rpcCalls, table } from '../../test/support/ui';
import { metricsFixture } from '../dashboards/fixtures';

describe('app shell', () => {
  it('shows the no-access page to a signed-in account that is not staff', async () => {
    await renderApp({ role: null, initialPath: '/customers' });
    expect(await screen.findByText(/no access to creditdesk/i)).toBeInTheDocument();
    expect(await screen.findByText(/customer@creditdesk.dev is/i)).toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: /customers/i })).not.toBeInTheDocument();
    expect(requestsTo('customers')).toHaveLength(0);
  });

  it('records the admin session while a staff member uses the app', async () => {
    await renderApp({
      role: 'support',
      initialPath: '/customers',
      handlers: [table('customers', [])],
    });
    await waitFor(() => expect(rpcCalls('touch_admin_session').length).toBeGreaterThan(0));
  });

  it('asks for the role once on the way to the dashboard, without asking Auth first', async () => {
    await renderApp({
      role: 'admin',
      initialPath: '/',
      handlers: [rpc('dashboard_metrics', metricsFixture())],
    });
    await screen.findByRole('group', { name: 'Generations' }, { timeout: 10_000 });
    // react-admin asks for permissions twice (the resources, then the dashboard route); each
    // ask used to be a GoTrue /user round trip followed by whoami, both before the dashboard.
    expect(rpcCalls('whoami')).toHaveLength(1);
    // Nor does the user menu's name (getIdentity): it is the session's user.
    expect(requestsTo('user', 'GET')).toHaveLength(0);
    const { authProvider } = await import('@/providers/authProvider');
    expect(await authProvider.getIdentity()).toMatchObject({
      fullName: 'admin@creditdesk.dev',
      email: 'admin@creditdesk.dev',
    });
    expect(requestsTo('user', 'GET')).toHaveLength(0);
  });

  it('shows the sign-in error from Supabase Auth', async () => {
    await renderApp({ signedIn: false, initialPath: '/' });
    await userEvent.type(await screen.findByLabelText(/email/i), 'admin@creditdesk.dev');
    await userEvent.type(
      screen.getByLabelText(/^password/i, { selector: 'input' }),
      'wrong-password',
    );
    await userEvent.click(screen.getByRole('button', { name: /sign in/i }));
    expect(await screen.findByText(/invalid login credentials/i)).toBeInTheDocument();
    expect(requestsTo('token', 'POST')).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { RequestHandler } from 'msw';
import { Resource } from 'react-admin';
import {
  pgError,
  renderResource,
  requestsTo,
  rpc,
  rpcCalls,
  table,
  type HarnessRole,
  type Row,
} from '../../../test/support/ui';
import staff from '.';

const admin: Row = {
  user_id: '00000000-0000-4000-8000-000000000001',
  email: 'admin@creditdesk.dev',
  role: 'admin',
  disabled: false,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  created_by: null,
};
const support: Row = {
  ...admin,
  user_id: '00000000-0000-4000-8000-000000000002',
  email: 'support@creditdesk.dev',
  role: 'support',
};

const LAST_ADMIN = 'This would leave CreditDesk without an enabled admin.';
const LAST_ADMIN_HINT = 'Make another staff member admin first, then change this one.';

function renderStaff(handlers: RequestHandler[] = [], role: HarnessRole = 'admin') {
  return renderResource(<Resource name="staff" {...staff} />, {
    role,
    initialPath: '/staff',
    handlers: [table('staff', [admin, support]), ...handlers],
  });
}

async function openAddDialog(email: string, role: RegExp, reason = 'New hire') {
  await userEvent.click(await screen.findByRole('button', { name: /add staff member/i }));
  const dialog = await screen.findByRole('dialog', { name: 'Add staff member' });
  await userEvent.type(within(dialog).getByLabelText(/email/i), email);
  await userEvent.click(within(dialog).getByRole('combobox', { name: /role/i }));
  await userEvent.click(await screen.findByRole('option', { name: role }));
  if (reason) await userEvent.type(within(dialog).getByLabelText(/reason/i), reason);
  await userEvent.click(within(dialog).getByRole('button', { name: /^add$/i }));
  return dialog;
}

describe('staff', () => {
  it('grants a role to an existing account through add_staff_member', async () => {
    await renderStaff([
      rpc('add_staff_member', { user_id: 'u-9', email: 'new@creditdesk.dev', role: 'finance' }),
    ]);
    await openAddDialog('new@creditdesk.dev', /finance/i);

    expect(await screen.findByText('new@creditdesk.dev is now finance.')).toBeInTheDocument();
    expect(rpcCalls('add_staff_member')).toEqual([
      { p_email: 'new@creditdesk.dev', p_role: 'finance', p_reason: 'New hire' },
    ]);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    // The list is read again so the new member appears.
    await waitFor(() => expect(requestsTo('staff', 'GET').length).toBeGreaterThan(1));
  });

  it('asks a reason before granting a role; no reason, no call', async () => {
    await renderStaff();
    const dialog = await openAddDialog('new@creditdesk.dev', /finance/i, '');
    expect(await within(dialog).findByText('A reason is required.')).toBeInTheDocument();
    expect(rpcCalls('add_staff_member')).toEqual([]);
  });

  it('removes a staff member only after a reason, through remove_staff_member', async () => {
    await renderStaff([
      rpc('remove_staff_member', {
        user_id: support.user_id,
        email: support.email,
        role: 'support',
      }),
    ]);
    const row = (await screen.findByText('support@creditdesk.dev')).closest('tr')!;
    await userEvent.click(within(row).getByRole('button', { name: 'Remove' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove support@creditdesk.dev?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(await within(dialog).findByText('A reason is required.')).toBeInTheDocument();
    expect(rpcCalls('remove_staff_member')).toEqual([]);

    await userEvent.type(within(dialog).getByLabelText(/reason/i), ' Left the team ');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(
      await screen.findByText('support@creditdesk.dev is no longer a staff member.'),
    ).toBeInTheDocument();
    expect(rpcCalls('remove_staff_member')).toEqual([
      { p_user_id: support.user_id, p_reason: 'Left the team' },
    ]);
    expect(requestsTo('staff', 'DELETE')).toEqual([]);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('shows the last-admin refusal of a removal in the dialog', async () => {
    await renderStaff([
      rpc('remove_staff_member', pgError(409, LAST_ADMIN, LAST_ADMIN_HINT, 'PT409')),
    ]);
    const row = (await screen.findByText('admin@creditdesk.dev')).closest('tr')!;
    await userEvent.click(within(row).getByRole('button', { name: 'Remove' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove admin@creditdesk.dev?' });
    await userEvent.type(within(dialog).getByLabelText(/reason/i), 'step down');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(await within(dialog).findByText(`${LAST_ADMIN} ${LAST_ADMIN_HINT}`)).toBeInTheDocument();
  });

  it('shows the database message as is when no account has that email', async () => {
    const message =
      'No account with the email ghost@creditdesk.dev. Invite the person through Supabase Auth first, then grant the role.';
    await renderStaff([rpc('add_staff_member', pgError(404, message, null, 'PT404'))]);
    const dialog = await openAddDialog('ghost@creditdesk.dev', /support/i);

    expect(await within(dialog).findByText(message)).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('asks a reason before disabling, shows the refusal for the last admin in the dialog, keeps the row', async () => {
    await renderStaff([
      rpc('set_staff_disabled', pgError(409, LAST_ADMIN, LAST_ADMIN_HINT, 'PT409')),
    ]);
    const row = (await screen.findByText('admin@creditdesk.dev')).closest('tr')!;
    await userEvent.click(within(row).getByRole('button', { name: 'Disable' }));
    const dialog = await screen.findByRole('dialog', { name: 'Disable admin@creditdesk.dev?' });
    // No reason, no call: the dialog says what is missing.
    await userEvent.click(within(dialog).getByRole('button', { name: 'Disable' }));
    expect(await within(dialog).findByText('A reason is required.')).toBeInTheDocument();
    expect(rpcCalls('set_staff_disabled')).toEqual([]);

    await userEvent.type(within(dialog).getByLabelText(/reason/i), '  Ticket 7 ');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Disable' }));
    expect(await within(dialog).findByText(`${LAST_ADMIN} ${LAST_ADMIN_HINT}`)).toBeInTheDocument();
    expect(rpcCalls('set_staff_disabled')).toEqual([
      { p_user_id: admin.user_id, p_disabled: true, p_reason: 'Ticket 7' },
    ]);
    expect(requestsTo('staff', 'PATCH')).toEqual([]);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(within(row).getByRole('button', { name: 'Disable' })).toBeInTheDocument();
  });

  it('changes a role only after a reason is confirmed, through set_staff_role', async () => {
    await renderStaff([
      rpc('set_staff_role', {
        user_id: support.user_id,
        email: support.email,
        role: 'finance',
        disabled: false,
      }),
    ]);
    await userEvent.click(await screen.findByRole('combobox', { name: /role of support@/i }));
    await userEvent.click(await screen.findByRole('option', { name: /finance/i }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Make support@creditdesk.dev Finance?',
    });
    // Choosing in the dropdown changed nothing yet.
    expect(rpcCalls('set_staff_role')).toEqual([]);
    await userEvent.type(within(dialog).getByLabelText(/reason/i), 'Moves to finance');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Change role' }));

    expect(await screen.findByText('support@creditdesk.dev is now finance.')).toBeInTheDocument();
    expect(rpcCalls('set_staff_role')).toEqual([
      { p_user_id: support.user_id, p_role: 'finance', p_reason: 'Moves to finance' },
    ]);
    expect(requestsTo('staff', 'PATCH')).toEqual([]);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('is an admin-only page', async () => {
    await renderStaff([], 'support');
    expect(await screen.findByText(/only admins can manage staff members/i)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /add staff member/i })).not.toBeInTheDocument();
    expect(requestsTo('staff', 'GET')).toHaveLength(0);
  });
});

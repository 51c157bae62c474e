import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { pgError, renderApp, requestsTo, rpc, rpcCalls, table } from '../../../test/support/ui';
import { customer } from './fixtures';

const ledger = [
  {
    id: 7,
    customer_id: 'pass-1',
    type: 'purchase',
    delta: 100,
    balance_after: 120,
    reason: 'Pack',
    source: 'shopify',
    created_at: '2026-01-09T10:00:00Z',
  },
];

function showHandlers(record = customer()) {
  return [table('customers', () => [record]), table('credit_transactions', ledger)];
}

async function openAdjustDialog() {
  await userEvent.click(await screen.findByRole('button', { name: /adjust credits/i }));
  return screen.findByRole('dialog');
}

describe('customer page', () => {
  it('shows profile, balance and the ledger section with its own paginated request', async () => {
    await renderApp({
      role: 'finance',
      initialPath: '/customers/pass-1/show',
      handlers: showHandlers(),
    });
    expect(await screen.findByTestId('customer-balance')).toHaveTextContent('120');
    expect(screen.getAllByText('Ann Lee').length).toBeGreaterThan(0);
    await userEvent.click(screen.getByRole('tab', { name: /ledger/i }));
    expect(await screen.findByText('Pack')).toBeInTheDocument();
    const query = requestsTo('credit_transactions')[0];
    expect(query.url.searchParams.get('customer_id')).toBe('eq.pass-1');
    expect(query.url.searchParams.get('limit')).toBe('10');
    // One customer's rows are few: counted exactly in the page request itself, one request.
    expect(requestsTo('credit_transactions').map((r) => r.headers.get('prefer'))).toEqual([
      'count=exact',
    ]);
  });

  it('offers finance no action that writes', async () => {
    await renderApp({
      role: 'finance',
      initialPath: '/customers/pass-1/show',
      handlers: showHandlers(),
    });
    await screen.findByTestId('customer-balance');
    expect(screen.queryByRole('button', { name: /adjust credits/i })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /disable/i })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /edit/i })).not.toBeInTheDocument();
  });

  it('adjusts credits: reason required, balance preview, one key across a retry, server message shown', async () => {
    let balance = 120;
    await renderApp({
      role: 'support',
      initialPath: '/customers/pass-1/show',
      handlers: [
        table('customers', () => [customer({ credits: balance })]),
        rpc('adjust_credits', (_body, call) => {
          if (call === 0) {
            return pgError(
              409,
              'The customer has 120 credits; a change of -200 would leave -80.',
              'Remove at most 120 credits.',
            );
          }
          balance = 70;
          return { transaction_id: 9, balance: 70, replayed: false };
        }),
      ],
    });
    const dialog = await openAdjustDialog();
    const change = within(dialog).getByLabelText(/change/i);
    await userEvent.type(change, '-50');
    expect(within(dialog).getByTestId('balance-after')).toHaveTextContent('Balance after: 70');

    await userEvent.click(within(dialog).getByRole('button', { name: 'Adjust' }));
    expect(within(dialog).getByText('A reason is required.')).toBeInTheDocument();
    expect(rpcCalls('adjust_credits')).toHaveLength(0);

    await userEvent.type(within(dialog).getByLabelText(/reason/i), 'Ticket 42');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Adjust' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'The customer has 120 credits; a change of -200 would leave -80. Remove at most 120 credits.',
    );

    await userEvent.click(within(dialog).getByRole('button', { name: 'Adjust' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const [first, retry] = rpcCalls('adjust_credits');
    expect(first).toMatchObject({ p_customer_id: 'pass-1', p_delta: -50, p_reason: 'Ticket 42' });
    expect(String(first.p_idempotency_key)).toMatch(/^[0-9a-f-]{36}$/);
    expect(retry.p_idempotency_key).toBe(first.p_idempotency_key);
    // The record is read again, so the page shows the new balance.
    await waitFor(() => expect(screen.getByTestId('customer-balance')).toHaveTextContent('70'));

    const again = await openAdjustDialog();
    await userEvent.type(within(again).getByLabelText(/change/i), '5');
    await userEvent.type(within(again).getByLabelText(/reason/i), 'Goodwill');
    await userEvent.click(within(again).getByRole('button', { name: 'Adjust' }));
    await waitFor(() => expect(rpcCalls('adjust_credits')).toHaveLength(3));
    expect(rpcCalls('adjust_credits')[2].p_idempotency_key).not.toBe(first.p_idempotency_key);
  });

  it('does not let the preview go below zero', async () => {
    await renderApp({
      role: 'admin',
      initialPath: '/customers/pass-1/show',
      handlers: showHandlers(),
    });
    const dialog = await openAdjustDialog();
    await userEvent.type(within(dialog).getByLabelText(/change/i), '-121');
    expect(within(dialog).getByTestId('balance-after')).toHaveTextContent('cannot go below 0');
    expect(within(dialog).getByRole('button', { name: 'Adjust' })).toBeDisabled();
  });

  it('disables and re-enables an account with a reason', async () => {
    let disabled = false;
    await renderApp({
      role: 'support',
      initialPath: '/customers/pass-1/show',
      handlers: [
        table('customers', () => [
          customer({ disabled, disabled_reason: disabled ? 'Chargeback' : null }),
        ]),
        rpc('set_customer_disabled', (body) => {
          disabled = Boolean(body.p_disabled);
          return { id: 'pass-1', disabled };
        }),
      ],
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Disable' }));
    let dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/reason/i), 'Chargeback');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Disable' }));
    expect(await screen.findByText(/this account is disabled: chargeback/i)).toBeInTheDocument();

    await userEvent.click(await screen.findByRole('button', { name: 'Enable' }));
    dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/reason/i), 'Resolved with bank');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Enable' }));
    await waitFor(() =>
      expect(screen.queryByText(/this account is disabled/i)).not.toBeInTheDocument(),
    );
    expect(rpcCalls('set_customer_disabled')).toEqual([
      { p_customer_id: 'pass-1', p_disabled: true, p_reason: 'Chargeback' },
      { p_customer_id: 'pass-1', p_disabled: false, p_reason: 'Resolved with bank' },
    ]);
  });
});

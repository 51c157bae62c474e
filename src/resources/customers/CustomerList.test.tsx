import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp, requestsTo, table } from '../../../test/support/ui';
import { customer } from './fixtures';

const rows = [
  customer(),
  customer({ id: 'pass-2', email: 'bob@example.com', display_name: 'Bob' }),
];

const lastListQuery = () => {
  const lists = requestsTo('customers', 'GET');
  return lists[lists.length - 1].url.searchParams;
};

describe('customer list', () => {
  it('lists customers by last activity, never-active last', async () => {
    await renderApp({
      role: 'support',
      initialPath: '/customers',
      handlers: [table('customers', rows)],
    });
    expect(await screen.findByText('bob@example.com')).toBeInTheDocument();
    expect(lastListQuery().get('order')).toBe('last_active.desc.nullslast');
    expect(requestsTo('customers')[0].headers.get('prefer')).toBe('count=exact');
  });

  it('searches email, name, pass id and Shopify id with one box', async () => {
    await renderApp({
      role: 'support',
      initialPath: '/customers',
      handlers: [table('customers', rows)],
    });
    await screen.findByText('ann@example.com');
    await userEvent.type(screen.getByPlaceholderText(/email, name, pass id/i), 'shop-77');
    await waitFor(() =>
      expect(lastListQuery().get('or')).toContain('shopify_customer_id.ilike.*shop-77*'),
    );
    const or = lastListQuery().get('or')!;
    for (const column of ['email', 'id', 'display_name', 'first_name', 'last_name']) {
      expect(or).toContain(`${column}.ilike.*shop-77*`);
    }
  });

  it('sends the filters as PostgREST operators', async () => {
    const filter = encodeURIComponent(
      JSON.stringify({
        disabled: true,
        has_credits: true,
        expiring_within_days: 14,
        'last_active@gte': '2026-01-01',
      }),
    );
    await renderApp({
      role: 'finance',
      initialPath: `/customers?filter=${filter}`,
      handlers: [table('customers', [customer({ disabled: true })])],
    });
    await screen.findByText('ann@example.com');
    const query = lastListQuery();
    expect(query.get('disabled')).toBe('eq.true');
    expect(query.get('credits')).toBe('gt.0');
    expect(query.get('last_active')).toBe('gte.2026-01-01');
    expect(query.get('and')).toMatch(/^\(expires_at\.gte\.[^,]+,expires_at\.lte\.[^,]+\)$/);
  });
});

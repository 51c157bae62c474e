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

  it('searches email, name, pass id and Shopify id with one box, through search_customers', async () => {
    await renderApp({
      role: 'support',
      initialPath: '/customers',
      handlers: [table('customers', rows), table('rpc/search_customers', [rows[1]])],
    });
    await screen.findByText('ann@example.com');
    await userEvent.type(screen.getByPlaceholderText(/email, name, pass id/i), 'shop-77 (x');
    // The database function matches every word across the fields, with the indexes RLS would
    // otherwise keep out of reach; PostgREST syntax in the box is dropped, not obeyed.
    const lastSearch = () => requestsTo('rpc/search_customers', 'GET').at(-1)?.url.searchParams;
    await waitFor(() => expect(lastSearch()?.get('p_q')).toBe('shop-77 x'));
    const query = lastSearch()!;
    expect(query.get('order')).toBe('last_active.desc.nullslast');
    expect(query.get('or')).toBeNull();
    expect(await screen.findByText('bob@example.com')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText('ann@example.com')).not.toBeInTheDocument());
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
    // A day in a filter is a UTC day (components/dates.ts): from its first instant.
    expect(query.get('last_active')).toBe('gte.2026-01-01T00:00:00.000Z');
    expect(query.get('and')).toMatch(/^\(expires_at\.gte\.[^,]+,expires_at\.lte\.[^,]+\)$/);
  });
});

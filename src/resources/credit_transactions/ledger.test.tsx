import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { renderApp, requestsTo, table } from '../../../test/support/ui';

const entries = [
  {
    id: 12,
    customer_id: 'pass-1',
    type: 'refund',
    delta: 4,
    balance_after: 24,
    reason: 'Refund of failed generation',
    source: 'manual',
    ref_type: 'generation',
    ref_id: 'gen-1',
    created_at: '2026-01-10T10:00:00Z',
  },
  {
    id: 11,
    customer_id: 'pass-1',
    type: 'spend',
    delta: -4,
    balance_after: 20,
    reason: null,
    source: 'system',
    ref_type: null,
    ref_id: null,
    created_at: '2026-01-10T09:00:00Z',
  },
];

// A full page of more refunds: only a full page leaves the total to the planner's estimate.
const moreRefunds = Array.from({ length: 60 }, (_, i) => ({
  ...entries[0],
  id: 1000 - i,
  delta: 1,
  balance_after: 30,
  reason: 'Goodwill',
  ref_type: null,
  ref_id: null,
}));

describe('credit ledger', () => {
  it('lists entries read-only, filtered, with links to the customer and the generation', async () => {
    const filter = encodeURIComponent(JSON.stringify({ type: 'refund' }));
    await renderApp({
      role: 'finance',
      initialPath: `/credit_transactions?filter=${filter}`,
      handlers: [
        table('credit_transactions', [...entries, ...moreRefunds], { total: 250000 }),
        table('customers', [{ id: 'pass-1', email: 'ann@example.com', display_name: 'Ann Lee' }]),
      ],
    });
    const link = await screen.findByRole('link', { name: 'generation gen-1' });
    expect(link).toHaveAttribute('href', '/generations/gen-1/show');
    // Name and email, so two customers of the same name are told apart.
    expect(
      await screen.findAllByRole('link', { name: /Ann Lee.*ann@example\.com/ }),
    ).not.toHaveLength(0);
    expect(screen.getByText('+4')).toBeInTheDocument();
    const request = requestsTo('credit_transactions')[0];
    expect(request.url.searchParams.get('type')).toBe('eq.refund');
    expect(request.url.searchParams.get('order')).toBe('id.desc');
    // Above the threshold the total is the planner's, and the pager says it is an estimate.
    expect(requestsTo('credit_transactions').map((r) => r.headers.get('prefer'))).toContain(
      'count=planned',
    );
    expect(await screen.findByText(/of about 250,000/)).toBeInTheDocument();
    expect(screen.queryByRole('checkbox', { name: /select all/i })).not.toBeInTheDocument();
  });
});

import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Resource } from 'react-admin';
import { renderResource, requestsTo, table, type Row } from '../../../test/support/ui';
import adminAudit from '.';
import { diffRows, readChanges } from './auditChanges';

const creditAdjust: Row = {
  id: 41,
  at: '2026-03-02T09:30:00Z',
  actor_id: '00000000-0000-4000-8000-000000000002',
  actor_email: 'support@creditdesk.dev',
  action: 'credits.adjust',
  table_name: 'customers',
  record_id: 'pass-123',
  method: 'POST',
  route: '/rpc/adjust_credits',
  status: 'ok',
  details: {
    transaction_id: 9001,
    type: 'adjustment',
    delta: 25,
    reason: 'Goodwill after a failed video',
    changes: { credits: { before: 10, after: 35 } },
  },
  ip: '203.0.113.7',
  user_agent: 'Firefox',
  created_at: '2026-03-02T09:30:00Z',
};
const configUpdate: Row = {
  ...creditAdjust,
  id: 40,
  actor_email: 'admin@creditdesk.dev',
  action: 'runtime_config.update',
  table_name: 'runtime_config',
  record_id: 'rate.limits',
  details: {
    changes: {
      value: {
        before: { per_minute: 5, providers: ['wavespeed'] },
        after: { per_minute: 10, providers: ['wavespeed'] },
      },
      description: { before: null, after: 'Per-customer limits' },
    },
  },
};

function renderAudit(path: string) {
  return renderResource(<Resource name="admin_audit" {...adminAudit} />, {
    role: 'finance',
    initialPath: path,
    handlers: [table('admin_audit', [creditAdjust, configUpdate])],
  });
}

describe('audit diff', () => {
  it('reduces an object change to the keys that changed', () => {
    expect(diffRows(readChanges(configUpdate.details))).toEqual([
      { path: 'value.per_minute', before: 5, after: 10 },
      { path: 'description', before: null, after: 'Per-customer limits' },
    ]);
  });

  it('ignores details that are not shaped like changes', () => {
    expect(readChanges({ changes: { credits: 5, ok: { before: 1, after: 2 } } })).toEqual({
      ok: { before: 1, after: 2 },
    });
    expect(readChanges(null)).toEqual({});
  });
});

describe('audit trail', () => {
  it('shows a credit action with its delta, reason and balance before/after', async () => {
    await renderAudit('/admin_audit/41/show');
    expect(await screen.findByText('Goodwill after a failed video')).toBeInTheDocument();
    expect(screen.getByText('+25')).toBeInTheDocument();
    expect(screen.getByText('9001')).toBeInTheDocument();

    const changes = screen.getByRole('table', { name: 'Changes' });
    const row = within(changes).getByText('credits').closest('tr')!;
    expect(within(row).getByText('10')).toHaveAttribute('data-diff', 'before');
    expect(within(row).getByText('35')).toHaveAttribute('data-diff', 'after');
  });

  it('shows a config change as field-level before and after', async () => {
    await renderAudit('/admin_audit/40/show');
    const changes = await screen.findByRole('table', { name: 'Changes' });
    const limit = within(changes).getByText('value.per_minute').closest('tr')!;
    expect(within(limit).getByText('5')).toHaveAttribute('data-diff', 'before');
    expect(within(limit).getByText('10')).toHaveAttribute('data-diff', 'after');
    const description = within(changes).getByText('description').closest('tr')!;
    expect(within(description).getByText('(empty)')).toHaveAttribute('data-diff', 'before');
    expect(within(changes).queryByText(/wavespeed/)).not.toBeInTheDocument();
  });

  it('lists newest first with an estimated count and opens a row', async () => {
    await renderAudit('/admin_audit');
    await userEvent.click(await screen.findByText('runtime_config.update'));
    expect(await screen.findByRole('table', { name: 'Changes' })).toBeInTheDocument();

    const list = requestsTo('admin_audit', 'GET').find((r) => r.url.searchParams.has('offset'))!;
    expect(list.url.searchParams.get('order')).toMatch(/^at\.desc/);
    // Counted by the planner first (exact below 50,000 rows: listCounts.ts).
    expect(requestsTo('admin_audit', 'GET').map((r) => r.headers.get('prefer'))).toContain(
      'count=planned',
    );
  });

  it('filters by who, action and date range in PostgREST syntax', async () => {
    await renderResource(<Resource name="admin_audit" {...adminAudit} />, {
      role: 'support',
      initialPath:
        '/admin_audit?filter=' +
        encodeURIComponent(
          JSON.stringify({
            'actor_email@ilike': 'support',
            'action@ilike': 'credits',
            table_name: 'customers',
            'at@gte': '2026-03-01T00:00:00.000Z',
          }),
        ),
      handlers: [table('admin_audit', [creditAdjust])],
    });
    await screen.findByText('credits.adjust');
    await waitFor(() => {
      const query = requestsTo('admin_audit', 'GET').at(-1)!.url.searchParams;
      expect(query.get('actor_email')).toBe('ilike.*support*');
      expect(query.get('action')).toBe('ilike.*credits*');
      expect(query.get('table_name')).toBe('eq.customers');
      expect(query.get('at')).toBe('gte.2026-03-01T00:00:00.000Z');
    });
  });
});

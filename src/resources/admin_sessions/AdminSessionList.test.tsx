import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { Resource } from 'react-admin';
import { renderResource, requestsTo, table } from '../../../test/support/ui';
import adminSessions from '.';

describe('admin sessions', () => {
  it('lists sign-ins newest first and filters by email and open sessions', async () => {
    await renderResource(<Resource name="admin_sessions" {...adminSessions} />, {
      role: 'admin',
      initialPath:
        '/admin_sessions?filter=' +
        encodeURIComponent(JSON.stringify({ 'email@ilike': 'support', 'ended_at@is': 'null' })),
      handlers: [
        table('admin_sessions', [
          {
            id: 3,
            user_id: 'u-2',
            email: 'support@creditdesk.dev',
            session_hash: 'abc',
            ip: '198.51.100.4',
            user_agent: 'Mozilla/5.0 Chrome',
            first_seen_at: '2026-03-01T08:00:00Z',
            last_seen_at: '2026-03-01T09:00:00Z',
            ended_at: null,
          },
        ]),
      ],
    });
    expect(await screen.findByText('198.51.100.4')).toBeInTheDocument();
    expect(screen.getByText('open')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /delete/i })).not.toBeInTheDocument();
    await waitFor(() => {
      const query = requestsTo('admin_sessions', 'GET').at(-1)!.url.searchParams;
      expect(query.get('email')).toBe('ilike.*support*');
      expect(query.get('ended_at')).toBe('is.null');
      expect(query.get('order')).toMatch(/^last_seen_at\.desc/);
    });
  });
});

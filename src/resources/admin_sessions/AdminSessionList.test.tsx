import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { Resource } from 'react-admin';
import { renderResource, requestsTo, table } from '../../../test/support/ui';
import adminSessions from '.';

describe('admin sessions', () => {
  it('lists sign-ins newest first, says which are open, expired or signed out, and filters open ones', async () => {
    await renderResource(<Resource name="admin_sessions" {...adminSessions} />, {
      role: 'admin',
      initialPath:
        '/admin_sessions?filter=' +
        encodeURIComponent(JSON.stringify({ 'email@ilike': 'support', open: true })),
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
            expires_at: '2999-01-01T00:00:00Z',
          },
          {
            id: 2,
            user_id: 'u-2',
            email: 'support@creditdesk.dev',
            session_hash: 'def',
            ip: '198.51.100.5',
            user_agent: 'Mozilla/5.0 Chrome',
            first_seen_at: '2026-02-01T08:00:00Z',
            last_seen_at: '2026-02-01T09:00:00Z',
            ended_at: null,
            // Closed without signing out: its last token expired long ago.
            expires_at: '2026-02-01T10:00:00Z',
          },
          {
            id: 1,
            user_id: 'u-2',
            email: 'support@creditdesk.dev',
            session_hash: 'ghi',
            ip: '198.51.100.6',
            user_agent: 'Mozilla/5.0 Chrome',
            first_seen_at: '2026-01-01T08:00:00Z',
            last_seen_at: '2026-01-01T09:00:00Z',
            ended_at: '2026-01-01T09:00:00Z',
            expires_at: '2026-01-01T10:00:00Z',
          },
        ]),
      ],
    });
    expect(await screen.findByText('198.51.100.4')).toBeInTheDocument();
    const status = (ip: string) => screen.getByText(ip).closest('tr')!;
    expect(within(status('198.51.100.4')).getByText('open')).toBeInTheDocument();
    expect(within(status('198.51.100.5')).getByText('expired')).toBeInTheDocument();
    expect(within(status('198.51.100.6')).getByText('signed out')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /delete/i })).not.toBeInTheDocument();
    await waitFor(() => {
      const query = requestsTo('admin_sessions', 'GET').at(-1)!.url.searchParams;
      expect(query.get('email')).toBe('ilike.*support*');
      // Open: not signed out and not expired.
      expect(query.get('ended_at')).toBe('is.null');
      expect(query.get('expires_at')).toMatch(/^gt\.\d{4}-\d\d-\d\dT/);
      expect(query.get('order')).toMatch(/^last_seen_at\.desc/);
    });
  });
});

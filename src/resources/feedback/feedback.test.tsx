import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp, requestsTo, table, tableUpdate } from '../../../test/support/ui';

const items = [
  {
    id: 'fb-1',
    status: 'new',
    result_type: 'image',
    comment: 'Hands look wrong',
    image_url: 'https://cdn.test/fb1.png',
    video_url: null,
    admin_note: null,
    customer_id: null,
    generation_id: null,
    created_at: '2026-01-10T10:00:00Z',
  },
  {
    id: 'fb-2',
    status: 'new',
    result_type: 'video',
    comment: 'Video froze',
    image_url: null,
    video_url: null,
    admin_note: null,
    customer_id: null,
    generation_id: null,
    created_at: '2026-01-09T10:00:00Z',
  },
];

describe('feedback', () => {
  it('triages one item: status and note only reach the database', async () => {
    await renderApp({
      role: 'support',
      initialPath: '/feedback/fb-1',
      handlers: [table('feedback', items), tableUpdate('feedback', items)],
    });
    expect(await screen.findByRole('img', { name: /feedback attachment/i })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('combobox', { name: /status/i }));
    await userEvent.click(await screen.findByRole('option', { name: 'resolved' }));
    await userEvent.type(screen.getByLabelText(/admin note/i), 'Known model issue');
    await userEvent.click(screen.getByRole('button', { name: /save/i }));
    await waitFor(() => expect(requestsTo('feedback', 'PATCH')).toHaveLength(1));
    const patch = requestsTo('feedback', 'PATCH')[0];
    expect(patch.url.searchParams.get('id')).toBe('eq.fb-1');
    expect(patch.body).toEqual({ status: 'resolved', admin_note: 'Known model issue' });
  });

  it('changes the status of several items at once', async () => {
    await renderApp({
      role: 'support',
      initialPath: '/feedback',
      handlers: [table('feedback', items), tableUpdate('feedback', items)],
    });
    await screen.findByText('Video froze');
    expect(requestsTo('feedback')[0].url.searchParams.get('status')).toBe('eq.new');
    await userEvent.click(screen.getByRole('checkbox', { name: /select all/i }));
    await userEvent.click(await screen.findByRole('button', { name: /mark resolved/i }));
    await userEvent.click(await screen.findByRole('button', { name: /confirm/i }));
    await waitFor(() => expect(requestsTo('feedback', 'PATCH')).toHaveLength(1));
    const patch = requestsTo('feedback', 'PATCH')[0];
    expect(patch.url.searchParams.get('id')).toBe('in.(fb-1,fb-2)');
    expect(patch.body).toEqual({ status: 'resolved' });
  });

  it('gives finance neither bulk actions nor the edit route', async () => {
    await renderApp({
      role: 'finance',
      initialPath: '/feedback',
      handlers: [table('feedback', items)],
    });
    await screen.findByText('Video froze');
    expect(screen.queryByRole('checkbox', { name: /select all/i })).not.toBeInTheDocument();
    await userEvent.click(screen.getByText('Video froze'));
    expect(await screen.findByText('Video froze', { selector: 'pre' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /triage/i })).not.toBeInTheDocument();
  });

  it('shows no attachment whose URL is not http(s)', async () => {
    const hostile = {
      ...items[0],
      image_url: 'data:text/html,<script>alert(1)</script>',
      video_url: 'javascript:alert(1)',
    };
    await renderApp({
      role: 'support',
      initialPath: '/feedback/fb-1/show',
      handlers: [table('feedback', [hostile])],
    });
    const notes = await screen.findAllByRole('note');
    expect(notes.map((n) => n.textContent)).toEqual([
      expect.stringContaining('The attached image is not a web address'),
      expect.stringContaining('The attached video is not a web address'),
    ]);
    expect(screen.queryByRole('img', { name: /feedback attachment/i })).not.toBeInTheDocument();
    expect(document.querySelector('[src^="data:"], [src^="javascript:"]')).toBeNull();
  });

  it('offers no Delete, and no way back to new for resolved feedback (issue 16.10, 16.13)', async () => {
    const resolved = [{ ...items[0], status: 'resolved' }];
    await renderApp({
      role: 'support',
      initialPath: '/feedback/fb-1',
      handlers: [table('feedback', resolved), tableUpdate('feedback', resolved)],
    });
    await screen.findByText('To reopen it, set it to reviewed.');
    expect(screen.queryByRole('button', { name: /delete/i })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('combobox', { name: /status/i }));
    expect(await screen.findByRole('option', { name: 'new' })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
    expect(screen.getByRole('option', { name: 'reviewed' })).not.toHaveAttribute(
      'aria-disabled',
      'true',
    );
  });
});

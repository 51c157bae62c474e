import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { Resource } from 'react-admin';
import { renderResource, requestsTo, REST, table, type Row } from '../../../test/support/ui';
import generationTypes from '.';

const video: Row = {
  type_key: 'video.short',
  display_name: 'Short video',
  cost_credits: 20,
  active: true,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

describe('generation prices', () => {
  it('lets an admin change a price and sends only the editable fields', async () => {
    await renderResource(<Resource name="generation_types" {...generationTypes} />, {
      role: 'admin',
      initialPath: '/generation_types/video.short',
      handlers: [
        table('generation_types', [video]),
        http.patch(`${REST}/generation_types`, async ({ request }) =>
          HttpResponse.json({ ...video, ...((await request.json()) as Row) }),
        ),
      ],
    });
    const cost = await screen.findByLabelText(/cost \(credits\)/i);
    await userEvent.clear(cost);
    await userEvent.type(cost, '-1');
    await userEvent.click(screen.getByRole('button', { name: /save/i }));
    expect(await screen.findByText(/cannot be negative/i)).toBeInTheDocument();
    expect(requestsTo('generation_types', 'PATCH')).toHaveLength(0);

    await userEvent.clear(cost);
    await userEvent.type(cost, '25');
    await userEvent.click(screen.getByRole('button', { name: /save/i }));
    await waitFor(() =>
      expect(requestsTo('generation_types', 'PATCH').map((r) => r.body)).toEqual([
        { cost_credits: 25 },
      ]),
    );
  });

  it('shows finance the price list without a way to change it', async () => {
    await renderResource(<Resource name="generation_types" {...generationTypes} />, {
      role: 'finance',
      initialPath: '/generation_types',
      handlers: [table('generation_types', [video])],
    });
    await userEvent.click(await screen.findByText('Short video'));
    expect(screen.queryByRole('link', { name: /create/i })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /save/i })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: /export/i })).toBeInTheDocument();
  });
});

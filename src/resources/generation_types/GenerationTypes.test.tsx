import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { Resource } from 'react-admin';
import {
  renderResource,
  requestsTo,
  REST,
  rpc,
  rpcCalls,
  table,
  type Row,
} from '../../../test/support/ui';
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
  it('changes a price only through the dialog, with a reason; the form saves the rest without it', async () => {
    await renderResource(<Resource name="generation_types" {...generationTypes} />, {
      role: 'admin',
      initialPath: '/generation_types/video.short',
      handlers: [
        table('generation_types', [video]),
        http.patch(`${REST}/generation_types`, async ({ request }) =>
          HttpResponse.json({ ...video, ...((await request.json()) as Row) }),
        ),
        rpc('set_generation_type_price', { type_key: 'video.short', cost_credits: 25 }),
      ],
    });
    // The form has no price input: the price has its own dialog.
    expect(await screen.findByText('20 credits')).toBeInTheDocument();
    expect(screen.queryByLabelText(/cost \(credits\)/i)).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Change price' }));
    const dialog = await screen.findByRole('dialog', { name: /change the price of short video/i });
    const price = within(dialog).getByLabelText(/new price/i);
    await userEvent.clear(price);
    await userEvent.type(price, '-1');
    expect(within(dialog).getByText('Credits are whole numbers, 0 or more.')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Change price' })).toBeDisabled();
    await userEvent.clear(price);
    await userEvent.type(price, '25');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Change price' }));
    expect(await within(dialog).findByText('A reason is required.')).toBeInTheDocument();
    expect(rpcCalls('set_generation_type_price')).toEqual([]);

    await userEvent.type(within(dialog).getByLabelText(/reason/i), 'Provider rate up');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Change price' }));
    expect(await screen.findByText('Short video now costs 25 credits.')).toBeInTheDocument();
    expect(rpcCalls('set_generation_type_price')).toEqual([
      { p_type_key: 'video.short', p_cost_credits: 25, p_reason: 'Provider rate up' },
    ]);

    // Saving the form sends the name and the switch, never the price.
    const name = screen.getByLabelText(/display name/i);
    await userEvent.clear(name);
    await userEvent.type(name, 'Short clip');
    await userEvent.click(screen.getByRole('button', { name: /save/i }));
    await waitFor(() =>
      expect(requestsTo('generation_types', 'PATCH').map((r) => r.body)).toEqual([
        { display_name: 'Short clip' },
      ]),
    );
  });

  it('removes a type only after a reason, through remove_generation_type, then lists the rest', async () => {
    await renderResource(<Resource name="generation_types" {...generationTypes} />, {
      role: 'admin',
      initialPath: '/generation_types/video.short',
      handlers: [
        table('generation_types', [video]),
        rpc('remove_generation_type', {
          type_key: 'video.short',
          display_name: 'Short video',
          cost_credits: 20,
        }),
      ],
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Remove type' }));
    const dialog = await screen.findByRole('dialog', { name: /remove short video/i });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove type' }));
    expect(await within(dialog).findByText('A reason is required.')).toBeInTheDocument();
    expect(rpcCalls('remove_generation_type')).toEqual([]);
    expect(requestsTo('generation_types', 'DELETE')).toEqual([]);

    await userEvent.type(within(dialog).getByLabelText(/reason/i), 'Model retired');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove type' }));
    expect(
      await screen.findByText('Short video was removed from the price list.'),
    ).toBeInTheDocument();
    expect(rpcCalls('remove_generation_type')).toEqual([
      { p_type_key: 'video.short', p_reason: 'Model retired' },
    ]);
    expect(requestsTo('generation_types', 'DELETE')).toEqual([]);
    // Back on the list.
    expect(await screen.findByPlaceholderText('Type or name')).toBeInTheDocument();
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

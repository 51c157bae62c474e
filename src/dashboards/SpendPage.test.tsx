import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CustomRoutes } from 'react-admin';
import { Route } from 'react-router-dom';
import { renderResource, rpc, rpcCalls } from '../../test/support/ui';
import { SpendPage } from './index';
import { metricsFixture, wavespeedModelsFixture } from './fixtures';

// downloadCSV hands a Blob to URL.createObjectURL; jsdom has none, so capture it there.
function captureDownloads() {
  const blobs: Blob[] = [];
  URL.createObjectURL = vi.fn((blob: Blob) => {
    blobs.push(blob);
    return 'blob:csv';
  });
  URL.revokeObjectURL = vi.fn();
  return async () => (await blobs.at(-1)!.text()).replace(/^\uFEFF/, '');
}

async function renderSpend(path = '/spend?range=custom&from=2026-11-01&to=2026-11-03') {
  await renderResource(
    <CustomRoutes>
      <Route path="/spend" element={<SpendPage />} />
    </CustomRoutes>,
    {
      role: 'finance',
      initialPath: path,
      handlers: [
        rpc('dashboard_metrics', (body) =>
          body.p_models_of ? wavespeedModelsFixture() : metricsFixture(),
        ),
      ],
    },
  );
  await screen.findByRole('group', { name: 'Provider cost' }, { timeout: 10_000 });
}

describe('SpendPage', () => {
  afterEach(() => vi.restoreAllMocks());

  it('shows cost per successful generation and credits earned per dollar', async () => {
    await renderSpend();
    expect(
      within(screen.getByRole('group', { name: 'Cost per successful generation' })).getByText(
        '$0.1122',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('group', { name: 'Credits earned per USD' })).getByText('80'),
    ).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Spend by provider and model' });
    // wavespeed wan-2.1: $1,000.25 over 8,100 successes; 80,000 credits / $1,000.25.
    expect(within(table).getAllByRole('row')[1].textContent).toBe(
      'wavespeedwan-2.19,0008,100$1,000.25$0.123580,00080',
    );
    expect(rpcCalls('dashboard_metrics')[0]).toEqual({ p_from: '2026-11-01', p_to: '2026-11-03' });
    expect(rpcCalls('dashboard_metrics')).toHaveLength(1);
  });

  it('exports exactly the chart rows as CSV, by provider and drilled into a provider', async () => {
    const lastCsv = captureDownloads();
    const user = userEvent.setup();
    await renderSpend();

    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(URL.createObjectURL).toHaveBeenCalledTimes(1));
    expect(await lastCsv()).toBe(
      [
        'day,wavespeed,fal,total',
        '2026-11-01,340.5,60.1,400.6',
        '2026-11-02,330.25,0,330.25',
        '2026-11-03,0,140.15,140.15',
      ].join('\n'),
    );

    await user.click(screen.getByRole('combobox', { name: 'Breakdown' }));
    await user.click(await screen.findByRole('option', { name: 'wavespeed by model' }));
    // The button is back once the models have arrived (the chart shows a skeleton meanwhile).
    await user.click(await screen.findByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(URL.createObjectURL).toHaveBeenCalledTimes(2));
    expect(await lastCsv()).toBe(
      [
        'day,wan-2.1,(no model),total',
        '2026-11-01,330.5,10,340.5',
        '2026-11-02,330.25,0,330.25',
        '2026-11-03,0,0,0',
      ].join('\n'),
    );
    // The models are asked for when the user drills in, for that provider only.
    expect(rpcCalls('dashboard_metrics').filter((b) => b.p_models_of)).toEqual([
      { p_from: '2026-11-01', p_to: '2026-11-03', p_models_of: 'wavespeed' },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CustomRoutes } from 'react-admin';
import { Route } from 'react-router-dom';
import { pgError, renderResource, rpc, rpcCalls } from '../../test/support/ui';
import { Dashboard } from './index';
import { metricsFixture, metricsRows } from './fixtures';
import { addDays, toIsoDay } from './range';

function renderDashboard(path: string, answer: Parameters<typeof rpc>[1] = metricsFixture()) {
  return renderResource(
    <CustomRoutes>
      <Route path="/dash" element={<Dashboard />} />
    </CustomRoutes>,
    { role: 'finance', initialPath: path, handlers: [rpc('dashboard_metrics', answer)] },
  );
}

const kpi = (name: string) => within(screen.getByRole('group', { name }));

describe('Dashboard', () => {
  it('renders the figures of the dashboard_metrics answer', async () => {
    await renderDashboard('/dash?range=custom&from=2026-11-01&to=2026-11-03');
    await screen.findByRole('group', { name: 'Generations' }, { timeout: 10_000 });

    expect(kpi('Generations').getByText('12,345')).toBeInTheDocument();
    expect(
      kpi('Generations').getByText('+23.5% vs 10,000 in the previous 3 days'),
    ).toBeInTheDocument();
    expect(kpi('Success rate').getByText('89.1%')).toBeInTheDocument();
    expect(kpi('Failure rate').getByText('8.1%')).toBeInTheDocument();
    expect(kpi('Provider cost').getByText('$1,234.50')).toBeInTheDocument();
    expect(kpi('Provider cost').getByText('$0.1122 per successful generation')).toBeInTheDocument();
    expect(kpi('Refunds').getByText('42')).toBeInTheDocument();
    expect(kpi('Refunds').getByText('420 credits refunded')).toBeInTheDocument();
    expect(kpi('Credits spent vs bought').getByText('98,765 / 150,000')).toBeInTheDocument();
    expect(kpi('Active customers').getByText('321')).toBeInTheDocument();

    const table = screen.getByRole('table', { name: 'Provider and model breakdown' });
    const rows = within(table)
      .getAllByRole('row')
      .map((r) => r.textContent);
    expect(rows[1]).toBe('wavespeedwan-2.19,0007007.8%$1,000.255,400 ms');
    expect(rows[2]).toBe('falflux-pro3,00030010%$200.252,100 ms');
    expect(rows[3]).toBe('wavespeed(none)3450'.concat('0%$34.00—'));

    expect(rpcCalls('dashboard_metrics')[0]).toEqual({ p_from: '2026-11-01', p_to: '2026-11-03' });
    expect(screen.getByText(/Days are UTC days/)).toBeInTheDocument();
  });

  it('asks for the range the picker chooses and keeps the provider filter', async () => {
    const user = userEvent.setup();
    await renderDashboard('/dash?range=custom&from=2026-11-01&to=2026-11-03&provider=fal');
    await screen.findByRole('group', { name: 'Generations' }, { timeout: 10_000 });
    expect(rpcCalls('dashboard_metrics').at(-1)).toEqual({
      p_from: '2026-11-01',
      p_to: '2026-11-03',
      p_provider: 'fal',
    });

    await user.click(screen.getByRole('combobox', { name: 'Range' }));
    await user.click(await screen.findByRole('option', { name: 'Last 7 days' }));
    const today = toIsoDay(new Date());
    await waitFor(() =>
      expect(rpcCalls('dashboard_metrics').at(-1)).toEqual({
        p_from: addDays(today, -6),
        p_to: today,
        p_provider: 'fal',
      }),
    );

    await user.click(screen.getByRole('combobox', { name: 'Provider' }));
    await user.click(await screen.findByRole('option', { name: 'All providers' }));
    await waitFor(() =>
      expect(rpcCalls('dashboard_metrics').at(-1)).toEqual({
        p_from: addDays(today, -6),
        p_to: today,
      }),
    );

    // A date input takes its value whole, as the browser's date picker sets it.
    fireEvent.change(screen.getByLabelText('From (UTC)'), { target: { value: '2026-10-15' } });
    await waitFor(() =>
      expect(rpcCalls('dashboard_metrics').at(-1)).toEqual({ p_from: '2026-10-15', p_to: today }),
    );
  });

  it('says so when the range holds no generations', async () => {
    await renderDashboard(
      '/dash?range=7d',
      metricsFixture({
        generations: 0,
        previous_generations: 0,
        by_provider_model: [],
        daily_by_provider: [],
      }),
    );
    expect(
      await screen.findByText('No generations in this range', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('pages the provider table ten rows at a time', async () => {
    const row = metricsRows().by_provider_model[0];
    const models = Array.from({ length: 12 }, (_, i) => ({
      ...row,
      model: `model-${String(i + 1).padStart(2, '0')}`,
    }));
    await renderDashboard('/dash?range=7d', metricsFixture({ by_provider_model: models }));
    const table = await screen.findByRole(
      'table',
      { name: 'Provider and model breakdown' },
      { timeout: 10_000 },
    );
    const shown = () =>
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((r) => within(r).getAllByRole('cell')[1].textContent);
    expect(shown()).toEqual(models.slice(0, 10).map((m) => m.model));
    expect(screen.getByText('1–10 of 12')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: /next page/i }));
    expect(shown()).toEqual(['model-11', 'model-12']);
  });

  it("shows the database's error instead of figures", async () => {
    await renderDashboard('/dash?range=custom&from=2026-11-05&to=2026-11-01', () =>
      pgError(400, 'The start date 2026-11-05 is after the end date 2026-11-01.', null, '22023'),
    );
    expect(
      await screen.findByText(
        /The start date 2026-11-05 is after the end date 2026-11-01/,
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/Could not load the dashboard \(HTTP 400\)/)).toBeInTheDocument();
  });
});

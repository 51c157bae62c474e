import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { renderApp } from '../../test/support/ui';

const menuItem = (name: RegExp) => screen.queryByRole('menuitem', { name });

describe('menu by role', () => {
  it('gives admins the settings', async () => {
    await renderApp({ role: 'admin', initialPath: '/customers' });
    expect(await screen.findByRole('menuitem', { name: /customers/i })).toBeInTheDocument();
    for (const item of [
      /runtime config/i,
      /app config/i,
      /generation prices/i,
      /staff/i,
      /admin sessions/i,
      /provider spend/i,
    ]) {
      expect(menuItem(item)).toBeInTheDocument();
    }
  });

  it('gives support the daily work and no settings', async () => {
    await renderApp({ role: 'support', initialPath: '/customers' });
    expect(await screen.findByRole('menuitem', { name: /feedback/i })).toBeInTheDocument();
    expect(menuItem(/credit ledger/i)).toBeInTheDocument();
    for (const item of [
      /runtime config/i,
      /app config/i,
      /generation prices/i,
      /staff/i,
      /spend/i,
    ]) {
      expect(menuItem(item)).not.toBeInTheDocument();
    }
  });

  it('answers a settings route support has no access to with who may open it', async () => {
    await renderApp({ role: 'support', initialPath: '/runtime_config' });
    expect(await screen.findByText(/this page is for admin staff/i)).toBeInTheDocument();
    expect(screen.getByText(/signed in as support/i)).toBeInTheDocument();
    expect(screen.queryByText(/not found/i)).not.toBeInTheDocument();
  });
});

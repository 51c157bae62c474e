import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { CircularProgress, LinearProgress, ThemeProvider, createTheme } from '@mui/material';
import { darkTheme, lightTheme } from './themes';
import { renderApp, table } from '../../test/support/ui';

const items = ['fb-1', 'fb-2'].map((id, i) => ({
  id,
  status: 'new',
  result_type: 'image',
  comment: `Comment ${i + 1}`,
  image_url: null,
  video_url: null,
  admin_note: null,
  customer_id: null,
  generation_id: null,
  created_at: `2026-01-1${i}T10:00:00Z`,
}));

describe('theme: checkboxes named on their input', () => {
  it("names every row's selection input, not MUI's wrapper, and keeps the select-all name", async () => {
    await renderApp({
      role: 'support',
      initialPath: '/feedback',
      handlers: [table('feedback', items)],
    });
    await screen.findByText('Comment 2', {}, { timeout: 15_000 });
    const rows = screen.getAllByRole('checkbox', { name: 'Select this row' });
    expect(rows).toHaveLength(2);
    for (const input of rows) {
      expect(input.tagName).toBe('INPUT');
      // The role-less wrapper span must not carry a name of its own (axe: aria-prohibited-attr).
      expect(input.parentElement).not.toHaveAttribute('aria-label');
    }
    expect(screen.getByRole('checkbox', { name: /select all/i }).tagName).toBe('INPUT');
  });
});

describe('theme: spinners have a name', () => {
  it.each([
    ['light', lightTheme],
    ['dark', darkTheme],
  ])('names a bare spinner and bar in the %s theme (axe: aria-progressbar-name)', (_, theme) => {
    render(
      <ThemeProvider theme={createTheme(theme)}>
        <CircularProgress />
        <LinearProgress />
      </ThemeProvider>,
    );
    expect(screen.getAllByRole('progressbar', { name: 'Loading' })).toHaveLength(2);
  });
});

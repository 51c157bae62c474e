import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { Resource } from 'react-admin';
import { renderResource, requestsTo, REST, type Row } from '../../../test/support/ui';
import appConfig from '../app_config';
import { convertValue, InvalidValue } from './configValue';

describe('config value types', () => {
  it('keeps what still makes sense when the type is switched', () => {
    expect(convertValue(12, 'string')).toBe('12');
    expect(convertValue('12', 'number')).toBe(12);
    expect(convertValue('twelve', 'number')).toBeInstanceOf(InvalidValue);
    expect(convertValue({ a: 1 }, 'string')).toBe('{\n  "a": 1\n}');
    expect(convertValue('true', 'boolean')).toBe(true);
  });
});

describe('config create', () => {
  it('creates an app_config key with a typed value', async () => {
    await renderResource(<Resource name="app_config" {...appConfig} />, {
      role: 'admin',
      initialPath: '/app_config/create',
      handlers: [
        http.post(`${REST}/app_config`, async ({ request }) =>
          HttpResponse.json({ ...((await request.json()) as Row), version: 1 }, { status: 201 }),
        ),
      ],
    });
    await userEvent.type(await screen.findByLabelText(/^key/i), 'banner.visible');

    // A new key starts as JSON and must not be saved empty.
    await userEvent.click(screen.getByRole('button', { name: /save/i }));
    expect(await screen.findByText(/a value is required/i)).toBeInTheDocument();
    expect(requestsTo('app_config', 'POST')).toHaveLength(0);

    await userEvent.click(screen.getByRole('button', { name: 'Switch' }));
    await userEvent.click(screen.getByRole('switch'));
    await userEvent.click(screen.getByRole('button', { name: /save/i }));
    await waitFor(() =>
      expect(requestsTo('app_config', 'POST').map((r) => r.body)).toEqual([
        { key: 'banner.visible', value: true },
      ]),
    );
  });

  it('tells support that creating keys is for admins', async () => {
    await renderResource(<Resource name="app_config" {...appConfig} />, {
      role: 'support',
      initialPath: '/app_config/create',
    });
    expect(await screen.findByText(/only admins can create config keys/i)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /save/i })).not.toBeInTheDocument();
  });
});

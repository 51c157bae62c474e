import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse, type RequestHandler } from 'msw';
import { Resource } from 'react-admin';
import {
  pgError,
  renderResource,
  requestsTo,
  REST,
  table,
  type Row,
} from '../../../test/support/ui';
import runtimeConfig from '../runtime_config';
import adminAudit from '../admin_audit';

const limits: Row = {
  key: 'rate.limits',
  value: { per_minute: 5, providers: ['wavespeed'] },
  description: 'Generation rate limits',
  version: 3,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-03-01T10:00:00Z',
  updated_by: null,
};
const enabled: Row = { ...limits, key: 'generation.enabled', value: true, version: 7 };
const cap: Row = { ...limits, key: 'daily.cap', value: 250, version: 2 };

const CONFLICT =
  '"rate.limits" was changed by someone else (now version 4, you edited version 3). Nothing was saved.';
const HINT = 'Reload the value, re-apply your change and save again.';

function patchAnswering(answer: (body: Row) => Response) {
  return http.patch(`${REST}/runtime_config`, async ({ request }) =>
    answer((await request.json()) as Row),
  );
}

function patchesBodies() {
  return requestsTo('runtime_config', 'PATCH').map((r) => r.body);
}

async function renderConfig(
  path: string,
  role: 'admin' | 'support' = 'admin',
  extra: RequestHandler[] = [],
) {
  return renderResource(
    <>
      <Resource name="runtime_config" {...runtimeConfig} />
      <Resource name="admin_audit" {...adminAudit} />
    </>,
    {
      role,
      initialPath: path,
      handlers: [table('runtime_config', [limits, enabled, cap]), ...extra],
    },
  );
}

const valueEditor = () => screen.findByLabelText('Value (JSON)', { selector: 'textarea' });

describe('config edit', () => {
  it('saves the edited JSON value together with the version it was read at', async () => {
    await renderConfig('/runtime_config/rate.limits', 'admin', [
      patchAnswering((body) => HttpResponse.json({ ...limits, ...body, version: 4 })),
    ]);
    const editor = await valueEditor();
    expect(editor).toHaveValue(JSON.stringify(limits.value, null, 2));

    fireEvent.change(editor, { target: { value: '{"per_minute": 10, "providers": []}' } });
    await userEvent.click(screen.getByRole('button', { name: /save/i }));

    await waitFor(() => expect(patchesBodies()).toHaveLength(1));
    expect(patchesBodies()[0]).toEqual({
      value: { per_minute: 10, providers: [] },
      expected_version: 3,
    });
    expect(requestsTo('runtime_config', 'PATCH')[0]?.url.searchParams.get('key')).toBe(
      'eq.rate.limits',
    );
    expect(await screen.findByText(/saved "rate.limits" \(now version 4\)/i)).toBeInTheDocument();
  });

  it('edits a boolean with a switch and sends a real boolean', async () => {
    await renderConfig('/runtime_config/generation.enabled', 'admin', [
      patchAnswering((body) => HttpResponse.json({ ...enabled, ...body, version: 8 })),
    ]);
    const toggle = await screen.findByRole('switch');
    expect(toggle).toBeChecked();
    await userEvent.click(toggle);
    await userEvent.click(screen.getByRole('button', { name: /save/i }));
    await waitFor(() => expect(patchesBodies()).toEqual([{ value: false, expected_version: 7 }]));
  });

  it('shows the server conflict message and keeps the typed value when the version is stale', async () => {
    await renderConfig('/runtime_config/rate.limits', 'admin', [
      patchAnswering(() => pgError(409, CONFLICT, HINT, 'PT409')),
    ]);
    const editor = await valueEditor();
    fireEvent.change(editor, { target: { value: '{"per_minute": 99}' } });
    await userEvent.click(screen.getByRole('button', { name: /save/i }));

    // Once inline beside the editor, once as the notification.
    const messages = await screen.findAllByText(`${CONFLICT} ${HINT}`);
    expect(messages.length).toBeGreaterThanOrEqual(2);
    expect(screen.getByRole('button', { name: /load latest/i })).toBeInTheDocument();
    expect(await valueEditor()).toHaveValue('{"per_minute": 99}');
    expect(patchesBodies()).toEqual([{ value: { per_minute: 99 }, expected_version: 3 }]);
  });

  it('refuses invalid JSON before any request is sent', async () => {
    await renderConfig('/runtime_config/rate.limits');
    const editor = await valueEditor();
    fireEvent.change(editor, { target: { value: '{"per_minute": 10,' } });
    expect(await screen.findByRole('alert')).toHaveTextContent(/^Invalid JSON/);

    await userEvent.click(screen.getByRole('button', { name: /save/i }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(screen.getAllByText(/Invalid JSON/).length).toBeGreaterThan(0);
    expect(requestsTo('runtime_config', 'PATCH')).toHaveLength(0);
  });

  it('refuses text in a number value without a request', async () => {
    await renderConfig('/runtime_config/daily.cap');
    const input = await screen.findByLabelText('Value (Number)');
    fireEvent.change(input, { target: { value: 'lots' } });
    await userEvent.click(screen.getByRole('button', { name: /save/i }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/enter a number/i);
    expect(requestsTo('runtime_config', 'PATCH')).toHaveLength(0);
  });
});

describe('config history', () => {
  it('lists the audit rows of this key, newest first, with before and after', async () => {
    const audit = [
      {
        id: 12,
        at: '2026-03-01T10:00:00Z',
        actor_email: 'admin@creditdesk.dev',
        action: 'runtime_config.update',
        table_name: 'runtime_config',
        record_id: 'rate.limits',
        status: 'ok',
        details: {
          changes: {
            value: {
              before: { per_minute: 3, providers: ['wavespeed'] },
              after: { per_minute: 5, providers: ['wavespeed'] },
            },
          },
        },
      },
      {
        id: 11,
        at: '2026-02-01T10:00:00Z',
        actor_email: 'ops@creditdesk.dev',
        action: 'runtime_config.update',
        table_name: 'runtime_config',
        record_id: 'generation.enabled',
        status: 'ok',
        details: { changes: { value: { before: false, after: true } } },
      },
    ];
    await renderConfig('/runtime_config/rate.limits', 'admin', [table('admin_audit', audit)]);

    const history = await screen.findByRole('region', { name: 'History' });
    await within(history).findByText('admin@creditdesk.dev', { exact: false });
    expect(within(history).getByText('value.per_minute')).toBeInTheDocument();
    expect(within(history).getByText('3')).toHaveAttribute('data-diff', 'before');
    expect(within(history).getByText('5')).toHaveAttribute('data-diff', 'after');
    // The unchanged providers list is not repeated, and another key's history is not shown.
    expect(within(history).queryByText(/wavespeed/)).not.toBeInTheDocument();
    expect(within(history).queryByText(/ops@creditdesk.dev/)).not.toBeInTheDocument();

    const query = requestsTo('admin_audit', 'GET')[0]!.url.searchParams;
    expect(query.get('table_name')).toBe('eq.runtime_config');
    expect(query.get('record_id')).toBe('eq.rate.limits');
    expect(query.get('order')).toMatch(/^at\.desc/);
  });
});

describe('config roles', () => {
  it('gives support a read-only view: no create, no edit form, no save', async () => {
    await renderConfig('/runtime_config', 'support');
    await screen.findByText('rate.limits');
    expect(screen.queryByRole('link', { name: /create/i })).not.toBeInTheDocument();

    await userEvent.click(screen.getByText('rate.limits'));
    expect(await screen.findByText('Generation rate limits')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /save/i })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /edit/i })).not.toBeInTheDocument();
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument();
  });

  it('answers the edit route with the read-only page for support', async () => {
    await renderConfig('/runtime_config/rate.limits', 'support');
    expect(await screen.findByText('Generation rate limits')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /save/i })).not.toBeInTheDocument();
    expect(screen.queryByRole('switch')).not.toBeInTheDocument();
  });
});

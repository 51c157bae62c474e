import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse, type RequestHandler } from 'msw';
import {
  pgError,
  renderApp,
  requestsTo,
  REST,
  rpc,
  rpcCalls,
  table,
} from '../../../test/support/ui';

const failed = {
  id: 'gen-1',
  customer_id: 'pass-1',
  type: 'image',
  provider: 'wavespeed',
  model: 'flux-dev',
  status: 'failed',
  error: 'Provider timeout after 60s',
  prompt: 'A lighthouse at dusk',
  content_type: 'image/png',
  output_url: null,
  credits_charged: 4,
  cost_usd: 0.0125,
  latency_ms: 60000,
  refunded_at: null,
  meta: {},
  created_at: '2026-01-10T10:00:00Z',
};

describe('generations', () => {
  it('filters by status and a UTC date range that includes its end day, its total taken from a short page', async () => {
    const filter = encodeURIComponent(
      JSON.stringify({
        status: 'failed',
        'created_at@gte': '2026-01-01',
        'created_at@lte': '2026-01-31',
      }),
    );
    await renderApp({
      role: 'finance',
      initialPath: `/generations?filter=${filter}`,
      handlers: [table('generations', [failed])],
    });
    expect(await screen.findByText('flux-dev')).toBeInTheDocument();
    const request = requestsTo('generations')[0];
    expect(request.url.searchParams.get('status')).toBe('eq.failed');
    expect(request.url.searchParams.get('and')).toBe(
      '(created_at.gte.2026-01-01T00:00:00.000Z,created_at.lt.2026-02-01T00:00:00.000Z)',
    );
    // One row on a page of 25 is the whole list: the total comes from the page, not a count.
    expect(await screen.findByText('1-1 of 1')).toBeInTheDocument();
    expect(requestsTo('generations').map((r) => r.headers.get('prefer'))).not.toContain(
      'count=exact',
    );
  });

  it('counts a full page exactly when the planner expects fewer rows than the threshold', async () => {
    const thirty = Array.from({ length: 30 }, (_, i) => ({ ...failed, id: `gen-${i + 1}` }));
    await renderApp({
      role: 'finance',
      initialPath: '/generations',
      handlers: [table('generations', thirty)],
    });
    // The page is full, so only a count can tell the total: the estimate first, then exact.
    expect(await screen.findByText('1-25 of 30')).toBeInTheDocument();
    expect(requestsTo('generations').map((r) => r.headers.get('prefer'))).toEqual(
      expect.arrayContaining(['count=planned', 'count=exact']),
    );
  });

  it("asks for the page's customers while the exact count is out, and shows them", async () => {
    const thirty = Array.from({ length: 30 }, (_, i) => ({ ...failed, id: `gen-${i + 1}` }));
    // The exact count answers only once the customers were asked for (or after three seconds,
    // when they are asked after it, as ReferenceField's own getMany would be).
    let customersAsked = () => {};
    const asked = new Promise<void>((resolve) => (customersAsked = resolve));
    let countWaitedFor: 'customers' | 'nothing' | null = null;
    await renderApp({
      role: 'finance',
      initialPath: '/generations',
      handlers: [
        table('customers', () => {
          customersAsked();
          return [{ id: 'pass-1', email: 'ada@example.com', first_name: 'Ada', last_name: 'L' }];
        }),
        // Holds the count, then falls through to the table below (msw's next handler).
        http.get(`${REST}/generations`, async ({ request }) => {
          if (request.headers.get('prefer') !== 'count=exact') return;
          countWaitedFor = await Promise.race([
            asked.then(() => 'customers' as const),
            new Promise<'nothing'>((resolve) => setTimeout(() => resolve('nothing'), 3000)),
          ]);
        }),
        table('generations', thirty),
      ],
    });
    expect(await screen.findByText('1-25 of 30')).toBeInTheDocument();
    expect((await screen.findAllByText('ada@example.com')).length).toBeGreaterThan(0);
    expect(countWaitedFor).toBe('customers');
    // One request for them: the ReferenceFields read what came with the page.
    expect(requestsTo('customers')).toHaveLength(1);
  });

  it('refunds a failed generation with a reason and shows the server refusal', async () => {
    let refunded: string | null = null;
    await renderApp({
      role: 'support',
      initialPath: '/generations/gen-1/show',
      handlers: [
        table('generations', () => [{ ...failed, refunded_at: refunded }]),
        rpc('refund_generation', (_body, call) => {
          if (call === 0)
            return pgError(
              409,
              'This generation charged no credits, so there is nothing to refund.',
            );
          refunded = '2026-01-11T10:00:00Z';
          return { transaction_id: 5, balance: 10, replayed: false };
        }),
      ],
    });
    expect(await screen.findByText('Provider timeout after 60s')).toBeInTheDocument();
    expect(screen.getByText('A lighthouse at dusk')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: /refund/i }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/reason/i), 'Timeout');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Refund' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('nothing to refund');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Refund' }));
    // Refunded: the record is read again and the button is gone.
    await waitFor(() =>
      expect(screen.queryByRole('button', { name: /refund/i })).not.toBeInTheDocument(),
    );
    expect(rpcCalls('refund_generation')[1]).toEqual({
      p_generation_id: 'gen-1',
      p_reason: 'Timeout',
    });
  });

  it('offers no refund to finance, nor on a succeeded generation', async () => {
    await renderApp({
      role: 'finance',
      initialPath: '/generations/gen-1/show',
      handlers: [table('generations', [failed])],
    });
    await screen.findByText('A lighthouse at dusk');
    expect(screen.queryByRole('button', { name: /refund/i })).not.toBeInTheDocument();
  });

  it('previews an image output', async () => {
    const ok = {
      ...failed,
      status: 'succeeded',
      error: null,
      output_url: 'https://cdn.test/out.png',
    };
    await renderApp({
      role: 'admin',
      initialPath: '/generations/gen-1/show',
      handlers: [table('generations', [ok])],
    });
    expect(await screen.findByRole('img', { name: /generated output/i })).toHaveAttribute(
      'src',
      'https://cdn.test/out.png',
    );
    expect(screen.queryByRole('button', { name: /refund/i })).not.toBeInTheDocument();
  });

  const succeeded = (fields: Record<string, unknown>) => ({
    ...failed,
    status: 'succeeded',
    error: null,
    ...fields,
  });
  const show = (record: Record<string, unknown>, handlers: RequestHandler[] = []) =>
    renderApp({
      role: 'support',
      initialPath: '/generations/gen-1/show',
      handlers: [table('generations', [record]), ...handlers],
    });

  it('previews the content types the data stores: image, video with controls, text inline', async () => {
    await show(succeeded({ content_type: 'image', output_url: 'https://cdn.test/a.png' }));
    expect(await screen.findByRole('img', { name: /generated output/i })).toHaveAttribute(
      'src',
      'https://cdn.test/a.png',
    );
  });

  it('previews a video with its controls', async () => {
    await show(succeeded({ content_type: 'video', output_url: 'https://cdn.test/a.mp4' }));
    const video = await screen.findByLabelText(/generated video/i);
    expect(video.tagName).toBe('VIDEO');
    expect(video).toHaveAttribute('controls');
    expect(video).toHaveAttribute('src', 'https://cdn.test/a.mp4');
  });

  it('shows a text output inline, as text, fetched without credentials', async () => {
    let credentials: string | undefined;
    await show(succeeded({ content_type: 'text', output_url: 'https://cdn.test/a.txt' }), [
      http.get('https://cdn.test/a.txt', ({ request }) => {
        credentials = request.credentials;
        return new HttpResponse('<b>Ten tips</b> for better sleep', {
          headers: { 'content-type': 'text/plain; charset=utf-8' },
        });
      }),
    ]);
    const text = await screen.findByText('<b>Ten tips</b> for better sleep');
    expect(text.tagName).toBe('PRE');
    expect(credentials).toBe('omit');
  });

  it('links to a text output it may not read', async () => {
    await show(succeeded({ content_type: 'text', output_url: 'https://cdn.test/b.txt' }), [
      http.get('https://cdn.test/b.txt', () => HttpResponse.error()),
    ]);
    const link = await screen.findByRole('link', { name: /open the output in a new tab/i });
    expect(link).toHaveAttribute('href', 'https://cdn.test/b.txt');
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  });

  for (const [contentType, url] of [
    ['text', 'javascript:alert(document.cookie)'],
    ['image', 'data:image/svg+xml,<svg onload=alert(1)>'],
    ['video', 'javascript:alert(1)'],
  ])
    it(`puts no ${contentType} output URL that is not http(s) into src or href`, async () => {
      await show(succeeded({ content_type: contentType, output_url: url }));
      expect(await screen.findByRole('note')).toHaveTextContent('not a web address');
      expect(
        document.querySelector('[href^="javascript:"], [src^="javascript:"], [src^="data:"]'),
      ).toBeNull();
      expect(screen.queryByRole('link', { name: /open output/i })).not.toBeInTheDocument();
    });
});

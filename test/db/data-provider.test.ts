// The app's own data provider (ra-supabase's, extended with CreditDesk's RPC methods) against
// the real stack: the same code the browser runs, with supabase-js signed in as staff.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import ws from 'ws';
import { createClient } from '@supabase/supabase-js';
import type { Database } from '@/types/database';
import type { CreditDeskDataProvider } from '@/providers/dataProvider';
import {
  DEMO,
  DEMO_PASSWORD,
  newCustomer,
  serviceClient,
  signedIn,
  stack,
  unique,
} from '../support/db';

let support: CreditDeskDataProvider;
let finance: CreditDeskDataProvider;
let admin: CreditDeskDataProvider;

async function providerFor(
  email: string,
  options?: { exactCountBelow?: number },
): Promise<CreditDeskDataProvider> {
  const client = createClient<Database>(stack().url, stack().anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: ws as never },
  });
  const { error } = await client.auth.signInWithPassword({ email, password: DEMO_PASSWORD });
  if (error) throw error;
  const { createDataProvider } = await import('@/providers/dataProvider');
  return createDataProvider(client, options);
}

beforeAll(async () => {
  // The provider module reads the build's VITE_ variables and makes a default client at
  // import; Node 20 has no global WebSocket for supabase-js's realtime client.
  vi.stubEnv('VITE_SUPABASE_URL', stack().url);
  vi.stubEnv('VITE_SUPABASE_ANON_KEY', stack().anonKey);
  (globalThis as { WebSocket?: unknown }).WebSocket ??= ws;
  support = await providerFor(DEMO.support);
  finance = await providerFor(DEMO.finance);
  admin = await providerFor(DEMO.admin);
});

async function readCustomer(id: string) {
  const { data } = await serviceClient().from('customers').select('*').eq('id', id).single();
  return data;
}

describe('data provider against the embedded stack', () => {
  it('whoami gives each login its role', async () => {
    expect((await support.whoami()).role).toBe('support');
    expect((await finance.whoami()).role).toBe('finance');
  });

  it('getList turns q into a search and pages with a total', async () => {
    const { data } = await serviceClient()
      .from('customers')
      .select('email')
      .like('email', '%example.com')
      .limit(1);
    const someone = data![0];
    const result = await support.getList('customers', {
      pagination: { page: 1, perPage: 5 },
      sort: { field: 'last_active', order: 'DESC' },
      filter: { q: someone!.email },
    });
    expect(result.data.map((c) => c.email)).toContain(someone!.email);
    expect(result.total).toBeGreaterThanOrEqual(1);
  });

  it('sorts customers by balance through the balance index, with filters, search and an exact total', async () => {
    const sorted = async (order: 'ASC' | 'DESC', filter: Record<string, unknown>) =>
      support.getList('customers', {
        pagination: { page: 2, perPage: 7 },
        sort: { field: 'credits', order },
        filter,
        // As the list screen sends it (for its dates).
        meta: { nullslast: true },
      });
    const expected = async (ascending: boolean, positive: boolean) => {
      let query = serviceClient().from('customers').select('*', { count: 'exact' });
      if (positive) query = query.gt('credits', 0);
      const { data, count } = await query
        .order('credits', { ascending })
        .order('id', { ascending: true })
        .range(0, 40);
      return { data: data!, count };
    };
    for (const [order, filter] of [
      ['DESC', {}],
      ['ASC', { has_credits: true }],
    ] as const) {
      const result = await sorted(order, filter);
      const truth = await expected(order === 'ASC', 'has_credits' in filter);
      expect(result.total).toBe(truth.count);
      expect(result.data).toHaveLength(7);
      // The page is the 8th–14th balances in that order; ties may come in any id order.
      const balances = result.data.map((c) => c.credits);
      expect(balances).toEqual(truth.data.slice(7, 14).map((c) => c.credits));
      for (const row of result.data) {
        const whole = truth.data.find((c) => c.id === row.id) ?? (await readCustomer(row.id));
        // The customer's own row, not the balance row it was found through.
        expect(row).toEqual(whole);
      }
    }
    // A search, or a filter on the customer's own columns, keeps the plain sort: same order.
    const { data: someone } = await serviceClient()
      .from('customers')
      .select('email')
      .like('email', '%example.com')
      .gt('credits', 0)
      .limit(1)
      .single();
    const searched = await support.getList('customers', {
      pagination: { page: 1, perPage: 5 },
      sort: { field: 'credits', order: 'DESC' },
      filter: { q: someone!.email, disabled: false },
    });
    expect(searched.data.map((c) => c.email)).toContain(someone!.email);
    const credits = searched.data.map((c) => c.credits);
    expect(credits).toEqual([...credits].sort((a, b) => b - a));
  });

  it('a search made of filter syntax finds nothing and breaks nothing', async () => {
    const result = await support.getList('customers', {
      pagination: { page: 1, perPage: 5 },
      sort: { field: 'id', order: 'ASC' },
      // Were the syntax honoured, `id.neq.` would match every customer.
      filter: { q: 'qqqzzz),id.neq.(' },
    });
    expect(result.data).toEqual([]);
  });

  it('big tables are counted by estimate, and still page', async () => {
    const result = await finance.getList('generations', {
      pagination: { page: 2, perPage: 25 },
      sort: { field: 'created_at', order: 'DESC' },
      filter: { status: 'failed' },
    });
    expect(result.data).toHaveLength(25);
    expect(result.data.every((g) => g.status === 'failed')).toBe(true);
    expect(result.total).toBeGreaterThan(25);
  });

  it('above the exact-count threshold the total is an estimate, paging follows the rows, and a short last page tells the exact total', async () => {
    const low = await providerFor(DEMO.finance, { exactCountBelow: 100 });
    const { count } = await serviceClient()
      .from('generations')
      .select('id', { count: 'exact', head: true })
      .eq('status', 'failed');
    // A page size that leaves the last page short, whatever the seed's count.
    const perPage = [25, 24, 23].find((n) => count! % n !== 0)!;
    const lastPage = Math.ceil(count! / perPage);
    const page = (n: number) =>
      low.getList('generations', {
        pagination: { page: n, perPage },
        sort: { field: 'created_at', order: 'DESC' },
        filter: { status: 'failed' },
      });
    const first = await page(1);
    expect(first.total).toBeUndefined();
    expect((first.meta as { estimatedTotal: number }).estimatedTotal).toBeGreaterThan(0);
    expect(first.pageInfo).toEqual({ hasPreviousPage: false, hasNextPage: true });
    const last = await page(lastPage);
    expect(last.data).toHaveLength(count! - (lastPage - 1) * perPage);
    expect(last.total).toBe(count);
    // Below the threshold the same list is counted exactly.
    expect(
      (
        await finance.getList('generations', {
          pagination: { page: 1, perPage: 25 },
          sort: { field: 'created_at', order: 'DESC' },
          filter: { status: 'failed' },
        })
      ).total,
    ).toBe(count);
  });

  it("a list's customers come with its page: asked alongside the exact count, equal to the table's", async () => {
    // The requests as they start and end (ra-data-postgrest sends them with the global fetch).
    const events: string[] = [];
    const realFetch = globalThis.fetch;
    const fetchSpy = vi
      .spyOn(globalThis, 'fetch')
      .mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = decodeURIComponent(String(input instanceof Request ? input.url : input));
        const prefer = new Headers(init?.headers).get('prefer') ?? '';
        const name = url.includes('/rest/v1/customers')
          ? 'customers'
          : prefer.includes('count=exact')
            ? 'exact count'
            : 'other';
        events.push(`${name} asked`);
        const response = await realFetch(input, init);
        events.push(`${name} answered`);
        return response;
      });
    const result = await finance.getList('generations', {
      pagination: { page: 1, perPage: 25 },
      sort: { field: 'created_at', order: 'DESC' },
      filter: {},
      meta: { prefetch: ['customers'] },
    });
    fetchSpy.mockRestore();
    expect(result.data).toHaveLength(25);
    const customers = (
      result.meta as { prefetched: { customers: { id: string; email: string }[] } }
    ).prefetched.customers;
    const ids = new Set(result.data.map((g) => g.customer_id as string));
    expect(new Set(customers.map((c) => c.id))).toEqual(ids);
    const { data: expected } = await serviceClient()
      .from('customers')
      .select('id, email')
      .in('id', [...ids]);
    for (const c of expected!) expect(customers.find((p) => p.id === c.id)?.email).toBe(c.email);
    // One request for the customers, out while the count is: two round trips after the page
    // became one.
    expect(events.filter((e) => e === 'customers asked')).toHaveLength(1);
    expect(events.indexOf('customers asked')).toBeLessThan(events.indexOf('exact count answered'));
    expect(events.indexOf('exact count asked')).toBeLessThan(events.indexOf('customers answered'));
  });

  it("a customer's tab is counted exactly in the page request, even above the threshold", async () => {
    // A threshold below the customer's count: countByThreshold would answer "about N".
    const low = await providerFor(DEMO.support, { exactCountBelow: 2 });
    const { data: heaviest } = await serviceClient()
      .from('customer_daily_activity')
      .select('customer_id')
      .order('generations', { ascending: false })
      .limit(1)
      .single();
    const customerId = heaviest!.customer_id;
    const { count } = await serviceClient()
      .from('generations')
      .select('id', { count: 'exact', head: true })
      .eq('customer_id', customerId);
    expect(count).toBeGreaterThan(10);
    // ra-data-postgrest sends the list requests with the global fetch.
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const result = await low.getManyReference('generations', {
      target: 'customer_id',
      id: customerId,
      pagination: { page: 1, perPage: 10 },
      sort: { field: 'created_at', order: 'DESC' },
      filter: {},
    });
    expect(result.data).toHaveLength(10);
    expect(result.data.every((g) => g.customer_id === customerId)).toBe(true);
    expect(result.total).toBe(count);
    const tableRequests = fetchSpy.mock.calls.filter(([input]) =>
      String(input instanceof Request ? input.url : input).includes('/rest/v1/generations'),
    );
    fetchSpy.mockRestore();
    expect(tableRequests).toHaveLength(1);
  });

  it('names colleagues and offers the generation filter values to any staff member', async () => {
    const choices = await finance.generationFilterChoices();
    expect(choices.providers).toEqual(expect.arrayContaining(['wavespeed', 'openai', 'fal']));
    expect(choices.models).toContainEqual({ provider: 'fal', model: 'fal-ai/flux-pro' });
    expect(choices.types.map((t) => t.type_key)).toContain('text_to_image');
    const { data: rows } = await serviceClient().from('staff').select('user_id, email').limit(2);
    const named = await finance.getMany('rpc/staff_directory', {
      ids: rows!.map((r) => r.user_id),
    });
    expect(named.data.map((r) => r.email).sort()).toEqual(rows!.map((r) => r.email).sort());
  });

  it('adjustCredits replays with the same key, and the server message reaches the caller', async () => {
    const adminClient = await signedIn(DEMO.admin);
    const customerId = await newCustomer(adminClient, 10);
    const key = unique('dp-adjust');
    const first = await support.adjustCredits({
      customerId,
      delta: 5,
      reason: 'provider test',
      idempotencyKey: key,
    });
    const again = await support.adjustCredits({
      customerId,
      delta: 5,
      reason: 'provider test',
      idempotencyKey: key,
    });
    expect(first).toMatchObject({ balance: 15, replayed: false });
    expect(again).toMatchObject({
      balance: 15,
      replayed: true,
      transaction_id: first.transaction_id,
    });
    await expect(
      support.adjustCredits({
        customerId,
        delta: -100,
        reason: 'too much',
        idempotencyKey: unique('dp'),
      }),
    ).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/cannot go below 0.*Remove at most 15 credits/),
    });
    await expect(
      finance.adjustCredits({
        customerId,
        delta: 5,
        reason: 'finance',
        idempotencyKey: unique('dp'),
      }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('setCustomerDisabled and refundGeneration go through', async () => {
    const adminClient = await signedIn(DEMO.admin);
    const customerId = await newCustomer(adminClient, 10);
    expect(
      await support.setCustomerDisabled({ customerId, disabled: true, reason: 'provider test' }),
    ).toEqual({ id: customerId, disabled: true });
    const gen = unique('gen');
    await serviceClient()
      .from('generations')
      .insert({ id: gen, customer_id: customerId, status: 'failed' });
    await serviceClient().rpc('refund_credits', { p_customer_id: customerId, p_amount: 1 });
    await serviceClient().from('generations').update({ credits_charged: 0 }).eq('id', gen);
    await expect(
      support.refundGeneration({ generationId: gen, reason: 'nothing charged' }),
    ).rejects.toMatchObject({ status: 409 });
  });

  it('a config update carries the version it read; a stale one is refused with the conflict message', async () => {
    const key = unique('dp.knob');
    await serviceClient().from('runtime_config').insert({ key, value: 1 });
    const { data: read } = await admin.getOne('runtime_config', { id: key });
    const saved = await admin.update('runtime_config', {
      id: key,
      data: { ...read, value: 2 },
      previousData: read,
    });
    expect(saved.data).toMatchObject({ value: 2, version: 2 });
    await expect(
      admin.update('runtime_config', { id: key, data: { ...read, value: 3 }, previousData: read }),
    ).rejects.toMatchObject({ status: 409 });
    const { data: row } = await serviceClient()
      .from('runtime_config')
      .select('value')
      .eq('key', key)
      .single();
    expect(row!.value).toBe(2);
  });

  it('a customer profile save sends only editable fields, so the row with its balance saves', async () => {
    const adminClient = await signedIn(DEMO.admin);
    const customerId = await newCustomer(adminClient, 10);
    const { data: read } = await support.getOne('customers', { id: customerId });
    const saved = await support.update('customers', {
      id: customerId,
      data: { ...read, display_name: 'Saved by provider', credits: 999999 },
      previousData: read,
    });
    expect(saved.data).toMatchObject({ display_name: 'Saved by provider', credits: 10 });
  });

  it('dashboardMetrics answers for finance with the daily series', async () => {
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 6 * 86400_000).toISOString().slice(0, 10);
    const metrics = (await finance.dashboardMetrics({ from, to })) as {
      generations: number;
      daily: unknown[];
    };
    expect(metrics.daily).toHaveLength(7);
    expect(metrics.generations).toBeGreaterThan(0);
  });
});

describe('customer search', () => {
  it('matches every word across email, names, pass id and Shopify id, for staff only', async () => {
    const adminClient = await signedIn(DEMO.admin);
    const id = await newCustomer(adminClient);
    await serviceClient()
      .from('customers')
      .update({ first_name: 'Zebulon', last_name: 'Quist', shopify_customer_id: unique('shop') })
      .eq('id', id);
    const search = (q: string) =>
      support.getList('customers', {
        pagination: { page: 1, perPage: 10 },
        sort: { field: 'last_active', order: 'DESC' },
        filter: { q },
      });
    expect((await search('zebulon quist')).data.map((c) => c.id)).toEqual([id]);
    expect((await search('zebulon nobody')).data).toEqual([]);
    // LIKE wildcards are literal: `_` would otherwise match the `-` in every test id.
    expect((await search('cust_')).total).toBe(0);
    const customer = await signedIn(DEMO.customer);
    const refused = await customer.rpc('search_customers', { p_q: 'zebulon' });
    expect(refused.status).toBe(403);
  });
});

// The access matrix of DESIGN.md, cell by cell, through the real PostgREST with real JWTs:
// every table for select / insert / update / delete and every RPC, for anon, a signed-in
// customer who is not staff, finance, support, admin and a disabled staff member.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  anonClient,
  DEMO,
  newUser,
  serviceClient,
  signedIn,
  unique,
  type Client,
} from '../support/db';

type Actor = 'anon' | 'customer' | 'finance' | 'support' | 'admin' | 'disabled';
const ACTORS: Actor[] = ['anon', 'customer', 'finance', 'support', 'admin', 'disabled'];
const STAFF: Actor[] = ['finance', 'support', 'admin'];
const WRITERS: Actor[] = ['support', 'admin'];
const ADMIN: Actor[] = ['admin'];

const clients = {} as Record<Actor, Client>;
const ids = {} as Record<string, string>;

beforeAll(async () => {
  clients.anon = anonClient();
  clients.customer = await signedIn(DEMO.customer);
  clients.finance = await signedIn(DEMO.finance);
  clients.support = await signedIn(DEMO.support);
  clients.admin = await signedIn(DEMO.admin);
  clients.disabled = (await newUser('support', { disabled: true })).client;

  const service = serviceClient();
  const first = async (table: string, column: string) => {
    const { data, error } = await service
      .from(table as never)
      .select(column)
      .limit(1)
      .single();
    if (error) throw error;
    return String((data as Record<string, unknown>)[column]);
  };
  ids.customer = await first('customers', 'id');
  ids.session = await first('sessions', 'id');
  ids.generation = await first('generations', 'id');
  ids.feedback = await first('feedback', 'id');
  ids.ledger = await first('credit_transactions', 'id');
  ids.audit = await first('admin_audit', 'id');
  ids.adminSession = await first('admin_sessions', 'id');
  ids.block = await first('credit_blocks', 'id');
  ids.draw = await first('credit_block_draws', 'id');
});

/** What a select returns: the rows seen, or the refusal. */
async function selectAs(actor: Actor, table: string) {
  const { data, error, status } = await clients[actor]
    .from(table as never)
    .select('*')
    .limit(50);
  return { rows: (data ?? []) as Record<string, unknown>[], error, status };
}

// Tables every enabled staff member reads in full and nobody else sees a row of.
const STAFF_READ = [
  'customers',
  'sessions',
  'generations',
  'feedback',
  'credit_transactions',
  'credit_blocks',
  'credit_block_draws',
  'customer_balances',
  'generation_types',
  'runtime_config',
  'app_config',
  'admin_audit',
];

describe('select', () => {
  for (const table of STAFF_READ) {
    for (const actor of ACTORS) {
      const allowed = STAFF.includes(actor);
      it(`${table}: ${actor} ${allowed ? 'reads rows' : 'sees nothing'}`, async () => {
        const { rows, error, status } = await selectAs(actor, table);
        if (allowed) {
          expect(error).toBeNull();
          expect(rows.length).toBeGreaterThan(0);
        } else if (actor === 'anon') {
          // anon has no grant at all: PostgREST answers 401 permission denied.
          expect(status).toBe(401);
          expect(error?.code).toBe('42501');
        } else {
          expect(error).toBeNull();
          expect(rows).toEqual([]);
        }
      });
    }
  }

  for (const table of ['staff', 'admin_sessions']) {
    for (const actor of ACTORS) {
      it(`${table}: ${actor} sees ${actor === 'admin' ? 'every row' : STAFF.includes(actor) ? 'only own rows' : 'nothing'}`, async () => {
        const { rows, error, status } = await selectAs(actor, table);
        if (actor === 'anon') return expect(status).toBe(401);
        expect(error).toBeNull();
        if (!STAFF.includes(actor)) return expect(rows).toEqual([]);
        const me = (await clients[actor].auth.getUser()).data.user!.id;
        expect(rows.length).toBeGreaterThan(0);
        const owners = new Set(rows.map((r) => r.user_id));
        if (actor === 'admin') expect(owners.size).toBeGreaterThan(1);
        else expect([...owners]).toEqual([me]);
      });
    }
  }

  for (const table of [
    'generation_daily_stats',
    'generation_daily_models',
    'generation_daily_providers',
    'ledger_daily_stats',
    'customer_daily_activity',
    'finance_daily_stats',
    'finance_daily_deltas',
    'customer_daily_revenue',
    'customer_monthly_revenue',
  ]) {
    for (const actor of ACTORS) {
      it(`${table} (rollup): ${actor} is refused; dashboards read it through dashboard_metrics`, async () => {
        const { error, status } = await selectAs(actor, table);
        expect(error?.code).toBe('42501');
        expect(status).toBe(actor === 'anon' ? 401 : 403);
      });
    }
  }
});

/** A PATCH that should change exactly one row when allowed, and nothing otherwise. */
async function patchAs(
  actor: Actor,
  table: string,
  key: string,
  id: string,
  values: Record<string, unknown>,
) {
  const { data, error, status } = await clients[actor]
    .from(table as never)
    .update(values as never)
    .eq(key, id)
    .select();
  return { rows: (data ?? []) as unknown[], error, status };
}

async function readBack(table: string, key: string, id: string) {
  const { data } = await serviceClient()
    .from(table as never)
    .select('*')
    .eq(key, id)
    .single();
  return data as unknown as Record<string, unknown>;
}

describe('update', () => {
  const cases: {
    table: string;
    key: string;
    id: () => string;
    values: () => Record<string, unknown>;
    allowed: Actor[];
  }[] = [
    {
      table: 'customers',
      key: 'id',
      id: () => ids.customer,
      values: () => ({ display_name: unique('Name') }),
      allowed: WRITERS,
    },
    {
      table: 'feedback',
      key: 'id',
      id: () => ids.feedback,
      values: () => ({ admin_note: unique('note') }),
      allowed: WRITERS,
    },
    {
      table: 'generation_types',
      key: 'type_key',
      id: () => 'upscale',
      values: () => ({ display_name: unique('Upscale') }),
      allowed: ADMIN,
    },
    {
      table: 'runtime_config',
      key: 'key',
      id: () => 'maintenance.message',
      values: () => ({ description: unique('desc') }),
      allowed: ADMIN,
    },
    {
      table: 'app_config',
      key: 'key',
      id: () => 'links.terms',
      values: () => ({ description: unique('desc') }),
      allowed: ADMIN,
    },
    {
      table: 'generations',
      key: 'id',
      id: () => ids.generation,
      values: () => ({ prompt: unique('p') }),
      allowed: [],
    },
    {
      table: 'sessions',
      key: 'id',
      id: () => ids.session,
      values: () => ({ title: unique('t') }),
      allowed: [],
    },
    {
      table: 'credit_transactions',
      key: 'id',
      id: () => ids.ledger,
      values: () => ({ reason: unique('r') }),
      allowed: [],
    },
    {
      table: 'admin_audit',
      key: 'id',
      id: () => ids.audit,
      values: () => ({ action: unique('a') }),
      allowed: [],
    },
    {
      table: 'credit_blocks',
      key: 'id',
      id: () => ids.block,
      values: () => ({ expires_at: '2099-01-01T00:00:00+00:00' }),
      allowed: [],
    },
    {
      table: 'credit_block_draws',
      key: 'id',
      id: () => ids.draw,
      values: () => ({ amount: 1 }),
      allowed: [],
    },
    {
      table: 'customer_balances',
      key: 'customer_id',
      id: () => ids.customer,
      values: () => ({ credits: 1_000_000 }),
      allowed: [],
    },
    {
      table: 'admin_sessions',
      key: 'id',
      id: () => ids.adminSession,
      values: () => ({ ip: '1.2.3.4' }),
      allowed: [],
    },
  ];
  for (const c of cases) {
    for (const actor of ACTORS) {
      const allowed = c.allowed.includes(actor);
      it(`${c.table}: ${actor} ${allowed ? 'may' : 'may not'} update`, async () => {
        const before = await readBack(c.table, c.key, c.id());
        const values = c.values();
        // Config saves carry the version they were read at (optimistic concurrency).
        const precondition = 'version' in before ? { expected_version: before.version } : {};
        const { rows, error } = await patchAs(actor, c.table, c.key, c.id(), {
          ...values,
          ...precondition,
        });
        const after = await readBack(c.table, c.key, c.id());
        if (allowed) {
          expect(error).toBeNull();
          expect(rows).toHaveLength(1);
          for (const [k, v] of Object.entries(values)) expect(after[k]).toEqual(v);
        } else {
          // Either refused outright or filtered to zero rows by RLS; either way nothing changed.
          expect(error !== null || rows.length === 0).toBe(true);
          expect(after).toEqual(before);
        }
      });
    }
  }

  it('customers.credits cannot be written, even by an admin', async () => {
    const before = await readBack('customers', 'id', ids.customer);
    const { error, status } = await patchAs('admin', 'customers', 'id', ids.customer, {
      credits: 999999,
    });
    expect(status).toBe(403);
    expect(error?.code).toBe('42501');
    expect(await readBack('customers', 'id', ids.customer)).toEqual(before);
  });

  it('customers.disabled cannot be written directly, only through set_customer_disabled', async () => {
    const { error } = await patchAs('support', 'customers', 'id', ids.customer, { disabled: true });
    expect(error?.code).toBe('42501');
  });

  it('the service role cannot write a balance either', async () => {
    const { error } = await serviceClient()
      .from('customers')
      .update({ credits: 5 } as never)
      .eq('id', ids.customer);
    expect(error?.code).toBe('42501');
    // Nor the balance row that customers.credits follows.
    const before = await readBack('customer_balances', 'customer_id', ids.customer);
    const balance = await serviceClient()
      .from('customer_balances' as never)
      .update({ credits: 5 } as never)
      .eq('customer_id', ids.customer);
    expect(balance.error?.code).toBe('42501');
    expect(await readBack('customer_balances', 'customer_id', ids.customer)).toEqual(before);
  });

  it('staff: only an admin changes roles, through set_staff_role with a reason; a PATCH changes nothing', async () => {
    const target = await newUser('finance');
    // The admin goes last so every refusal is checked against the unchanged role.
    for (const actor of [...ACTORS.filter((a) => a !== 'admin'), 'admin' as Actor]) {
      const { rows, error } = await patchAs(actor, 'staff', 'user_id', target.id, {
        role: 'support',
      });
      expect(error !== null || rows.length === 0).toBe(true);
      expect((await readBack('staff', 'user_id', target.id)).role).toBe('finance');
    }
    const { error } = await clients.admin.rpc('set_staff_role', {
      p_user_id: target.id,
      p_role: 'support',
      p_reason: 'matrix',
    });
    expect(error).toBeNull();
    expect((await readBack('staff', 'user_id', target.id)).role).toBe('support');
  });
});

describe('insert', () => {
  const rowFor: Record<string, () => Record<string, unknown>> = {
    customers: () => ({ id: unique('c'), email: 'x@example.com' }),
    sessions: () => ({ id: unique('s'), customer_id: ids.customer }),
    generations: () => ({ id: unique('g'), customer_id: ids.customer }),
    feedback: () => ({ id: unique('f'), comment: 'x' }),
    credit_transactions: () => ({
      customer_id: ids.customer,
      type: 'grant',
      delta: 100,
      balance_after: 100,
    }),
    generation_types: () => ({
      type_key: unique('t').toLowerCase(),
      display_name: 'T',
      cost_credits: 1,
    }),
    runtime_config: () => ({ key: unique('k'), value: true }),
    app_config: () => ({ key: unique('k'), value: 'x' }),
    admin_audit: () => ({ action: 'forged.action' }),
    credit_blocks: () => ({
      customer_id: ids.customer,
      kind: 'free',
      source_transaction_id: Number(ids.ledger),
      original: 100,
      remaining: 100,
      unit_price_usd: 0,
    }),
    credit_block_draws: () => ({
      transaction_id: Number(ids.ledger),
      block_id: Number(ids.block),
      amount: -5,
    }),
    customer_balances: () => ({ customer_id: unique('c'), credits: 100 }),
    admin_sessions: () => ({ user_id: '00000000-0000-0000-0000-000000000000', session_hash: 'x' }),
  };
  const allowedFor: Record<string, Actor[]> = {
    generation_types: ADMIN,
    runtime_config: ADMIN,
    app_config: ADMIN,
  };
  for (const [table, row] of Object.entries(rowFor)) {
    for (const actor of ACTORS) {
      const allowed = (allowedFor[table] ?? []).includes(actor);
      it(`${table}: ${actor} ${allowed ? 'may' : 'may not'} insert`, async () => {
        const values = row();
        const { data, error, status } = await clients[actor]
          .from(table as never)
          .insert(values as never)
          .select();
        if (allowed) {
          expect(error).toBeNull();
          expect(data).toHaveLength(1);
          const key = table === 'generation_types' ? 'type_key' : 'key';
          await serviceClient()
            .from(table as never)
            .delete()
            .eq(key, values[key] as string);
        } else {
          expect(error?.code).toBe('42501');
          expect(status).toBe(actor === 'anon' ? 401 : 403);
        }
      });
    }
  }
});

describe('delete', () => {
  const deletable: { table: string; key: string; make: () => Promise<string>; allowed: Actor[] }[] =
    [
      // An admin removes a type through remove_generation_type, with a reason (below).
      {
        table: 'generation_types',
        key: 'type_key',
        allowed: [],
        make: async () => {
          const k = unique('del').toLowerCase();
          await serviceClient()
            .from('generation_types')
            .insert({ type_key: k, display_name: 'D', cost_credits: 1 });
          return k;
        },
      },
      {
        table: 'runtime_config',
        key: 'key',
        allowed: ADMIN,
        make: async () => {
          const k = unique('del');
          await serviceClient().from('runtime_config').insert({ key: k, value: 1 });
          return k;
        },
      },
      {
        table: 'app_config',
        key: 'key',
        allowed: ADMIN,
        make: async () => {
          const k = unique('del');
          await serviceClient().from('app_config').insert({ key: k, value: 1 });
          return k;
        },
      },
      { table: 'customers', key: 'id', allowed: [], make: async () => ids.customer },
      { table: 'generations', key: 'id', allowed: [], make: async () => ids.generation },
      { table: 'sessions', key: 'id', allowed: [], make: async () => ids.session },
      { table: 'feedback', key: 'id', allowed: [], make: async () => ids.feedback },
      { table: 'credit_transactions', key: 'id', allowed: [], make: async () => ids.ledger },
      { table: 'admin_audit', key: 'id', allowed: [], make: async () => ids.audit },
      { table: 'credit_blocks', key: 'id', allowed: [], make: async () => ids.block },
      { table: 'credit_block_draws', key: 'id', allowed: [], make: async () => ids.draw },
      {
        table: 'customer_balances',
        key: 'customer_id',
        allowed: [],
        make: async () => ids.customer,
      },
      { table: 'admin_sessions', key: 'id', allowed: [], make: async () => ids.adminSession },
    ];
  for (const d of deletable) {
    for (const actor of ACTORS) {
      const allowed = d.allowed.includes(actor);
      it(`${d.table}: ${actor} ${allowed ? 'may' : 'may not'} delete`, async () => {
        const id = await d.make();
        const { data, error } = await clients[actor]
          .from(d.table as never)
          .delete()
          .eq(d.key, id)
          .select();
        const { data: still } = await serviceClient()
          .from(d.table as never)
          .select(d.key)
          .eq(d.key, id);
        if (allowed) {
          expect(error).toBeNull();
          expect(data).toHaveLength(1);
          expect(still).toEqual([]);
        } else {
          expect(error !== null || (data ?? []).length === 0).toBe(true);
          expect(still).toHaveLength(1);
        }
      });
    }
  }

  it('staff: nobody removes a staff member by DELETE; an admin does through remove_staff_member', async () => {
    const target = await newUser('support');
    for (const actor of ACTORS) {
      const { data, error } = await clients[actor]
        .from('staff')
        .delete()
        .eq('user_id', target.id)
        .select();
      expect(error !== null || (data ?? []).length === 0, actor).toBe(true);
    }
    expect((await readBack('staff', 'user_id', target.id)).role).toBe('support');
    const { data, error } = await clients.admin.rpc('remove_staff_member', {
      p_user_id: target.id,
      p_reason: 'matrix',
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({ user_id: target.id, role: 'support' });
  });
});

describe('RPC', () => {
  const today = new Date().toISOString().slice(0, 10);
  const calls: {
    name: string;
    label?: string;
    allowed: Actor[];
    args: () => Record<string, unknown>;
  }[] = [
    {
      name: 'whoami',
      allowed: ['customer', 'finance', 'support', 'admin', 'disabled'],
      args: () => ({}),
    },
    { name: 'dashboard_metrics', allowed: STAFF, args: () => ({ p_from: today, p_to: today }) },
    {
      name: 'dashboard_metrics',
      label: 'dashboard_metrics (drill-down, p_models_of)',
      allowed: STAFF,
      args: () => ({ p_from: today, p_to: today, p_models_of: 'wavespeed' }),
    },
    { name: 'touch_admin_session', allowed: STAFF, args: () => ({}) },
    { name: 'generation_filter_choices', allowed: STAFF, args: () => ({}) },
    { name: 'staff_directory', allowed: STAFF, args: () => ({}) },
    { name: 'refresh_planner_statistics', allowed: ADMIN, args: () => ({}) },
    // Refused callers must be stopped by the role check before the arguments matter, so the
    // arguments here are ones an allowed caller would get a 4xx for too (checked below).
    {
      name: 'adjust_credits',
      allowed: WRITERS,
      args: () => ({ p_customer_id: 'no-such-customer', p_delta: 5, p_reason: 'matrix' }),
    },
    {
      name: 'refund_generation',
      allowed: WRITERS,
      args: () => ({ p_generation_id: 'no-such-generation' }),
    },
    {
      name: 'set_customer_disabled',
      allowed: WRITERS,
      args: () => ({ p_customer_id: 'no-such-customer', p_disabled: true, p_reason: 'matrix' }),
    },
    {
      name: 'add_staff_member',
      allowed: ADMIN,
      args: () => ({ p_email: 'nobody@nowhere.example', p_role: 'support', p_reason: 'matrix' }),
    },
    {
      name: 'remove_staff_member',
      allowed: ADMIN,
      args: () => ({ p_user_id: '00000000-0000-0000-0000-000000000000', p_reason: 'matrix' }),
    },
    { name: 'database_advisor', allowed: ADMIN, args: () => ({}) },
    {
      name: 'remove_generation_type',
      allowed: ADMIN,
      args: () => ({ p_type_key: 'no-such-type', p_reason: 'matrix' }),
    },
    {
      name: 'set_generation_type_price',
      allowed: ADMIN,
      args: () => ({ p_type_key: 'no-such-type', p_cost_credits: 1, p_reason: 'matrix' }),
    },
    {
      name: 'set_staff_role',
      allowed: ADMIN,
      args: () => ({
        p_user_id: '00000000-0000-0000-0000-000000000000',
        p_role: 'support',
        p_reason: 'matrix',
      }),
    },
    {
      name: 'set_staff_disabled',
      allowed: ADMIN,
      args: () => ({
        p_user_id: '00000000-0000-0000-0000-000000000000',
        p_disabled: true,
        p_reason: 'matrix',
      }),
    },
    {
      name: 'grant_credits',
      allowed: WRITERS,
      args: () => ({ p_customer_id: 'no-such-customer', p_credits: 5, p_reason: 'matrix' }),
    },
    {
      name: 'extend_credit_expiry',
      allowed: WRITERS,
      args: () => ({
        p_block_id: 0,
        p_expires_at: new Date(Date.now() + 365 * 86_400_000).toISOString(),
        p_reason: 'matrix',
      }),
    },
    {
      name: 'finance_metrics',
      allowed: ['finance', 'admin'],
      args: () => ({ p_from: today, p_to: today }),
    },
    {
      name: 'purchase_credits',
      allowed: [],
      args: () => ({
        p_customer_id: ids.customer,
        p_credits: 500,
        p_amount_usd: 20,
        p_payment_ref: unique('matrix'),
        p_source: 'stripe',
      }),
    },
    {
      name: 'start_generation',
      allowed: [],
      args: () => ({
        p_customer_id: ids.customer,
        p_type: 'upscale',
        p_provider: 'wavespeed',
        p_model: 'm',
        p_prompt: 'p',
        p_idempotency_key: unique('matrix'),
      }),
    },
    {
      name: 'finish_generation',
      allowed: [],
      args: () => ({ p_generation_id: ids.generation, p_status: 'failed' }),
    },
    { name: 'expire_credits', allowed: [], args: () => ({}) },
    {
      name: 'consume_credits',
      allowed: [],
      args: () => ({ p_customer_id: ids.customer, p_amount: 1 }),
    },
    {
      name: 'refund_credits',
      allowed: [],
      args: () => ({ p_customer_id: ids.customer, p_amount: 1 }),
    },
  ];
  for (const c of calls) {
    for (const actor of ACTORS) {
      const allowed = c.allowed.includes(actor);
      it(`${c.label ?? c.name}: ${actor} is ${allowed ? 'let through' : 'refused'}`, async () => {
        const { error, status } = await clients[actor].rpc(c.name as never, c.args() as never);
        if (allowed) {
          // Let through the role check: success, or a 404 about the made-up record.
          expect([200, 204, 404]).toContain(status);
          if (status === 404)
            expect(error?.message).toMatch(
              /^No (customer|generation|account|credit block|staff member)/,
            );
        } else {
          expect(status).toBe(actor === 'anon' ? 401 : 403);
          expect(error?.code).toBe('42501');
        }
      });
    }
  }

  it('whoami tells each login its role, and null for a customer or a disabled staff member', async () => {
    const roles: Record<string, unknown> = {};
    for (const actor of ['customer', 'finance', 'support', 'admin', 'disabled'] as Actor[]) {
      const { data } = await clients[actor].rpc('whoami');
      roles[actor] = (data as { role: string | null }).role;
    }
    expect(roles).toEqual({
      customer: null,
      finance: 'finance',
      support: 'support',
      admin: 'admin',
      disabled: null,
    });
  });

  it('consume_credits and refund_credits work for the service role', async () => {
    const service = serviceClient();
    // A customer who can pay: the table's first row (ids.customer) may have 0 credits.
    const { data: before } = await service
      .from('customers')
      .select('id, credits')
      .gte('credits', 3)
      .eq('disabled', false)
      .is('deleted_at', null)
      .order('id')
      .limit(1)
      .single();
    const spend = await service.rpc('consume_credits', {
      p_customer_id: before!.id,
      p_amount: 3,
      p_idempotency_key: unique('svc-spend'),
    });
    expect(spend.error).toBeNull();
    const back = await service.rpc('refund_credits', {
      p_customer_id: before!.id,
      p_amount: 3,
      p_idempotency_key: unique('svc-refund'),
    });
    expect(back.error).toBeNull();
    const { data: after } = await service
      .from('customers')
      .select('credits')
      .eq('id', before!.id)
      .single();
    expect(after!.credits).toBe(before!.credits);
  });
});

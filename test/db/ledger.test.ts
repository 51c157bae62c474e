// The credit ledger's functions: success paths, every refusal with its status and message,
// and after each call the invariant credits = sum(delta) = latest balance_after.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO,
  ledgerViolations,
  newCustomer,
  serviceClient,
  signedIn,
  unique,
  type Client,
} from '../support/db';

let admin: Client;
let support: Client;
const touched: string[] = [];

beforeAll(async () => {
  admin = await signedIn(DEMO.admin);
  support = await signedIn(DEMO.support);
});

async function balance(id: string) {
  const { data } = await serviceClient().from('customers').select('credits').eq('id', id).single();
  return data!.credits;
}
async function ledgerCount(id: string) {
  const { count } = await serviceClient()
    .from('credit_transactions')
    .select('id', { count: 'exact', head: true })
    .eq('customer_id', id);
  return count ?? 0;
}
async function fresh(credits = 0) {
  const id = await newCustomer(admin, credits);
  touched.push(id);
  return id;
}

/** Calls an RPC expecting a refusal, and checks it changed neither balance nor ledger. */
async function refused(
  customerId: string,
  call: () => PromiseLike<{ error: unknown; status: number }>,
) {
  const before = { balance: await balance(customerId), rows: await ledgerCount(customerId) };
  const { error, status } = await call();
  expect(error).not.toBeNull();
  expect({ balance: await balance(customerId), rows: await ledgerCount(customerId) }).toEqual(
    before,
  );
  expect(await ledgerViolations([customerId])).toEqual([]);
  return { status, error: error as { message: string; code: string; hint: string | null } };
}

describe('adjust_credits', () => {
  it('credits and debits, returning the ledger row id and the new balance', async () => {
    const id = await fresh();
    const up = await support.rpc('adjust_credits', {
      p_customer_id: id,
      p_delta: 50,
      p_reason: 'Goodwill',
      p_idempotency_key: unique('k'),
    });
    expect(up.error).toBeNull();
    expect(up.data).toMatchObject({ balance: 50, replayed: false });
    const down = await support.rpc('adjust_credits', {
      p_customer_id: id,
      p_delta: -20,
      p_reason: 'Correction',
      p_idempotency_key: unique('k'),
    });
    expect(down.data).toMatchObject({ balance: 30 });
    const { data: rows } = await serviceClient()
      .from('credit_transactions')
      .select('*')
      .eq('customer_id', id)
      .order('id');
    expect(rows!.map((r) => [r.type, r.delta, r.balance_after, r.source, r.reason])).toEqual([
      ['adjustment', 50, 50, 'manual', 'Goodwill'],
      ['adjustment', -20, 30, 'manual', 'Correction'],
    ]);
    const { data: me } = await support.auth.getUser();
    expect(rows!.every((r) => r.actor === me.user!.id)).toBe(true);
    expect(await ledgerViolations([id])).toEqual([]);
  });

  it('a replayed idempotency key returns the first result and changes nothing', async () => {
    const id = await fresh();
    const key = unique('replay');
    const first = await support.rpc('adjust_credits', {
      p_customer_id: id,
      p_delta: 25,
      p_reason: 'Once',
      p_idempotency_key: key,
    });
    const second = await support.rpc('adjust_credits', {
      p_customer_id: id,
      p_delta: 25,
      p_reason: 'Once',
      p_idempotency_key: key,
    });
    expect(second.error).toBeNull();
    expect(second.data).toMatchObject({
      transaction_id: (first.data as { transaction_id: number }).transaction_id,
      balance: 25,
      replayed: true,
    });
    expect(await balance(id)).toBe(25);
    expect(await ledgerCount(id)).toBe(1);
  });

  it('a key reused for a different change is a 409 conflict', async () => {
    const id = await fresh(10);
    const key = unique('reuse');
    await support.rpc('adjust_credits', {
      p_customer_id: id,
      p_delta: 5,
      p_reason: 'A',
      p_idempotency_key: key,
    });
    const { status, error } = await refused(id, () =>
      support.rpc('adjust_credits', {
        p_customer_id: id,
        p_delta: 6,
        p_reason: 'B',
        p_idempotency_key: key,
      }),
    );
    expect(status).toBe(409);
    expect(error.message).toMatch(/already used for a different credit change/);
  });

  const bad: [string, Record<string, unknown>, number, RegExp][] = [
    ['zero delta', { p_delta: 0 }, 400, /other than 0/],
    ['null delta', { p_delta: null }, 400, /other than 0/],
    ['absurd delta', { p_delta: 5_000_000 }, 400, /1,000,000 limit/],
    ['non-integer delta', { p_delta: 1.5 }, 400, /integer/],
    ['delta beyond int range', { p_delta: 2 ** 31 }, 400, /out of range/],
    ['empty reason', { p_reason: '   ' }, 400, /reason is required/],
    ['null reason', { p_reason: null }, 400, /reason is required/],
    ['over-long reason', { p_reason: 'x'.repeat(501) }, 400, /under 500/],
    ['control characters in reason', { p_reason: 'bad\u0007bell' }, 400, /control characters/],
    ['short idempotency key', { p_idempotency_key: 'abc' }, 400, /8 to 200 characters/],
    ['negative result', { p_delta: -11 }, 409, /cannot go below 0/],
  ];
  for (const [name, override, status, message] of bad) {
    it(`refuses ${name} with ${status} and changes nothing`, async () => {
      const id = await fresh(10);
      const result = await refused(id, () =>
        support.rpc('adjust_credits', {
          p_customer_id: id,
          p_delta: 5,
          p_reason: 'ok',
          p_idempotency_key: unique('bad'),
          ...override,
        } as never),
      );
      expect(result.status).toBe(status);
      expect(result.error.message).toMatch(message);
    });
  }

  it('refuses an unknown customer with 404', async () => {
    const { error, status } = await support.rpc('adjust_credits', {
      p_customer_id: 'nobody-here',
      p_delta: 5,
      p_reason: 'x',
    });
    expect(status).toBe(404);
    expect(error!.message).toBe('No customer with id "nobody-here".');
  });

  it('the negative-balance refusal tells how much may be removed', async () => {
    const id = await fresh(10);
    const { error } = await support.rpc('adjust_credits', {
      p_customer_id: id,
      p_delta: -50,
      p_reason: 'x',
    });
    expect(error!.message).toContain('has 10 credits');
    expect(error!.hint).toBe('Remove at most 10 credits.');
  });
});

describe('refund_generation', () => {
  async function generation(customerId: string, status: string, charged = 8) {
    const id = unique('gen');
    const service = serviceClient();
    const { error } = await service
      .from('generations')
      .insert({ id, customer_id: customerId, status, provider: 'wavespeed', model: 'm' });
    if (error) throw error;
    if (charged) {
      const spend = await service.rpc('consume_credits', {
        p_customer_id: customerId,
        p_amount: charged,
        p_generation_id: id,
      });
      if (spend.error) throw spend.error;
    }
    return id;
  }

  it('refunds a failed generation once, linked to it', async () => {
    const cust = await fresh(20);
    const gen = await generation(cust, 'failed');
    expect(await balance(cust)).toBe(12);
    const { data, error } = await support.rpc('refund_generation', {
      p_generation_id: gen,
      p_reason: 'Provider outage',
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({ balance: 20 });
    const { data: rows } = await serviceClient()
      .from('credit_transactions')
      .select('*')
      .eq('ref_id', gen)
      .eq('type', 'refund');
    expect(rows).toHaveLength(1);
    expect(rows![0]).toMatchObject({ ref_type: 'generation', delta: 8, reason: 'Provider outage' });
    const { data: g } = await serviceClient()
      .from('generations')
      .select('refunded_at')
      .eq('id', gen)
      .single();
    expect(g!.refunded_at).not.toBeNull();

    const again = await refused(cust, () =>
      support.rpc('refund_generation', { p_generation_id: gen }),
    );
    expect(again.status).toBe(409);
    expect(again.error.message).toMatch(/already refunded/);
    // The product backend cannot refund it a second time either.
    const backend = await refused(cust, () =>
      serviceClient().rpc('refund_credits', {
        p_customer_id: cust,
        p_amount: 8,
        p_generation_id: gen,
      }),
    );
    expect(backend.status).toBe(409);
  });

  it('refuses a succeeded generation with 409', async () => {
    const cust = await fresh(20);
    const gen = await generation(cust, 'succeeded');
    const r = await refused(cust, () => support.rpc('refund_generation', { p_generation_id: gen }));
    expect(r.status).toBe(409);
    expect(r.error.message).toBe('Only failed generations can be refunded; this one is succeeded.');
  });

  it('refuses a generation that charged nothing, and an unknown one', async () => {
    const cust = await fresh(5);
    const gen = await generation(cust, 'failed', 0);
    const r = await refused(cust, () => support.rpc('refund_generation', { p_generation_id: gen }));
    expect(r.status).toBe(409);
    const missing = await support.rpc('refund_generation', { p_generation_id: 'gen-missing' });
    expect(missing.status).toBe(404);
  });
});

describe('set_customer_disabled', () => {
  it('disables and re-enables with a reason, refusing a no-op and an empty reason', async () => {
    const id = await fresh();
    const off = await support.rpc('set_customer_disabled', {
      p_customer_id: id,
      p_disabled: true,
      p_reason: 'Chargeback',
    });
    expect(off.error).toBeNull();
    const { data: c } = await serviceClient()
      .from('customers')
      .select('disabled, disabled_reason')
      .eq('id', id)
      .single();
    expect(c).toEqual({ disabled: true, disabled_reason: 'Chargeback' });

    const twice = await support.rpc('set_customer_disabled', {
      p_customer_id: id,
      p_disabled: true,
      p_reason: 'again',
    });
    expect(twice.status).toBe(409);
    expect(twice.error!.message).toBe('This account is already disabled.');
    const noReason = await support.rpc('set_customer_disabled', {
      p_customer_id: id,
      p_disabled: false,
      p_reason: '',
    });
    expect(noReason.status).toBe(400);

    const on = await support.rpc('set_customer_disabled', {
      p_customer_id: id,
      p_disabled: false,
      p_reason: 'Resolved',
    });
    expect(on.error).toBeNull();
    const { data: c2 } = await serviceClient()
      .from('customers')
      .select('disabled, disabled_reason')
      .eq('id', id)
      .single();
    expect(c2).toEqual({ disabled: false, disabled_reason: null });
  });

  it('a disabled customer cannot spend credits', async () => {
    const id = await fresh(10);
    await support.rpc('set_customer_disabled', {
      p_customer_id: id,
      p_disabled: true,
      p_reason: 'Fraud',
    });
    const r = await refused(id, () =>
      serviceClient().rpc('consume_credits', { p_customer_id: id, p_amount: 1 }),
    );
    expect(r.status).toBe(409);
  });
});

describe('consume_credits / refund_credits (service role)', () => {
  it('spends and refunds with idempotency, refusing overdraft and bad amounts', async () => {
    const id = await fresh(10);
    const service = serviceClient();
    const key = unique('spend');
    const a = await service.rpc('consume_credits', {
      p_customer_id: id,
      p_amount: 4,
      p_idempotency_key: key,
      p_provider: 'wavespeed',
      p_cost_usd: 0.012,
    });
    const b = await service.rpc('consume_credits', {
      p_customer_id: id,
      p_amount: 4,
      p_idempotency_key: key,
    });
    expect(a.data).toMatchObject({ balance: 6, replayed: false });
    expect(b.data).toMatchObject({ balance: 6, replayed: true });
    expect(
      (await refused(id, () => service.rpc('consume_credits', { p_customer_id: id, p_amount: 7 })))
        .status,
    ).toBe(409);
    expect(
      (await refused(id, () => service.rpc('consume_credits', { p_customer_id: id, p_amount: 0 })))
        .status,
    ).toBe(400);
    expect(
      (await refused(id, () => service.rpc('refund_credits', { p_customer_id: id, p_amount: -3 })))
        .status,
    ).toBe(400);
    const r = await service.rpc('refund_credits', { p_customer_id: id, p_amount: 4 });
    expect(r.data).toMatchObject({ balance: 10 });
  });
});

describe('the backend names a generation', () => {
  it("refuses another customer's generation, an unknown one, and a refund amount it did not charge", async () => {
    const service = serviceClient();
    const owner = await fresh(20);
    const other = await fresh(20);
    const gen = unique('gen');
    await service.from('generations').insert({ id: gen, customer_id: owner, status: 'failed' });

    const foreign = await refused(other, () =>
      service.rpc('consume_credits', { p_customer_id: other, p_amount: 4, p_generation_id: gen }),
    );
    expect(foreign.status).toBe(400);
    expect(foreign.error.message).toMatch(/belongs to another customer/);
    const unknown = await refused(owner, () =>
      service.rpc('consume_credits', {
        p_customer_id: owner,
        p_amount: 4,
        p_generation_id: unique('nogen'),
      }),
    );
    expect(unknown.status).toBe(404);

    const spend = await service.rpc('consume_credits', {
      p_customer_id: owner,
      p_amount: 4,
      p_generation_id: gen,
    });
    expect(spend.error).toBeNull();
    const { data: charged } = await service
      .from('generations')
      .select('credits_charged')
      .eq('id', gen)
      .single();
    expect(charged!.credits_charged).toBe(4);

    const wrongCustomer = await refused(other, () =>
      service.rpc('refund_credits', { p_customer_id: other, p_amount: 4, p_generation_id: gen }),
    );
    expect(wrongCustomer.status).toBe(400);
    const wrongAmount = await refused(owner, () =>
      service.rpc('refund_credits', { p_customer_id: owner, p_amount: 40, p_generation_id: gen }),
    );
    expect(wrongAmount.status).toBe(400);
    expect(wrongAmount.error.message).toMatch(/charged 4 credits/);
    const back = await service.rpc('refund_credits', {
      p_customer_id: owner,
      p_amount: 4,
      p_generation_id: gen,
    });
    expect(back.data).toMatchObject({ balance: 20 });
  });
});

describe('the ledger itself', () => {
  it('is immutable: no update or delete, even for the service role', async () => {
    const id = await fresh(10);
    const { data: row } = await serviceClient()
      .from('credit_transactions')
      .select('id')
      .eq('customer_id', id)
      .single();
    const upd = await serviceClient()
      .from('credit_transactions')
      .update({ reason: 'tampered' } as never)
      .eq('id', row!.id);
    expect(upd.error?.code).toBe('42501');
    const del = await serviceClient().from('credit_transactions').delete().eq('id', row!.id);
    expect(del.error?.code).toBe('42501');
    expect(await ledgerViolations([id])).toEqual([]);
  });

  it('holds for every customer touched by these tests and for the whole seed', async () => {
    expect(await ledgerViolations(touched)).toEqual([]);
    const { data: all } = await serviceClient().from('customers').select('id').limit(1000);
    expect(await ledgerViolations(all!.map((c) => c.id))).toEqual([]);
  });
});

// Issue 13: the checks the ledger makes under the customer lock, and idempotency keys scoped
// by operation and caller with replays matched on the whole call.
describe('ledger scope and closed accounts', () => {
  async function failedGeneration(customerId: string, charged: number) {
    const id = unique('gen');
    const service = serviceClient();
    const ins = await service
      .from('generations')
      .insert({ id, customer_id: customerId, status: 'failed', provider: 'fal', model: 'm' });
    if (ins.error) throw ins.error;
    const spend = await service.rpc('consume_credits', {
      p_customer_id: customerId,
      p_amount: charged,
      p_generation_id: id,
    });
    if (spend.error) throw spend.error;
    return id;
  }

  it('a soft-deleted customer cannot be charged, refunded or adjusted', async () => {
    const id = await fresh(30);
    const del = await serviceClient()
      .from('customers')
      .update({ deleted_at: new Date().toISOString() })
      .eq('id', id);
    expect(del.error).toBeNull();
    const calls = [
      () => serviceClient().rpc('consume_credits', { p_customer_id: id, p_amount: 1 }),
      () =>
        serviceClient().rpc('refund_credits', {
          p_customer_id: id,
          p_amount: 1,
          p_idempotency_key: unique('refund'),
        }),
      () =>
        support.rpc('adjust_credits', {
          p_customer_id: id,
          p_delta: 5,
          p_reason: 'Goodwill',
          p_idempotency_key: unique('adj'),
        }),
    ];
    for (const call of calls) {
      const r = await refused(id, call);
      expect(r.status).toBe(409);
      expect(r.error.message).toMatch(/deleted on .*credits can no longer change/);
    }
  });

  it("a backend refund with a key an adjustment used is a new refund, not the adjustment's replay", async () => {
    const id = await fresh(10);
    const key = unique('shared-key');
    const adj = await support.rpc('adjust_credits', {
      p_customer_id: id,
      p_delta: 3,
      p_reason: 'Goodwill',
      p_idempotency_key: key,
    });
    expect(adj.data).toMatchObject({ balance: 13, replayed: false });
    const refund = await serviceClient().rpc('refund_credits', {
      p_customer_id: id,
      p_amount: 3,
      p_idempotency_key: key,
    });
    expect(refund.error).toBeNull();
    expect(refund.data).toMatchObject({ balance: 16, replayed: false });
    const again = await serviceClient().rpc('refund_credits', {
      p_customer_id: id,
      p_amount: 3,
      p_idempotency_key: key,
    });
    expect(again.data).toMatchObject({ balance: 16, replayed: true });
    expect(await ledgerCount(id)).toBe(3);
    expect(await ledgerViolations([id])).toEqual([]);
  });

  it("an adjustment keyed refund:generation:<id> does not block that generation's refund", async () => {
    const id = await fresh(20);
    const gen = await failedGeneration(id, 6);
    const blocker = await support.rpc('adjust_credits', {
      p_customer_id: id,
      p_delta: 6,
      p_reason: 'Looks like a refund',
      p_idempotency_key: `refund:generation:${gen}`,
    });
    expect(blocker.data).toMatchObject({ balance: 20, replayed: false });
    const refund = await serviceClient().rpc('refund_credits', {
      p_customer_id: id,
      p_amount: 6,
      p_generation_id: gen,
    });
    expect(refund.error).toBeNull();
    expect(refund.data).toMatchObject({ balance: 26, replayed: false });
    const { data: rows } = await serviceClient()
      .from('credit_transactions')
      .select('type, delta')
      .eq('ref_id', gen)
      .eq('type', 'refund');
    expect(rows).toEqual([{ type: 'refund', delta: 6 }]);
  });

  it('a backend refund retried with its key answers the refund it made; staff still get 409', async () => {
    const id = await fresh(20);
    const gen = await failedGeneration(id, 5);
    const key = unique('refund-retry');
    const args = {
      p_customer_id: id,
      p_amount: 5,
      p_generation_id: gen,
      p_idempotency_key: key,
    };
    const first = await serviceClient().rpc('refund_credits', args);
    const retry = await serviceClient().rpc('refund_credits', args);
    expect(first.data).toMatchObject({ balance: 20, replayed: false });
    expect(retry.data).toMatchObject({
      transaction_id: (first.data as { transaction_id: number }).transaction_id,
      balance: 20,
      replayed: true,
    });
    const staff = await refused(id, () =>
      support.rpc('refund_generation', { p_generation_id: gen }),
    );
    expect(staff.status).toBe(409);
    expect(staff.error.message).toMatch(/already refunded/);
  });

  it('a replay must be the same call: a different reason or generation is a 409 saying what differs', async () => {
    const id = await fresh(30);
    const key = unique('whole-call');
    await support.rpc('adjust_credits', {
      p_customer_id: id,
      p_delta: 4,
      p_reason: 'Ticket 1',
      p_idempotency_key: key,
    });
    const reason = await refused(id, () =>
      support.rpc('adjust_credits', {
        p_customer_id: id,
        p_delta: 4,
        p_reason: 'Ticket 2',
        p_idempotency_key: key,
      }),
    );
    expect(reason.status).toBe(409);
    expect(reason.error.message).toMatch(/different credit change: the reason differs/);

    const g1 = await failedGeneration(id, 1);
    const g2 = await failedGeneration(id, 1);
    const spendKey = unique('spend-key');
    const spend = (gen: string) =>
      serviceClient().rpc('consume_credits', {
        p_customer_id: id,
        p_amount: 2,
        p_generation_id: gen,
        p_idempotency_key: spendKey,
      });
    expect((await spend(g1)).data).toMatchObject({ replayed: false });
    const other = await refused(id, () => spend(g2));
    expect(other.status).toBe(409);
    expect(other.error.message).toMatch(/the generation differs/);
    expect(other.error.hint).toMatch(/new key/);
  });
});

// The credit lifecycle through the real PostgREST: purchases, grants, blocks drawn in order,
// generations started and finished, refunds restoring the drawn blocks, expiry and its
// extension, and after every call the invariants (ledger, balance and blocks agree).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  allRows,
  auditRows,
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
const service = serviceClient();
let touched: string[] = [];

beforeAll(async () => {
  admin = await signedIn(DEMO.admin);
  support = await signedIn(DEMO.support);
});

afterEach(async () => {
  expect(await ledgerViolations(touched)).toEqual([]);
  touched = [];
});

async function fresh() {
  const id = await newCustomer(admin);
  touched.push(id);
  return id;
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function state(customerId: string) {
  const [c, tx, blocks, gens] = await Promise.all([
    service.from('customers').select('credits').eq('id', customerId).single(),
    service
      .from('credit_transactions')
      .select('id', { count: 'exact', head: true })
      .eq('customer_id', customerId),
    service
      .from('credit_blocks')
      .select('id, remaining, expires_at')
      .eq('customer_id', customerId)
      .order('id'),
    service
      .from('generations')
      .select('id', { count: 'exact', head: true })
      .eq('customer_id', customerId),
  ]);
  return {
    credits: c.data!.credits,
    entries: tx.count,
    blocks: blocks.data,
    generations: gens.count,
  };
}

/** Expects a refusal with the given status that wrote nothing for the customer. */
async function refused(
  customerId: string,
  status: number,
  call: () => PromiseLike<{ error: { message: string } | null; status: number }>,
) {
  const before = await state(customerId);
  const res = await call();
  expect(res.error, 'expected a refusal').not.toBeNull();
  expect(res.status).toBe(status);
  expect(await state(customerId)).toEqual(before);
  return res.error!.message;
}

async function blocksOf(customerId: string) {
  const { data, error } = await service
    .from('credit_blocks')
    .select('*')
    .eq('customer_id', customerId)
    .order('id');
  if (error) throw error;
  return data;
}

async function drawsOf(transactionId: number) {
  const { data, error } = await service
    .from('credit_block_draws')
    .select('block_id, amount')
    .eq('transaction_id', transactionId)
    .order('id');
  if (error) throw error;
  return data.map((d) => [d.block_id, d.amount]);
}

const purchase = (
  customerId: string,
  credits: number,
  usd: number,
  extra: Record<string, unknown> = {},
) =>
  service.rpc('purchase_credits', {
    p_customer_id: customerId,
    p_credits: credits,
    p_amount_usd: usd,
    p_payment_ref: unique('order'),
    p_source: 'stripe',
    ...extra,
  } as never);

const grant = (client: Client, customerId: string, credits: number, expiresAt?: string) =>
  client.rpc('grant_credits', {
    p_customer_id: customerId,
    p_credits: credits,
    p_reason: 'Promotion',
    p_expires_at: expiresAt,
    p_idempotency_key: unique('grant'),
  });

type BlockResult = { transaction_id: number; block_id: number; balance: number; replayed: boolean };
type StartResult = {
  generation_id: string;
  transaction_id: number;
  credits_charged: number;
  balance: number;
  replayed: boolean;
};

const start = (customerId: string, type = 'text_to_image', key = unique('gen')) =>
  service.rpc('start_generation', {
    p_customer_id: customerId,
    p_type: type,
    p_provider: 'wavespeed',
    p_model: 'wavespeed-ai/flux-dev',
    p_prompt: 'a lighthouse at dawn',
    p_idempotency_key: key,
  });

describe('purchase_credits', () => {
  it('writes a purchase entry and a paid block priced at amount / credits; a replay returns the first result', async () => {
    const id = await fresh();
    const ref = unique('order');
    const args = {
      p_customer_id: id,
      p_credits: 500,
      p_amount_usd: 20,
      p_payment_ref: ref,
      p_source: 'shopify',
      p_expires_at: inDays(365),
    };
    const first = await service.rpc('purchase_credits', args);
    expect(first.error).toBeNull();
    const r = first.data as unknown as BlockResult;
    expect(r).toMatchObject({ balance: 500, replayed: false });
    const [block] = await blocksOf(id);
    expect(block).toMatchObject({
      id: r.block_id,
      kind: 'paid',
      original: 500,
      remaining: 500,
      unit_price_usd: 0.04,
      amount_usd: 20,
      source_transaction_id: r.transaction_id,
    });
    const { data: tx } = await service
      .from('credit_transactions')
      .select('*')
      .eq('id', r.transaction_id)
      .single();
    expect(tx).toMatchObject({
      type: 'purchase',
      delta: 500,
      source: 'shopify',
      ref_type: 'payment',
      ref_id: ref,
    });

    const again = await service.rpc('purchase_credits', args);
    expect(again.data).toEqual({ ...r, replayed: true });
    expect((await state(id)).entries).toBe(1);

    const msg = await refused(id, 409, () =>
      service.rpc('purchase_credits', { ...args, p_amount_usd: 25 }),
    );
    expect(msg).toMatch(/already recorded as 500 credits for \$20/);
  });

  it('refuses bad figures with a clear message and writes nothing', async () => {
    const id = await fresh();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ p_credits: 0 }, /from 1 to 1,000,000/],
      [{ p_amount_usd: 0 }, /amount paid/],
      [{ p_amount_usd: 19.999 }, /in cents/],
      [{ p_payment_ref: ' ' }, /payment reference/],
      [{ p_source: 'Shop ify' }, /short lower-case name/],
      [{ p_expires_at: inDays(-1) }, /in the past/],
    ];
    for (const [extra, message] of cases) {
      expect(await refused(id, 400, () => purchase(id, 500, 20, extra))).toMatch(message);
    }
    expect(await refused(id, 404, () => purchase('no-such-customer', 500, 20))).toMatch(
      /No customer/,
    );
  });
});

describe('grant_credits and adjust_credits with an expiry', () => {
  it('support grants free credits with an expiry; a replayed key returns the first grant', async () => {
    const id = await fresh();
    const key = unique('grant');
    const args = {
      p_customer_id: id,
      p_credits: 50,
      p_reason: 'Referral bonus',
      p_expires_at: inDays(30),
      p_idempotency_key: key,
    };
    const first = await support.rpc('grant_credits', args);
    expect(first.error).toBeNull();
    const r = first.data as unknown as BlockResult;
    expect(r).toMatchObject({ balance: 50, replayed: false });
    const [block] = await blocksOf(id);
    expect(block).toMatchObject({ kind: 'free', original: 50, remaining: 50, unit_price_usd: 0 });
    expect(new Date(block.expires_at!).toISOString()).toBe(args.p_expires_at);
    expect((await support.rpc('grant_credits', args)).data).toEqual({ ...r, replayed: true });
    const audit = await auditRows({ record_id: id, action: 'credits.grant' });
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_email).toBe(DEMO.support);

    expect(
      await refused(id, 409, () =>
        support.rpc('grant_credits', { ...args, p_expires_at: inDays(31) }),
      ),
    ).toMatch(/another expiry/);
    expect(
      await refused(id, 400, () =>
        support.rpc('grant_credits', { ...args, p_idempotency_key: unique('g'), p_reason: '  ' }),
      ),
    ).toMatch(/reason is required/);
    expect(await refused(id, 400, () => grant(support, id, 10, inDays(-0.01)))).toMatch(
      /in the past/,
    );
    expect(await refused(id, 400, () => grant(support, id, -5))).toMatch(/from 1 to 1,000,000/);
  });

  it('a positive adjustment with an expiry is a free block; a negative one draws and cannot expire', async () => {
    const id = await fresh();
    const up = await support.rpc('adjust_credits', {
      p_customer_id: id,
      p_delta: 30,
      p_reason: 'Goodwill',
      p_idempotency_key: unique('adj'),
      p_expires_at: inDays(7),
    });
    expect(up.error).toBeNull();
    const [block] = await blocksOf(id);
    expect(block).toMatchObject({ kind: 'free', original: 30 });
    expect(block.expires_at).not.toBeNull();
    const down = await support.rpc('adjust_credits', {
      p_customer_id: id,
      p_delta: -10,
      p_reason: 'Correction',
      p_idempotency_key: unique('adj'),
    });
    expect(await drawsOf((down.data as unknown as BlockResult).transaction_id)).toEqual([
      [block.id, 10],
    ]);
    expect(
      await refused(id, 400, () =>
        support.rpc('adjust_credits', {
          p_customer_id: id,
          p_delta: -5,
          p_reason: 'x',
          p_expires_at: inDays(3),
        }),
      ),
    ).toMatch(/Only credits added can expire/);
  });
});

describe('drawdown', () => {
  it('takes the soonest expiry first, free before paid, oldest first, never-expiring last', async () => {
    const id = await fresh();
    const ids: Record<string, number> = {};
    const in5 = inDays(5);
    const put = async (name: string, call: PromiseLike<{ data: unknown; error: unknown }>) => {
      const { data, error } = await call;
      expect(error).toBeNull();
      ids[name] = (data as BlockResult).block_id;
    };
    await put('freeIn10', grant(support, id, 10, inDays(10)));
    await put('paidIn5', purchase(id, 10, 1, { p_expires_at: in5 }));
    await put('freeNever', grant(support, id, 10));
    await put('paidNever', purchase(id, 10, 1));
    await put('freeIn5', grant(support, id, 10, in5));
    await put('freeNever2', grant(support, id, 10));

    const spend = await service.rpc('consume_credits', {
      p_customer_id: id,
      p_amount: 45,
      p_idempotency_key: unique('c'),
    });
    expect(spend.error).toBeNull();
    expect(await drawsOf((spend.data as unknown as BlockResult).transaction_id)).toEqual([
      [ids.freeIn5, 10],
      [ids.paidIn5, 10],
      [ids.freeIn10, 10],
      [ids.freeNever, 10],
      [ids.freeNever2, 5],
    ]);
    const spend2 = await service.rpc('consume_credits', {
      p_customer_id: id,
      p_amount: 15,
      p_idempotency_key: unique('c'),
    });
    expect(await drawsOf((spend2.data as unknown as BlockResult).transaction_id)).toEqual([
      [ids.freeNever2, 5],
      [ids.paidNever, 10],
    ]);
    expect((await state(id)).credits).toBe(0);
  });

  it('in the seed, a balance carried over from MEGA is one legacy block; bought packs are paid blocks', async () => {
    const customers = await allRows((f, t) =>
      service
        .from('customers')
        .select('id, source_system, credit_blocks(kind)')
        .order('id')
        .range(f, t),
    );
    const mega = customers.filter((c) => c.source_system === 'legacy_mega');
    expect(mega.length).toBeGreaterThan(20);
    for (const c of customers) {
      const legacy = c.credit_blocks.filter((b) => b.kind === 'legacy').length;
      expect(legacy, c.id).toBe(c.source_system === 'legacy_mega' ? 1 : 0);
    }
    const paidOwners = customers.filter((c) => c.credit_blocks.some((b) => b.kind === 'paid'));
    expect(paidOwners.length).toBeGreaterThan(250);
    touched = customers.slice(0, 20).map((c) => c.id);
  });
});

describe('start_generation and finish_generation', () => {
  it('inserts a pending generation and charges its price in one call; a retried start is a replay', async () => {
    const id = await fresh();
    await grant(support, id, 10);
    const key = unique('gen');
    const first = await start(id, 'text_to_image', key);
    expect(first.error).toBeNull();
    const r = first.data as unknown as StartResult;
    expect(r).toMatchObject({ credits_charged: 4, balance: 6, replayed: false });
    const { data: gen } = await service
      .from('generations')
      .select('*')
      .eq('id', r.generation_id)
      .single();
    expect(gen).toMatchObject({
      status: 'pending',
      credits_charged: 4,
      customer_id: id,
      provider: 'wavespeed',
    });
    const { data: tx } = await service
      .from('credit_transactions')
      .select('*')
      .eq('id', r.transaction_id)
      .single();
    expect(tx).toMatchObject({
      type: 'spend',
      delta: -4,
      ref_type: 'generation',
      ref_id: r.generation_id,
    });

    expect((await start(id, 'text_to_image', key)).data).toEqual({ ...r, replayed: true });
    expect(await refused(id, 409, () => start(id, 'upscale', key))).toMatch(
      /already started another/,
    );
  });

  it('refuses too few credits saying balance and price, and other bad starts, writing nothing', async () => {
    const id = await fresh();
    await grant(support, id, 3);
    expect(await refused(id, 409, () => start(id, 'text_to_image'))).toBe(
      'Not enough credits: the customer has 3 and Text to Image costs 4.',
    );
    expect(await refused(id, 409, () => start(id, 'face_swap'))).toMatch(/not offered/);
    expect(await refused(id, 400, () => start(id, 'no_such_type'))).toMatch(/no generation type/);
    expect(await refused(id, 400, () => start(id, 'text_to_image', 'short'))).toMatch(/8 to 200/);
    await support.rpc('set_customer_disabled', {
      p_customer_id: id,
      p_disabled: true,
      p_reason: 'test',
    });
    expect(await refused(id, 409, () => start(id, 'upscale'))).toMatch(/disabled/);
  });

  it('a failed generation is refunded exactly once, to the blocks its charge drew from', async () => {
    const id = await fresh();
    const soon = ((await grant(support, id, 3, inDays(2))).data as unknown as BlockResult).block_id;
    const paid = ((await purchase(id, 100, 4)).data as unknown as BlockResult).block_id;
    const r = (await start(id, 'text_to_thumbnail')).data as unknown as StartResult;
    expect(await drawsOf(r.transaction_id)).toEqual([
      [soon, 3],
      [paid, 7],
    ]);
    const done = await service.rpc('finish_generation', {
      p_generation_id: r.generation_id,
      p_status: 'failed',
      p_error: 'Upstream 503',
      p_cost_usd: 0.01,
    });
    expect(done.error).toBeNull();
    const d = done.data as {
      refund_transaction_id: number;
      credits_refunded: number;
      balance: number;
    };
    expect(d).toMatchObject({ credits_refunded: 10, balance: 103 });
    expect((await drawsOf(Number(d.refund_transaction_id))).sort()).toEqual(
      [
        [soon, -3],
        [paid, -7],
      ].sort(),
    );
    expect((await blocksOf(id)).map((b) => b.remaining)).toEqual([3, 100]);

    const again = await service.rpc('finish_generation', {
      p_generation_id: r.generation_id,
      p_status: 'failed',
    });
    expect(again.data).toMatchObject({ replayed: true, credits_refunded: 10 });
    expect(
      await refused(id, 409, () =>
        service.rpc('finish_generation', {
          p_generation_id: r.generation_id,
          p_status: 'succeeded',
        }),
      ),
    ).toMatch(/already finished as failed/);
    // The staff path cannot refund it a second time either.
    expect(
      await refused(id, 409, () =>
        support.rpc('refund_generation', { p_generation_id: r.generation_id }),
      ),
    ).toMatch(/already refunded/);
  });

  it('a succeeded generation records its result and cost and refunds nothing', async () => {
    const id = await fresh();
    await grant(support, id, 10);
    const r = (await start(id)).data as unknown as StartResult;
    const done = await service.rpc('finish_generation', {
      p_generation_id: r.generation_id,
      p_status: 'succeeded',
      p_output_url: 'https://cdn.example.com/x.png',
      p_content_type: 'image',
      p_latency_ms: 4100,
      p_cost_usd: 0.012,
    });
    expect(done.data).toMatchObject({
      status: 'succeeded',
      credits_refunded: 0,
      balance: 6,
      replayed: false,
    });
    const { data: gen } = await service
      .from('generations')
      .select('*')
      .eq('id', r.generation_id)
      .single();
    expect(gen).toMatchObject({
      status: 'succeeded',
      cost_usd: 0.012,
      latency_ms: 4100,
      refunded_at: null,
    });
    expect(gen!.completed_at).not.toBeNull();
    expect(
      await refused(id, 400, () =>
        service.rpc('finish_generation', { p_generation_id: r.generation_id, p_status: 'done' }),
      ),
    ).toMatch(/succeeded, failed or cancelled/);
    const missing = await service.rpc('finish_generation', {
      p_generation_id: 'no-such-gen',
      p_status: 'failed',
    });
    expect(missing.status).toBe(404);
  });

  it('refund_credits for a generation restores its blocks too', async () => {
    const id = await fresh();
    const block = ((await purchase(id, 20, 1)).data as unknown as BlockResult).block_id;
    const r = (await start(id, 'upscale')).data as unknown as StartResult;
    await service.from('generations').update({ status: 'failed' }).eq('id', r.generation_id);
    const back = await service.rpc('refund_credits', {
      p_customer_id: id,
      p_amount: 2,
      p_generation_id: r.generation_id,
    });
    expect(back.error).toBeNull();
    expect(await drawsOf((back.data as unknown as BlockResult).transaction_id)).toEqual([
      [block, -2],
    ]);
  });
});

describe('expiry', () => {
  it('expires what is left of a block past its expiry, once; restored credits expire at the next run, visibly', async () => {
    const id = await fresh();
    await purchase(id, 10, 1);
    const soon = new Date(Date.now() + 1500).toISOString();
    const block = ((await grant(support, id, 8, soon)).data as unknown as BlockResult).block_id;
    const r = (await start(id, 'text_to_image')).data as unknown as StartResult;
    expect(await drawsOf(r.transaction_id)).toEqual([[block, 4]]);
    await sleep(1700);

    const run = await service.rpc('expire_credits', {});
    expect(run.error).toBeNull();
    const { data: expiry } = await service
      .from('credit_transactions')
      .select('*')
      .eq('customer_id', id)
      .eq('type', 'expiry');
    expect(expiry!.map((t) => [t.delta, t.ref_type, t.ref_id])).toEqual([
      [-4, 'credit_block', String(block)],
    ]);
    expect((await blocksOf(id)).find((b) => b.id === block)!.remaining).toBe(0);
    const before = await state(id);
    await service.rpc('expire_credits', {});
    expect(await state(id)).toEqual(before);

    // The generation fails after its block expired: the refund goes back to that block…
    await service.rpc('finish_generation', {
      p_generation_id: r.generation_id,
      p_status: 'failed',
    });
    expect((await blocksOf(id)).find((b) => b.id === block)!.remaining).toBe(4);
    const integrity = await service.rpc('ledger_integrity', { p_stale_after: '1 hour' });
    expect(
      (integrity.data as { block_balance_mismatches: { count: number } }).block_balance_mismatches
        .count,
    ).toBe(0);
    // …and the next run expires it with an entry of its own.
    await service.rpc('expire_credits', {});
    const { data: expiries } = await service
      .from('credit_transactions')
      .select('delta')
      .eq('customer_id', id)
      .eq('type', 'expiry')
      .order('id');
    expect(expiries!.map((t) => t.delta)).toEqual([-4, -4]);
    expect((await state(id)).credits).toBe(10);
  });

  it('start_generation expires overdue credits before checking the price', async () => {
    const id = await fresh();
    await grant(support, id, 5, new Date(Date.now() + 1200).toISOString());
    await sleep(1400);
    // The sweep and the refusal roll back together: nothing is written, and the message
    // counts only the live credits.
    expect(await refused(id, 409, () => start(id, 'text_to_image'))).toBe(
      'Not enough credits: the customer has 0 and Text to Image costs 4.',
    );
  });

  it('expire_credits refuses a time in the future', async () => {
    const { status, error } = await service.rpc('expire_credits', { p_now: inDays(1) });
    expect(status).toBe(400);
    expect(error!.message).toMatch(/not in the future/);
  });
});

describe('extend_credit_expiry', () => {
  it('moves an expiry later with a reason, audited before/after; earlier or spent blocks are refused', async () => {
    const id = await fresh();
    const first = inDays(5);
    const block = ((await grant(support, id, 20, first)).data as unknown as BlockResult).block_id;
    const later = inDays(40);
    const res = await support.rpc('extend_credit_expiry', {
      p_block_id: block,
      p_expires_at: later,
      p_reason: 'Ticket #77',
    });
    expect(res.error).toBeNull();
    expect(res.data).toMatchObject({ block_id: block, replayed: false });
    const [audit] = await auditRows({ record_id: String(block), action: 'credits.extend_expiry' });
    expect(audit.details).toMatchObject({ reason: 'Ticket #77', customer_id: id });
    const changes = (
      audit.details as { changes: { expires_at: { before: string; after: string } } }
    ).changes;
    expect(new Date(changes.expires_at.before).toISOString()).toBe(first);
    expect(new Date(changes.expires_at.after).toISOString()).toBe(later);

    const replay = await support.rpc('extend_credit_expiry', {
      p_block_id: block,
      p_expires_at: later,
      p_reason: 'Ticket #77',
    });
    expect(replay.data).toMatchObject({ replayed: true });
    expect(
      await auditRows({ record_id: String(block), action: 'credits.extend_expiry' }),
    ).toHaveLength(1);

    expect(
      await refused(id, 409, () =>
        support.rpc('extend_credit_expiry', {
          p_block_id: block,
          p_expires_at: inDays(10),
          p_reason: 'x',
        }),
      ),
    ).toMatch(/must be later/);
    expect(
      await refused(id, 400, () =>
        support.rpc('extend_credit_expiry', {
          p_block_id: block,
          p_expires_at: inDays(50),
          p_reason: '',
        }),
      ),
    ).toMatch(/reason is required/);
    const missing = await support.rpc('extend_credit_expiry', {
      p_block_id: 0,
      p_expires_at: later,
      p_reason: 'x',
    });
    expect(missing.status).toBe(404);

    await service.rpc('consume_credits', {
      p_customer_id: id,
      p_amount: 20,
      p_idempotency_key: unique('c'),
    });
    expect(
      await refused(id, 409, () =>
        support.rpc('extend_credit_expiry', {
          p_block_id: block,
          p_expires_at: inDays(60),
          p_reason: 'x',
        }),
      ),
    ).toMatch(/no credits left/);
  });
});

describe('ledger_integrity', () => {
  it('finds no block mismatches in the whole database (seed included)', async () => {
    const { data, error } = await service.rpc('ledger_integrity', {});
    expect(error).toBeNull();
    const report = data as Record<string, { count: number }>;
    expect(report.balance_mismatches.count).toBe(0);
    expect(report.block_balance_mismatches.count).toBe(0);
    expect(report.block_draw_mismatches.count).toBe(0);
    expect(report.overdue_blocks.count).toBe(0);
  });
});

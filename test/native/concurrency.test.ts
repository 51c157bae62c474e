// Many clients moving the same few balances at once, through the gateway and PostgREST with a
// real connection pool on a native Postgres, so requests really run in parallel sessions.
// Figures are printed, not timed: what must hold is that nothing is lost or counted twice.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  DEMO,
  allRows,
  ledgerViolations,
  newCustomer,
  newUser,
  serviceClient,
  signedIn,
  unique,
  type Client,
} from '../support/db';

const databaseUrl = inject('databaseUrl');

const STAFF_CLIENTS = 8;
const BACKEND_CLIENTS = 12;
const CALLS_PER_CLIENT = 100;
const REPLAY_SHARE = 0.15;
// Three well-funded customers and one near zero, so overdraft refusals race with top-ups.
const FUNDING = [5000, 5000, 5000, 60];

type Fn = 'adjust_credits' | 'consume_credits' | 'refund_credits';
interface Call {
  fn: Fn;
  customer: string;
  delta: number;
  key: string;
  args: Record<string, unknown>;
}
interface Outcome {
  call: Call;
  replay: boolean;
  status: number;
  code: string | null;
  message: string | null;
  result: { transaction_id: number; balance: number; replayed: boolean } | null;
}

const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
const between = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));

function newCall(kind: 'staff' | 'backend', customer: string): Call {
  const key = unique('storm');
  if (kind === 'staff') {
    const delta = pick([-1, 1]) * between(1, 30);
    return {
      fn: 'adjust_credits',
      customer,
      delta,
      key,
      args: {
        p_customer_id: customer,
        p_delta: delta,
        p_reason: 'concurrency test',
        p_idempotency_key: key,
      },
    };
  }
  const amount = between(1, 20);
  const fn: Fn = Math.random() < 0.6 ? 'consume_credits' : 'refund_credits';
  return {
    fn,
    customer,
    delta: fn === 'consume_credits' ? -amount : amount,
    key,
    args: { p_customer_id: customer, p_amount: amount, p_idempotency_key: key },
  };
}

describe.skipIf(!databaseUrl)('concurrency on a native Postgres', () => {
  let admin: Client;
  beforeAll(async () => {
    admin = await signedIn(DEMO.admin);
  });

  it(`${STAFF_CLIENTS + BACKEND_CLIENTS} clients × ${CALLS_PER_CLIENT} ledger calls on ${FUNDING.length} customers: nothing lost, nothing doubled`, async () => {
    const service = serviceClient();
    const customers = await Promise.all(FUNDING.map((credits) => newCustomer(admin, credits)));
    const initial = new Map<string, number>(customers.map((id, i) => [id, FUNDING[i]]));
    const lastLedgerId = async () =>
      (
        await service
          .from('credit_transactions')
          .select('id')
          .order('id', { ascending: false })
          .limit(1)
          .single()
      ).data!.id;
    const lastAuditId = async () =>
      (
        await service
          .from('admin_audit')
          .select('id')
          .order('id', { ascending: false })
          .limit(1)
          .single()
      ).data!.id;
    const ledgerFrom = await lastLedgerId();
    const auditFrom = await lastAuditId();

    // Half the staff sessions are support, half admin; every backend client is the service role.
    const staff = await Promise.all(
      Array.from({ length: STAFF_CLIENTS }, (_, i) => signedIn(i % 2 ? DEMO.support : DEMO.admin)),
    );
    const workers = [
      ...staff.map((client, i) => ({
        kind: 'staff' as const,
        caller: i % 2 ? 'support' : 'admin',
        client,
      })),
      ...Array.from({ length: BACKEND_CLIENTS }, () => ({
        kind: 'backend' as const,
        caller: 'backend',
        client: serviceClient(),
      })),
    ];
    // Sent calls are shared, so a replay may race its original while it is still in flight.
    // Keys are scoped by caller (issue 13), so a replay is sent as the same user: the support
    // sessions share one list, the admin sessions another, the backend a third.
    const sent = new Map<string, Call[]>();
    const outcomes: Outcome[] = [];

    const t0 = performance.now();
    await Promise.all(
      workers.map(async ({ kind, caller, client }) => {
        const mine = sent.get(caller) ?? sent.set(caller, []).get(caller)!;
        for (let i = 0; i < CALLS_PER_CLIENT; i++) {
          const replay = mine.length > 0 && Math.random() < REPLAY_SHARE;
          const call = replay ? pick(mine) : newCall(kind, pick(customers));
          if (!replay) mine.push(call);
          const { data, error, status } = await client.rpc(call.fn as never, call.args as never);
          outcomes.push({
            call,
            replay,
            status,
            code: error?.code ?? null,
            message: error?.message ?? null,
            result: error ? null : (data as Outcome['result']),
          });
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;

    const accepted = outcomes.filter((o) => o.status === 200);
    const effective = accepted.filter((o) => !o.result!.replayed);
    const refused = outcomes.filter((o) => o.status !== 200);
    // The only acceptable refusal here is "the balance cannot go below 0": replays repeat
    // their original exactly, so a key conflict, a unique violation or a 5xx is a defect.
    const overdraft = refused.filter(
      (o) => o.status === 409 && /cannot go below 0/.test(o.message ?? ''),
    );
    const unexpected = refused.filter((o) => !overdraft.includes(o));

    // Per idempotency key: every success names the same ledger row; at most one created it.
    const byKey = new Map<string, Outcome[]>();
    for (const o of accepted) byKey.set(o.call.key, [...(byKey.get(o.call.key) ?? []), o]);
    let duplicates = 0;
    for (const list of byKey.values()) {
      if (new Set(list.map((o) => o.result!.transaction_id)).size > 1) duplicates++;
      if (list.filter((o) => !o.result!.replayed).length > 1) duplicates++;
    }

    // The ledger written during the storm is exactly the effective calls, row for row.
    const rows = await allRows((from, to) =>
      service
        .from('credit_transactions')
        .select('id, customer_id, delta, balance_after, idempotency_key')
        .in('customer_id', customers)
        .gt('id', ledgerFrom)
        .order('id')
        .range(from, to),
    );
    const rowById = new Map(rows.map((r) => [r.id, r]));
    const mismatched = effective.filter((o) => {
      const row = rowById.get(o.result!.transaction_id);
      return (
        !row ||
        row.idempotency_key !== o.call.key ||
        row.delta !== o.call.delta ||
        row.balance_after !== o.result!.balance
      );
    });

    // Lost updates: a balance that differs from its start plus what the clients were told happened.
    const { data: finals } = await service
      .from('customers')
      .select('id, credits')
      .in('id', customers);
    let lostUpdates = 0;
    for (const c of finals!) {
      const expected =
        initial.get(c.id)! +
        effective.filter((o) => o.call.customer === c.id).reduce((s, o) => s + o.call.delta, 0);
      if (c.credits !== expected) lostUpdates += Math.abs(c.credits - expected);
    }
    const violations = await ledgerViolations(customers);

    const { count: auditCount } = await service
      .from('admin_audit')
      .select('id', { count: 'exact', head: true })
      .in('record_id', customers)
      .gt('id', auditFrom);

    const byFn = (fn: Fn) => outcomes.filter((o) => o.call.fn === fn).length;
    console.log(
      `concurrency: ${outcomes.length} calls from ${workers.length} clients in ${seconds.toFixed(1)} s ` +
        `(adjust ${byFn('adjust_credits')}, consume ${byFn('consume_credits')}, refund ${byFn('refund_credits')}; ` +
        `replayed keys sent ${outcomes.filter((o) => o.replay).length}); accepted ${accepted.length} ` +
        `(effective ${effective.length}, replays answered ${accepted.length - effective.length}); ` +
        `refusals ${refused.length} (overdraft 409 ${overdraft.length}, unexpected ${unexpected.length}); ` +
        `ledger rows ${rows.length}; audit rows ${auditCount}; lost updates ${lostUpdates}; ` +
        `duplicates from replays ${duplicates}; mismatched rows ${mismatched.length}; invariant violations ${violations.length}; ` +
        `final balances ${finals!.map((c) => c.credits).join('/')}`,
    );

    expect(unexpected.slice(0, 3).map((o) => `${o.status} ${o.code} ${o.message}`)).toEqual([]);
    expect(outcomes).toHaveLength(workers.length * CALLS_PER_CLIENT);
    expect(duplicates).toBe(0);
    expect(mismatched).toHaveLength(0);
    expect(rows).toHaveLength(effective.length);
    expect(lostUpdates).toBe(0);
    expect(violations).toEqual([]);
    expect(auditCount).toBe(effective.length);
  });

  it('two admins saving the same config key at once: exactly one wins each round, the other gets 409', async () => {
    const ROUNDS = 25;
    const a = admin;
    const b = (await newUser('admin')).client;
    const key = unique('race-knob');
    expect((await a.from('runtime_config').insert({ key, value: { round: 0 } })).error).toBeNull();

    let wins = 0;
    let conflicts = 0;
    let other = 0;
    let lastWinner: unknown = { round: 0 };
    for (let round = 1; round <= ROUNDS; round++) {
      // Both read the same version, then both save from it at the same moment.
      const [ra, rb] = await Promise.all(
        [a, b].map((c) => c.from('runtime_config').select('version').eq('key', key).single()),
      );
      const replies = await Promise.all(
        [
          [a, ra.data!.version, 'a'],
          [b, rb.data!.version, 'b'],
        ].map(([c, version, who]) =>
          (c as Client)
            .from('runtime_config')
            .update({ value: { round, by: who as string }, expected_version: version as number })
            .eq('key', key)
            .select('value, version'),
        ),
      );
      for (const r of replies) {
        if (r.status === 200 && r.data?.length === 1) {
          wins++;
          lastWinner = r.data[0].value;
        } else if (r.status === 409 && /changed by someone else/.test(r.error?.message ?? ''))
          conflicts++;
        else other++;
      }
      expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    }
    const { data: final } = await serviceClient()
      .from('runtime_config')
      .select('value, version')
      .eq('key', key)
      .single();
    const { count: audits } = await serviceClient()
      .from('admin_audit')
      .select('id', { count: 'exact', head: true })
      .eq('record_id', key)
      .eq('action', 'runtime_config.update');
    const lost =
      final!.version === ROUNDS + 1 && JSON.stringify(final!.value) === JSON.stringify(lastWinner)
        ? 0
        : 1;
    console.log(
      `config race: ${ROUNDS} rounds × 2 admins = ${ROUNDS * 2} saves; wins ${wins}, 409 conflicts ${conflicts}, ` +
        `other ${other}; final version ${final!.version}; update audit rows ${audits}; lost updates ${lost}`,
    );
    expect({ wins, conflicts, other, lost, audits }).toEqual({
      wins: ROUNDS,
      conflicts: ROUNDS,
      other: 0,
      lost: 0,
      audits: ROUNDS,
    });
  });
});

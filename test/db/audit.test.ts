// Every mutating path leaves exactly one audit row, with the actor and the before/after.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  auditRows,
  DEMO,
  newCustomer,
  newUser,
  serviceClient,
  signedIn,
  unique,
  type Client,
} from '../support/db';

let admin: Client;
let support: Client;
let adminId: string;
let supportId: string;

beforeAll(async () => {
  admin = await signedIn(DEMO.admin);
  support = await signedIn(DEMO.support);
  adminId = (await admin.auth.getUser()).data.user!.id;
  supportId = (await support.auth.getUser()).data.user!.id;
});

type Audit = Awaited<ReturnType<typeof auditRows>>[number];
const changes = (row: Audit) =>
  (row.details as { changes: Record<string, { before: unknown; after: unknown }> }).changes;

/** Runs a change and returns the audit rows it added for the record. */
async function auditedBy(recordId: string, run: () => PromiseLike<{ error: unknown }>) {
  const before = (await auditRows({ record_id: recordId })).length;
  const { error } = await run();
  expect(error).toBeNull();
  return (await auditRows({ record_id: recordId })).slice(before);
}

describe('ledger functions', () => {
  it('adjust_credits: one credits.adjust row with actor, delta, reason and balance before/after', async () => {
    const id = await newCustomer(admin, 10);
    const rows = await auditedBy(id, () =>
      support.rpc('adjust_credits', {
        p_customer_id: id,
        p_delta: 15,
        p_reason: 'Ticket 42',
        p_idempotency_key: unique('a'),
      }),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'credits.adjust',
      actor_id: supportId,
      actor_email: DEMO.support,
      table_name: 'customers',
      route: '/rpc/adjust_credits',
      method: 'POST',
    });
    expect(rows[0].details).toMatchObject({ delta: 15, reason: 'Ticket 42' });
    expect(changes(rows[0])).toEqual({ credits: { before: 10, after: 25 } });
  });

  it('a replayed adjustment adds no audit row', async () => {
    const id = await newCustomer(admin);
    const key = unique('replay');
    await support.rpc('adjust_credits', {
      p_customer_id: id,
      p_delta: 5,
      p_reason: 'x',
      p_idempotency_key: key,
    });
    const rows = await auditedBy(id, () =>
      support.rpc('adjust_credits', {
        p_customer_id: id,
        p_delta: 5,
        p_reason: 'x',
        p_idempotency_key: key,
      }),
    );
    expect(rows).toHaveLength(0);
  });

  it('a refused adjustment adds no audit row', async () => {
    const id = await newCustomer(admin);
    const before = (await auditRows({ record_id: id })).length;
    const { error } = await support.rpc('adjust_credits', {
      p_customer_id: id,
      p_delta: -5,
      p_reason: 'x',
    });
    expect(error).not.toBeNull();
    expect(await auditRows({ record_id: id })).toHaveLength(before);
  });

  it('set_customer_disabled: one customers.disable / customers.enable row each', async () => {
    const id = await newCustomer(admin);
    const off = await auditedBy(id, () =>
      support.rpc('set_customer_disabled', {
        p_customer_id: id,
        p_disabled: true,
        p_reason: 'Abuse',
      }),
    );
    expect(off.map((r) => r.action)).toEqual(['customers.disable']);
    expect(changes(off[0]).disabled).toEqual({ before: false, after: true });
    expect(off[0].details).toMatchObject({ reason: 'Abuse' });
    const on = await auditedBy(id, () =>
      support.rpc('set_customer_disabled', {
        p_customer_id: id,
        p_disabled: false,
        p_reason: 'OK now',
      }),
    );
    expect(on.map((r) => r.action)).toEqual(['customers.enable']);
  });

  it('consume_credits / refund_credits by the backend: one row each, actor service_role', async () => {
    const id = await newCustomer(admin, 10);
    const spend = await auditedBy(id, () =>
      serviceClient().rpc('consume_credits', { p_customer_id: id, p_amount: 2 }),
    );
    expect(spend.map((r) => [r.action, r.actor_id, r.actor_email])).toEqual([
      ['credits.consume', null, 'service_role'],
    ]);
    const back = await auditedBy(id, () =>
      serviceClient().rpc('refund_credits', { p_customer_id: id, p_amount: 2 }),
    );
    expect(back.map((r) => r.action)).toEqual(['credits.refund']);
  });

  it('refund_generation: one generations.refund row', async () => {
    const id = await newCustomer(admin, 10);
    const gen = unique('gen');
    await serviceClient()
      .from('generations')
      .insert({ id: gen, customer_id: id, status: 'failed' });
    await serviceClient().rpc('consume_credits', {
      p_customer_id: id,
      p_amount: 4,
      p_generation_id: gen,
    });
    const rows = await auditedBy(id, () =>
      support.rpc('refund_generation', { p_generation_id: gen, p_reason: 'Outage' }),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'generations.refund', actor_id: supportId });
    expect(rows[0].details).toMatchObject({ ref_type: 'generation', ref_id: gen, delta: 4 });
  });
});

describe('row changes by staff', () => {
  it('a customer profile edit: one customers.update row with only the changed fields', async () => {
    const id = await newCustomer(admin);
    const rows = await auditedBy(id, () =>
      support.from('customers').update({ display_name: 'New Name', locale: 'fr-FR' }).eq('id', id),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'customers.update', actor_id: supportId });
    expect(changes(rows[0])).toEqual({
      display_name: { before: null, after: 'New Name' },
      locale: { before: null, after: 'fr-FR' },
    });
  });

  it('an edit that changes nothing adds no row', async () => {
    const id = await newCustomer(admin);
    const rows = await auditedBy(id, () =>
      support.from('customers').update({ display_name: null }).eq('id', id),
    );
    expect(rows).toHaveLength(0);
  });

  it('feedback triage: one feedback.update row', async () => {
    const { data } = await serviceClient()
      .from('feedback')
      .select('id, status')
      .eq('status', 'new')
      .limit(1)
      .single();
    const rows = await auditedBy(data!.id, () =>
      support
        .from('feedback')
        .update({ status: 'reviewed', admin_note: 'Looking' })
        .eq('id', data!.id),
    );
    expect(rows).toHaveLength(1);
    expect(changes(rows[0]).status).toEqual({ before: 'new', after: 'reviewed' });
  });

  it('config: insert, update and delete each leave one row with the value before/after', async () => {
    const key = unique('cfg');
    const ins = await auditedBy(key, () =>
      admin.from('runtime_config').insert({ key, value: { on: true } }),
    );
    expect(ins.map((r) => r.action)).toEqual(['runtime_config.insert']);
    const upd = await auditedBy(key, () =>
      admin
        .from('runtime_config')
        .update({ value: { on: false }, expected_version: 1 })
        .eq('key', key),
    );
    expect(upd.map((r) => r.action)).toEqual(['runtime_config.update']);
    expect(changes(upd[0]).value).toEqual({ before: { on: true }, after: { on: false } });
    expect(upd[0].actor_id).toBe(adminId);
    const del = await auditedBy(key, () => admin.from('runtime_config').delete().eq('key', key));
    expect(del.map((r) => r.action)).toEqual(['runtime_config.delete']);
  });

  it('prices and staff: one row per change', async () => {
    const typeKey = unique('price').toLowerCase();
    const ins = await auditedBy(typeKey, () =>
      admin
        .from('generation_types')
        .insert({ type_key: typeKey, display_name: 'P', cost_credits: 3 }),
    );
    expect(ins).toHaveLength(1);
    const upd = await auditedBy(typeKey, () =>
      admin.rpc('set_generation_type_price', {
        p_type_key: typeKey,
        p_cost_credits: 4,
        p_reason: 'new rate',
      }),
    );
    expect(changes(upd[0])).toEqual({ cost_credits: { before: 3, after: 4 } });

    const person = await newUser();
    const add = await auditedBy(person.id, () =>
      admin.rpc('add_staff_member', {
        p_email: person.email,
        p_role: 'finance',
        p_reason: 'hire',
      }),
    );
    expect(add.map((r) => r.action)).toEqual(['staff.insert']);
    const role = await auditedBy(person.id, () =>
      admin.rpc('set_staff_role', { p_user_id: person.id, p_role: 'support', p_reason: 'cover' }),
    );
    expect(changes(role[0]).role).toEqual({ before: 'finance', after: 'support' });
  });
});

describe('the audit trail itself', () => {
  it('cannot be updated or deleted by anyone, admin and service role included', async () => {
    const { data } = await serviceClient()
      .from('admin_audit')
      .select('id, action')
      .limit(1)
      .single();
    for (const client of [admin, serviceClient()]) {
      const upd = await client
        .from('admin_audit')
        .update({ action: 'forged' } as never)
        .eq('id', data!.id);
      expect(upd.error?.code).toBe('42501');
      const del = await client.from('admin_audit').delete().eq('id', data!.id);
      expect(del.error?.code).toBe('42501');
    }
    const { data: after } = await serviceClient()
      .from('admin_audit')
      .select('id, action')
      .eq('id', data!.id)
      .single();
    expect(after).toEqual(data);
  });
});

// Issue 16.9 and 16.13, in the database through the real PostgREST with real JWTs: a price,
// a staff role and a staff account state change, and a staff member is added or removed,
// only with a reason, which lands in the change's audit row; a PATCH of those columns, a
// direct INSERT or DELETE on staff, a missing or blank reason and every caller
// but an admin are refused with a clear message and change nothing. And an admin session
// knows when it expires.
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  anonClient,
  auditRows,
  DEMO,
  newUser,
  serviceClient,
  signedIn,
  unique,
  type Client,
} from '../support/db';

let admin: Client;
let support: Client;
let finance: Client;
let customer: Client;
beforeAll(async () => {
  [admin, support, finance, customer] = await Promise.all([
    signedIn(DEMO.admin),
    signedIn(DEMO.support),
    signedIn(DEMO.finance),
    signedIn(DEMO.customer),
  ]);
});

/** Every caller but an admin, with the status PostgREST answers their admin-only call. */
const notAdmins = () =>
  [
    ['support', support, 403],
    ['finance', finance, 403],
    ['customer', customer, 403],
    ['anon', anonClient(), 401],
  ] as const;

/** A generation type of the test's own, so the demo prices stay as the seed made them. */
async function newType(cost = 5) {
  const typeKey = unique('price').toLowerCase();
  const { error } = await serviceClient()
    .from('generation_types')
    .insert({ type_key: typeKey, display_name: `Type ${typeKey}`, cost_credits: cost });
  expect(error).toBeNull();
  return typeKey;
}

const priceOf = async (typeKey: string) =>
  (
    await serviceClient()
      .from('generation_types')
      .select('cost_credits')
      .eq('type_key', typeKey)
      .single()
  ).data!.cost_credits;

const staffRow = async (userId: string) =>
  (await serviceClient().from('staff').select('role, disabled').eq('user_id', userId).single())
    .data!;

// Missing, blank, invisible-only and direction-flipping reasons, with what the database says.
const BAD_REASONS: [string, string | undefined, RegExp][] = [
  ['missing', undefined, /^A reason is required to /],
  ['empty', '', /^A reason is required to /],
  ['spaces', '   ', /^A reason is required to /],
  ['invisible only', '\u200b\u00a0\ufeff', /has no visible characters/],
  ['with a bidi control', 'ok \u202e evil', /invisible text-direction character/],
  ['too long', 'x'.repeat(501), /keep it under 500/],
];

describe('set_generation_type_price', () => {
  it('an admin changes a price with a reason; the audit row keeps the change and the trimmed reason', async () => {
    const typeKey = await newType(5);
    const { data, error, status } = await admin.rpc('set_generation_type_price', {
      p_type_key: typeKey,
      p_cost_credits: 7,
      p_reason: '  Ticket #88: WaveSpeed raised its rate  ',
    });
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toEqual({ type_key: typeKey, cost_credits: 7 });
    expect(await priceOf(typeKey)).toBe(7);
    const rows = await auditRows({ record_id: typeKey, action: 'generation_types.update' });
    expect(rows).toHaveLength(1);
    expect(rows[0].details).toEqual({
      changes: { cost_credits: { before: 5, after: 7 } },
      reason: 'Ticket #88: WaveSpeed raised its rate',
    });
    expect(rows[0].actor_email).toBe(DEMO.admin);
  });

  for (const [what, reason, message] of BAD_REASONS) {
    it(`a ${what} reason is refused with 400 and a clear message; the price and the audit stay`, async () => {
      const typeKey = await newType(5);
      const { error, status } = await admin.rpc('set_generation_type_price', {
        p_type_key: typeKey,
        p_cost_credits: 9,
        ...(reason === undefined ? {} : { p_reason: reason }),
      } as never);
      expect(status).toBe(400);
      expect(error?.message).toMatch(message);
      expect(await priceOf(typeKey)).toBe(5);
      expect(await auditRows({ record_id: typeKey, action: 'generation_types.update' })).toEqual(
        [],
      );
    });
  }

  it('a PATCH of the price is refused with what to call instead; the name still saves by PATCH', async () => {
    const typeKey = await newType(5);
    const { error, status } = await admin
      .from('generation_types')
      .update({ cost_credits: 1 })
      .eq('type_key', typeKey);
    expect(status).toBe(400);
    expect(error?.message).toBe(
      'A price changes with a reason: call set_generation_type_price(p_type_key, p_cost_credits, p_reason). Nothing was changed.',
    );
    expect(error?.hint).toMatch(/audit trail/);
    expect(await priceOf(typeKey)).toBe(5);
    // The edit form sends the price it read beside the name: unchanged, it is no price change.
    const renamed = await admin
      .from('generation_types')
      .update({ display_name: 'Renamed', cost_credits: 5 })
      .eq('type_key', typeKey)
      .select('display_name, cost_credits');
    expect(renamed.error).toBeNull();
    expect(renamed.data).toEqual([{ display_name: 'Renamed', cost_credits: 5 }]);
  });

  it('the same price again, a price out of range or an unknown type: a clear refusal', async () => {
    const typeKey = await newType(5);
    const same = await admin.rpc('set_generation_type_price', {
      p_type_key: typeKey,
      p_cost_credits: 5,
      p_reason: 'no change',
    });
    expect(same.status).toBe(409);
    expect(same.error?.message).toMatch(/already costs 5 credits; nothing was changed/);
    const negative = await admin.rpc('set_generation_type_price', {
      p_type_key: typeKey,
      p_cost_credits: -1,
      p_reason: 'oops',
    });
    expect(negative.status).toBe(400);
    expect(negative.error?.message).toMatch(/from 0 to 100000/);
    const unknown = await admin.rpc('set_generation_type_price', {
      p_type_key: 'no-such-type',
      p_cost_credits: 1,
      p_reason: 'x',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.error?.message).toBe('No generation type "no-such-type".');
    expect(await priceOf(typeKey)).toBe(5);
  });

  it('support, finance, a non-staff user and anon are refused; nothing changes', async () => {
    const typeKey = await newType(5);
    for (const [who, client, expected] of notAdmins()) {
      const { error, status } = await client.rpc('set_generation_type_price', {
        p_type_key: typeKey,
        p_cost_credits: 99,
        p_reason: `${who} tries`,
      });
      expect(status, who).toBe(expected);
      expect(error?.code, who).toBe('42501');
      const patch = await client
        .from('generation_types')
        .update({ cost_credits: 99 })
        .eq('type_key', typeKey)
        .select();
      expect(patch.error !== null || patch.data?.length === 0, who).toBe(true);
    }
    expect(await priceOf(typeKey)).toBe(5);
    expect(await auditRows({ record_id: typeKey, action: 'generation_types.update' })).toEqual([]);
  });
});

describe('remove_generation_type', () => {
  const typeExists = async (typeKey: string) =>
    (await serviceClient().from('generation_types').select('type_key').eq('type_key', typeKey))
      .data!.length === 1;

  it('an admin removes a type with a reason; the delete audit row keeps it; recreating it is a new, audited type', async () => {
    const typeKey = await newType(5);
    const { data, error, status } = await admin.rpc('remove_generation_type', {
      p_type_key: typeKey,
      p_reason: ' Provider retired the model ',
    });
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toEqual({ type_key: typeKey, display_name: `Type ${typeKey}`, cost_credits: 5 });
    expect(await typeExists(typeKey)).toBe(false);
    const rows = await auditRows({ record_id: typeKey, action: 'generation_types.delete' });
    expect(rows).toHaveLength(1);
    expect(rows[0].details).toMatchObject({ reason: 'Provider retired the model' });
    expect(rows[0].actor_email).toBe(DEMO.admin);
    const again = await admin
      .from('generation_types')
      .insert({ type_key: typeKey, display_name: 'Back', cost_credits: 50 });
    expect(again.error).toBeNull();
    expect(await priceOf(typeKey)).toBe(50);
  });

  for (const [what, reason, message] of BAD_REASONS) {
    it(`a ${what} reason is refused with 400; the type and the audit stay`, async () => {
      const typeKey = await newType(5);
      const { error, status } = await admin.rpc('remove_generation_type', {
        p_type_key: typeKey,
        ...(reason === undefined ? {} : { p_reason: reason }),
      } as never);
      expect(status).toBe(400);
      expect(error?.message).toMatch(message);
      expect(await typeExists(typeKey)).toBe(true);
      expect(await auditRows({ record_id: typeKey, action: 'generation_types.delete' })).toEqual(
        [],
      );
    });
  }

  it('a direct DELETE is refused with what to call instead; an unknown type is 404', async () => {
    const typeKey = await newType(5);
    const { error, status } = await admin.from('generation_types').delete().eq('type_key', typeKey);
    expect(status).toBe(400);
    expect(error?.message).toBe(
      'A generation type is removed with a reason: call remove_generation_type(p_type_key, p_reason). Nothing was changed.',
    );
    expect(error?.hint).toMatch(/switch it off/);
    expect(await typeExists(typeKey)).toBe(true);
    const unknown = await admin.rpc('remove_generation_type', {
      p_type_key: 'no-such-type',
      p_reason: 'x',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.error?.message).toBe('No generation type "no-such-type".');
  });

  it('support, finance, a non-staff user and anon are refused; nothing changes', async () => {
    const typeKey = await newType(5);
    for (const [who, client, expected] of notAdmins()) {
      const { error, status } = await client.rpc('remove_generation_type', {
        p_type_key: typeKey,
        p_reason: `${who} tries`,
      });
      expect(status, who).toBe(expected);
      expect(error?.code, who).toBe('42501');
    }
    expect(await typeExists(typeKey)).toBe(true);
  });
});

describe('set_staff_role and set_staff_disabled', () => {
  it('an admin changes a role with a reason; the audit row keeps it', async () => {
    const member = await newUser('finance');
    const reason = 'Ticket #42: covers support — Zoë’s leave';
    const { data, error } = await admin.rpc('set_staff_role', {
      p_user_id: member.id,
      p_role: 'support',
      p_reason: reason,
    });
    expect(error).toBeNull();
    expect(data).toEqual({
      user_id: member.id,
      email: member.email,
      role: 'support',
      disabled: false,
    });
    expect((await member.client.rpc('whoami')).data).toMatchObject({ role: 'support' });
    const rows = await auditRows({ record_id: member.id, action: 'staff.update' });
    expect(rows.map((r) => r.details)).toEqual([
      { changes: { role: { before: 'finance', after: 'support' } }, reason },
    ]);
  });

  it('an admin disables and re-enables a staff account with reasons; disabled is locked out at once', async () => {
    const member = await newUser('support');
    const off = await admin.rpc('set_staff_disabled', {
      p_user_id: member.id,
      p_disabled: true,
      p_reason: 'Left the company',
    });
    expect(off.error).toBeNull();
    expect((await member.client.rpc('whoami')).data).toMatchObject({ role: null });
    const again = await admin.rpc('set_staff_disabled', {
      p_user_id: member.id,
      p_disabled: true,
      p_reason: 'twice',
    });
    expect(again.status).toBe(409);
    expect(again.error?.message).toBe(`${member.email} is already disabled; nothing was changed.`);
    const on = await admin.rpc('set_staff_disabled', {
      p_user_id: member.id,
      p_disabled: false,
      p_reason: 'Back from leave',
    });
    expect(on.error).toBeNull();
    expect((await member.client.rpc('whoami')).data).toMatchObject({ role: 'support' });
    const rows = await auditRows({ record_id: member.id, action: 'staff.update' });
    expect(rows.map((r) => r.details)).toEqual([
      { changes: { disabled: { before: false, after: true } }, reason: 'Left the company' },
      { changes: { disabled: { before: true, after: false } }, reason: 'Back from leave' },
    ]);
  });

  it('a PATCH of role or disabled is refused with what to call instead; nothing changes', async () => {
    const member = await newUser('finance');
    for (const change of [{ role: 'admin' as const }, { disabled: true }]) {
      const { error, status } = await admin.from('staff').update(change).eq('user_id', member.id);
      expect(status).toBe(400);
      expect(error?.message).toMatch(
        /^A staff role or account state changes with a reason: call set_staff_role\(p_user_id, p_role, p_reason\) or set_staff_disabled/,
      );
    }
    expect(await staffRow(member.id)).toEqual({ role: 'finance', disabled: false });
    expect(await auditRows({ record_id: member.id, action: 'staff.update' })).toEqual([]);
  });

  for (const [what, reason, message] of BAD_REASONS) {
    it(`a ${what} reason for a role or a disable is refused with 400; nothing changes`, async () => {
      const member = await newUser('finance');
      const role = await admin.rpc('set_staff_role', {
        p_user_id: member.id,
        p_role: 'support',
        ...(reason === undefined ? {} : { p_reason: reason }),
      });
      const disable = await admin.rpc('set_staff_disabled', {
        p_user_id: member.id,
        p_disabled: true,
        ...(reason === undefined ? {} : { p_reason: reason }),
      });
      for (const r of [role, disable]) {
        expect(r.status).toBe(400);
        expect(r.error?.message).toMatch(message);
      }
      expect(await staffRow(member.id)).toEqual({ role: 'finance', disabled: false });
      expect(await auditRows({ record_id: member.id, action: 'staff.update' })).toEqual([]);
    });
  }

  it('support, finance, a non-staff user and anon are refused; nothing changes', async () => {
    const member = await newUser('finance');
    for (const [who, client, expected] of notAdmins()) {
      const role = await client.rpc('set_staff_role', {
        p_user_id: member.id,
        p_role: 'admin',
        p_reason: `${who} tries`,
      });
      const disable = await client.rpc('set_staff_disabled', {
        p_user_id: member.id,
        p_disabled: true,
        p_reason: `${who} tries`,
      });
      for (const r of [role, disable]) {
        expect(r.status, who).toBe(expected);
        expect(r.error?.code, who).toBe('42501');
      }
    }
    // A staff member cannot promote themselves either.
    const self = await member.client.rpc('set_staff_role', {
      p_user_id: member.id,
      p_role: 'admin',
      p_reason: 'I deserve it',
    });
    expect(self.status).toBe(403);
    expect(await staffRow(member.id)).toEqual({ role: 'finance', disabled: false });
    expect(await auditRows({ record_id: member.id, action: 'staff.update' })).toEqual([]);
  });

  it('an unknown user or role, or the role it already has: a clear refusal', async () => {
    const member = await newUser('finance');
    const unknown = await admin.rpc('set_staff_role', {
      p_user_id: '00000000-0000-0000-0000-000000000000',
      p_role: 'support',
      p_reason: 'x',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.error?.message).toMatch(/^No staff member with user id/);
    const badRole = await admin.rpc('set_staff_role', {
      p_user_id: member.id,
      p_role: 'owner',
      p_reason: 'x',
    });
    expect(badRole.status).toBe(400);
    expect(badRole.error?.message).toBe('The role must be admin, support or finance.');
    const same = await admin.rpc('set_staff_role', {
      p_user_id: member.id,
      p_role: 'finance',
      p_reason: 'x',
    });
    expect(same.status).toBe(409);
    expect(same.error?.message).toBe(`${member.email} is already finance; nothing was changed.`);
  });
});

describe('add_staff_member and remove_staff_member', () => {
  const isStaff = async (userId: string) =>
    ((await serviceClient().from('staff').select('role').eq('user_id', userId)).data ?? []).map(
      (r) => r.role,
    );

  it('an admin adds and removes a staff member with reasons; each audit row keeps its reason', async () => {
    const person = await newUser();
    const added = await admin.rpc('add_staff_member', {
      p_email: person.email,
      p_role: 'finance',
      p_reason: '  Ticket #7: new finance hire  ',
    });
    expect(added.error).toBeNull();
    expect(added.data).toEqual({ user_id: person.id, email: person.email, role: 'finance' });
    const removed = await admin.rpc('remove_staff_member', {
      p_user_id: person.id,
      p_reason: 'Ticket #8: moved to another team',
    });
    expect(removed.error).toBeNull();
    expect(removed.data).toEqual({ user_id: person.id, email: person.email, role: 'finance' });
    expect(await isStaff(person.id)).toEqual([]);
    expect((await person.client.rpc('whoami')).data).toMatchObject({ role: null });
    const [insert] = await auditRows({ record_id: person.id, action: 'staff.insert' });
    const [remove] = await auditRows({ record_id: person.id, action: 'staff.delete' });
    expect(insert?.details).toMatchObject({ reason: 'Ticket #7: new finance hire' });
    expect(remove?.details).toMatchObject({
      reason: 'Ticket #8: moved to another team',
      changes: { role: { before: 'finance', after: null } },
    });
    const again = await admin.rpc('remove_staff_member', { p_user_id: person.id, p_reason: 'x' });
    expect(again.status).toBe(404);
    expect(again.error?.message).toBe(`No staff member with user id ${person.id}.`);
  });

  for (const [what, reason, message] of BAD_REASONS) {
    it(`a ${what} reason to add or remove is refused with 400; nothing changes`, async () => {
      const [person, member] = await Promise.all([newUser(), newUser('support')]);
      const add = await admin.rpc('add_staff_member', {
        p_email: person.email,
        p_role: 'admin',
        ...(reason === undefined ? {} : { p_reason: reason }),
      });
      const remove = await admin.rpc('remove_staff_member', {
        p_user_id: member.id,
        ...(reason === undefined ? {} : { p_reason: reason }),
      });
      for (const r of [add, remove]) {
        expect(r.status).toBe(400);
        expect(r.error?.message).toMatch(message);
      }
      expect(await isStaff(person.id)).toEqual([]);
      expect(await isStaff(member.id)).toEqual(['support']);
      expect(await auditRows({ record_id: person.id, action: 'staff.insert' })).toEqual([]);
      expect(await auditRows({ record_id: member.id, action: 'staff.delete' })).toEqual([]);
    });
  }

  it('a direct INSERT or DELETE on staff is refused with what to call instead; nothing changes', async () => {
    const [person, member] = await Promise.all([newUser(), newUser('support')]);
    const insert = await admin
      .from('staff')
      .insert({ user_id: person.id, email: person.email, role: 'admin' });
    const del = await admin.from('staff').delete().eq('user_id', member.id);
    for (const r of [insert, del]) {
      expect(r.status).toBe(400);
      expect(r.error?.message).toMatch(
        /^A staff member is added or removed with a reason: call add_staff_member\(p_email, p_role, p_reason\) or remove_staff_member\(p_user_id, p_reason\)/,
      );
    }
    expect(await isStaff(person.id)).toEqual([]);
    expect(await isStaff(member.id)).toEqual(['support']);
  });

  it('support, finance, a non-staff user and anon are refused; nothing changes', async () => {
    const [person, member] = await Promise.all([newUser(), newUser('support')]);
    for (const [who, client, expected] of notAdmins()) {
      const add = await client.rpc('add_staff_member', {
        p_email: person.email,
        p_role: 'admin',
        p_reason: `${who} tries`,
      });
      const remove = await client.rpc('remove_staff_member', {
        p_user_id: member.id,
        p_reason: `${who} tries`,
      });
      for (const r of [add, remove]) {
        expect(r.status, who).toBe(expected);
        expect(r.error?.code, who).toBe('42501');
      }
    }
    expect(await isStaff(person.id)).toEqual([]);
    expect(await isStaff(member.id)).toEqual(['support']);
    expect(await auditRows({ record_id: member.id, action: 'staff.delete' })).toEqual([]);
  });
});

describe('admin session expiry', () => {
  it('the heartbeat records when the access token expires, and keeps the latest', async () => {
    const member = await newUser('support');
    const { data, error } = await member.client.rpc('touch_admin_session');
    expect(error).toBeNull();
    const { data: session } = await member.client.auth.getSession();
    const exp = decodeJwt(session.session!.access_token).exp!;
    expect(Date.parse((data as { expires_at: string }).expires_at)).toBe(exp * 1000);
    const { data: rows } = await serviceClient()
      .from('admin_sessions')
      .select('expires_at, ended_at')
      .eq('user_id', member.id);
    expect(rows).toHaveLength(1);
    expect(Date.parse(rows![0].expires_at!)).toBe(exp * 1000);
    expect(rows![0].ended_at).toBeNull();
    // A later heartbeat with the same token does not move it back or open a second row.
    await member.client.rpc('touch_admin_session');
    const { data: again } = await serviceClient()
      .from('admin_sessions')
      .select('expires_at')
      .eq('user_id', member.id);
    expect(again!.map((r) => Date.parse(r.expires_at!))).toEqual([exp * 1000]);
  });
});

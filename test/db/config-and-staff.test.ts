// Optimistic concurrency on config and the last-admin guard, enforced by the database.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO, newUser, serviceClient, signedIn, unique, type Client } from '../support/db';

let admin: Client;
beforeAll(async () => {
  admin = await signedIn(DEMO.admin);
});

describe('config versions', () => {
  for (const table of ['runtime_config', 'app_config'] as const) {
    it(`${table}: the second of two saves from the same read is refused with 409, nothing overwritten`, async () => {
      const key = unique('knob');
      await admin.from(table).insert({ key, value: 1 });
      const otherAdmin = (await newUser('admin')).client;
      const first = await admin
        .from(table)
        .update({ value: 2, expected_version: 1 })
        .eq('key', key)
        .select()
        .single();
      expect(first.error).toBeNull();
      expect(first.data).toMatchObject({ value: 2, version: 2 });
      const second = await otherAdmin
        .from(table)
        .update({ value: 3, expected_version: 1 })
        .eq('key', key)
        .select()
        .single();
      expect(second.status).toBe(409);
      expect(second.error!.message).toMatch(
        /was changed by someone else \(now version 2, you edited version 1\)/,
      );
      expect(second.error!.hint).toMatch(/Reload/);
      const { data } = await serviceClient()
        .from(table)
        .select('value, version')
        .eq('key', key)
        .single();
      expect(data).toEqual({ value: 2, version: 2 });
    });
  }

  it('refuses a renamed key and an invalid key', async () => {
    const key = unique('knob');
    await admin.from('runtime_config').insert({ key, value: true });
    const rename = await admin
      .from('runtime_config')
      .update({ key: key + 'x', expected_version: 1 } as never)
      .eq('key', key);
    expect(rename.error).not.toBeNull();
    const invalid = await admin
      .from('runtime_config')
      .insert({ key: 'has spaces; drop table', value: 1 });
    expect(invalid.status).toBe(400);
    expect(invalid.error!.code).toBe('23514');
  });
});

describe('staff', () => {
  it('add_staff_member grants a role to an existing account, with clear refusals', async () => {
    const person = await newUser();
    const ok = await admin.rpc('add_staff_member', {
      p_email: person.email.toUpperCase(),
      p_role: 'support',
      p_reason: 'New support hire',
    });
    expect(ok.error).toBeNull();
    expect((await person.client.rpc('whoami')).data).toMatchObject({ role: 'support' });

    const dup = await admin.rpc('add_staff_member', {
      p_email: person.email,
      p_role: 'finance',
      p_reason: 'x',
    });
    expect(dup.status).toBe(409);
    const missing = await admin.rpc('add_staff_member', {
      p_email: 'ghost@nowhere.example',
      p_role: 'support',
      p_reason: 'x',
    });
    expect(missing.status).toBe(404);
    expect(missing.error!.message).toMatch(/Invite the person through Supabase Auth first/);
    const badRole = await admin.rpc('add_staff_member', { p_email: person.email, p_role: 'owner' });
    expect(badRole.status).toBe(400);
    const badEmail = await admin.rpc('add_staff_member', {
      p_email: 'not an email',
      p_role: 'support',
    });
    expect(badEmail.status).toBe(400);
  });

  it('a staff member disabled mid-session is refused on the very next request', async () => {
    const member = await newUser('support');
    expect((await member.client.from('customers').select('id').limit(1)).data).toHaveLength(1);
    await admin.rpc('set_staff_disabled', {
      p_user_id: member.id,
      p_disabled: true,
      p_reason: 'left',
    });
    expect((await member.client.from('customers').select('id').limit(1)).data).toEqual([]);
    const rpc = await member.client.rpc('adjust_credits', {
      p_customer_id: 'x',
      p_delta: 1,
      p_reason: 'x',
    });
    expect(rpc.status).toBe(403);
  });

  it('the last enabled admin cannot be demoted, disabled or removed', async () => {
    // Make the demo admin the only enabled admin, then try every way of removing it.
    const { data: admins } = await serviceClient()
      .from('staff')
      .select('user_id')
      .eq('role', 'admin')
      .eq('disabled', false);
    const demoAdminId = (await admin.auth.getUser()).data.user!.id;
    const others = admins!.map((a) => a.user_id).filter((id) => id !== demoAdminId);
    if (others.length)
      await serviceClient().from('staff').update({ disabled: true }).in('user_id', others);
    try {
      for (const r of [
        await admin.rpc('set_staff_role', {
          p_user_id: demoAdminId,
          p_role: 'support',
          p_reason: 'step down',
        }),
        await admin.rpc('set_staff_disabled', {
          p_user_id: demoAdminId,
          p_disabled: true,
          p_reason: 'step down',
        }),
      ]) {
        expect(r.status).toBe(409);
        expect(r.error!.message).toBe('This would leave CreditDesk without an enabled admin.');
      }
      const del = await admin.rpc('remove_staff_member', {
        p_user_id: demoAdminId,
        p_reason: 'step down',
      });
      expect(del.status).toBe(409);
      expect(del.error!.message).toBe('This would leave CreditDesk without an enabled admin.');
      expect((await admin.rpc('whoami')).data).toMatchObject({ role: 'admin' });
    } finally {
      if (others.length)
        await serviceClient().from('staff').update({ disabled: false }).in('user_id', others);
    }
  });
});

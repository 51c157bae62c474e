// What the outside attack test found past the database boundary (issue 17), through the real
// gateway and PostgREST with real sign-ins: the audit trail's address, staff authority after
// sign-out, invisible reasons, and staff emails that are not the account's.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO,
  DEMO_PASSWORD,
  auditRows,
  newCustomer,
  newUser,
  serviceClient,
  signedIn,
  stack,
  unique,
  type Client,
} from '../support/db';

const tokenOf = async (client: Client) =>
  (await client.auth.getSession()).data.session!.access_token;

/** One call through the gateway with the headers a client chose. */
async function call(
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${stack().url}${path}`, {
    method,
    headers: {
      apikey: stack().anonKey,
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

const adjust = (token: string, customer: string, reason = 'hardening test', delta = 5) =>
  call(token, 'POST', '/rest/v1/rpc/adjust_credits', {
    p_customer_id: customer,
    p_delta: delta,
    p_reason: reason,
    p_idempotency_key: unique('hardening'),
  });

let admin: Client;
beforeAll(async () => {
  admin = await signedIn(DEMO.admin);
});

describe('the address in the audit trail (17.1)', () => {
  it('is the one the gateway saw, not one the client wrote into a header', async () => {
    const customer = await newCustomer(admin);
    const support = await newUser('support');
    const token = await tokenOf(support.client);
    const spoofed = {
      'x-forwarded-for': '203.0.113.66',
      'cf-connecting-ip': '203.0.113.77',
      'x-real-ip': '203.0.113.88',
    };
    const adjusted = await call(
      token,
      'POST',
      '/rest/v1/rpc/adjust_credits',
      {
        p_customer_id: customer,
        p_delta: 7,
        p_reason: 'address check',
        p_idempotency_key: unique('ip'),
      },
      spoofed,
    );
    expect(adjusted.status).toBe(200);
    const touched = await call(token, 'POST', '/rest/v1/rpc/touch_admin_session', {}, spoofed);
    expect(touched.status).toBe(200);
    const [audit] = await auditRows({ record_id: customer, action: 'credits.adjust' });
    const { data: sessions } = await serviceClient()
      .from('admin_sessions')
      .select('ip')
      .eq('user_id', support.id);
    console.log(
      `hardening: spoofed X-Forwarded-For / CF-Connecting-IP / X-Real-IP → admin_audit.ip ${audit.ip}, admin_sessions.ip ${sessions?.[0]?.ip}`,
    );
    expect(audit.ip).toBe('127.0.0.1');
    expect(sessions).toEqual([{ ip: '127.0.0.1' }]);
  });
});

describe('staff authority needs a live sign-in (17.2)', () => {
  it('a token kept after POST /auth/v1/logout reads nothing and moves no credits', async () => {
    const customer = await newCustomer(admin);
    const support = await newUser('support');
    const token = await tokenOf(support.client);
    expect((await adjust(token, customer)).status).toBe(200);
    const out = await call(token, 'POST', '/auth/v1/logout?scope=local');
    expect(out.status).toBe(204);
    const adjusted = await adjust(token, customer);
    const read = await call(token, 'GET', `/rest/v1/customers?select=id&id=eq.${customer}`);
    const who = await call(token, 'POST', '/rest/v1/rpc/whoami', {});
    console.log(
      `hardening: after sign-out the old token → adjust_credits ${adjusted.status}, customers ${JSON.stringify(read.body)}, whoami role ${who.body?.role}`,
    );
    expect(adjusted.status).toBe(403);
    expect(read.body).toEqual([]);
    expect(who.body?.role).toBeNull();
    const { data } = await serviceClient().from('customers').select('credits').eq('id', customer);
    expect(data).toEqual([{ credits: 5 }]);
  });

  it('a session ended with end_admin_session has no staff authority either', async () => {
    const customer = await newCustomer(admin);
    const support = await newUser('support');
    const token = await tokenOf(support.client);
    expect((await call(token, 'POST', '/rest/v1/rpc/touch_admin_session', {})).status).toBe(200);
    expect([200, 204]).toContain(
      (await call(token, 'POST', '/rest/v1/rpc/end_admin_session', {})).status,
    );
    expect((await adjust(token, customer)).status).toBe(403);
    // Another sign-in of the same person is a new session with its own authority.
    const again = await signedIn(support.email, DEMO_PASSWORD);
    expect((await adjust(await tokenOf(again), customer)).status).toBe(200);
  });
});

describe('reasons must be visible plain text (17.3)', () => {
  const invisible: [string, string][] = [
    ['zero-width space', '\u200b'],
    ['no-break space', '\u00a0'],
    ['byte-order mark', '\ufeff'],
    ['a mix of them', ' \u200b\u00a0\ufeff\u2060 \u3000'],
  ];
  const bidi: [string, string][] = [
    ['right-to-left override', 'refund \u202edecnis'],
    ['left-to-right isolate', 'ok \u2066x\u2069'],
    ['right-to-left mark', 'goodwill\u200f'],
  ];
  it.each([...invisible, ...bidi])(
    'refuses a reason of %s, and writes nothing',
    async (_name, reason) => {
      const customer = await newCustomer(admin, 10);
      const token = await tokenOf(admin);
      const r = await adjust(token, customer, reason);
      expect(r.status).toBe(400);
      const message = String(r.body?.message);
      expect(message).toMatch(
        invisible.some(([, v]) => v === reason)
          ? /no visible characters/
          : /invisible text-direction character/,
      );
      const { data } = await serviceClient()
        .from('credit_transactions')
        .select('id')
        .eq('customer_id', customer);
      expect(data).toHaveLength(1); // the funding only
    },
  );

  it('keeps a real reason, trimmed of invisible characters at its ends', async () => {
    const customer = await newCustomer(admin);
    const r = await adjust(
      await tokenOf(admin),
      customer,
      '\u200b\u00a0Goodwill for a slow render\ufeff ',
    );
    expect(r.status).toBe(200);
    const { data } = await serviceClient()
      .from('credit_transactions')
      .select('reason')
      .eq('customer_id', customer);
    expect(data).toEqual([{ reason: 'Goodwill for a slow render' }]);
  });
});

describe("staff email is the account's confirmed address (17.4)", () => {
  it('an admin cannot write another address beside an account into staff', async () => {
    const person = await newUser();
    const { error, status } = await admin
      .from('staff')
      .insert({ user_id: person.id, email: 'ceo@creditdesk.dev', role: 'admin' });
    console.log(`hardening: staff insert with a foreign email → ${status} ${error?.message}`);
    expect(status).toBe(400);
    expect(error?.message).toContain(person.email);
    const { data } = await serviceClient().from('staff').select('user_id').eq('user_id', person.id);
    expect(data).toEqual([]);
  });

  it('no role for an account whose address is not confirmed', async () => {
    const email = `${unique('unconfirmed')}@test.creditdesk.dev`;
    const { data: created } = await serviceClient().auth.admin.createUser({
      email,
      password: DEMO_PASSWORD,
    });
    const viaRpc = await admin.rpc('add_staff_member', {
      p_email: email,
      p_role: 'support',
      p_reason: 'hire',
    });
    const viaInsert = await admin
      .from('staff')
      .insert({ user_id: created.user!.id, email, role: 'support' });
    console.log(
      `hardening: unconfirmed account → add_staff_member ${viaRpc.status} "${viaRpc.error?.message}", insert ${viaInsert.status}`,
    );
    expect(viaRpc.status).toBe(409);
    expect(viaRpc.error?.message).toMatch(/has not confirmed its email address/);
    expect(viaInsert.status).toBe(409);
  });

  it("a customer who asks to take a new hire's address does not get the hire's role", async () => {
    const customer = await newUser();
    const hire = `${unique('new-hire')}@test.creditdesk.dev`;
    const asked = await customer.client.auth.updateUser({ email: hire });
    expect(asked.error).toBeNull();
    // The change waits for both links; until then the address belongs to no account.
    const granted = await admin.rpc('add_staff_member', {
      p_email: hire,
      p_role: 'admin',
      p_reason: 'hire',
    });
    expect(granted.status).toBe(404);
    expect((await customer.client.rpc('whoami')).data).toMatchObject({ role: null });
  });

  it("follows the account when a staff member's address changes later", async () => {
    const member = await newUser('support');
    const moved = `${unique('moved')}@test.creditdesk.dev`;
    expect((await member.client.auth.updateUser({ email: moved })).error).toBeNull();
    // Both links (the new and the current address), as hosted's double confirmation asks.
    const open = async (address: string) => {
      const res = await fetch(
        `${stack().url}/auth/v1/_dev/last-email-link?type=email_change&email=${encodeURIComponent(address)}`,
        { headers: { apikey: stack().anonKey, authorization: `Bearer ${stack().serviceRoleKey}` } },
      );
      const { link } = (await res.json()) as { link: string };
      await fetch(link, { redirect: 'manual' });
    };
    await open(moved);
    await open(member.email);
    const row = async () =>
      (await serviceClient().from('staff').select('email').eq('user_id', member.id).single()).data;
    console.log(`hardening: staff email after the account's change → ${(await row())?.email}`);
    expect(await row()).toEqual({ email: moved });
    // The change is in the audit trail, with both addresses.
    const audit = await auditRows({ record_id: member.id, action: 'staff.update' });
    expect(JSON.stringify(audit.at(-1))).toContain(moved);
  });
});

// The local auth stand-in behaves like GoTrue where it matters for security, through the
// gateway as supabase-js reaches it: typed bodies and the password policy, refresh-token
// reuse, a sign-in rate limit that client headers cannot dodge, bounded bodies, the apikey,
// redirect targets, and email changes that need both addresses confirmed.
import net from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, stack, unique } from '../support/db';

type Answer = { status: number; body: Record<string, unknown> };
type Tokens = { access_token: string; refresh_token: string; user: { id: string } };

/** A call to /auth/v1 as supabase-js makes it (new error shape: `{ code, message }`). */
async function auth(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(`${stack().url}/auth/v1${path}`, {
    method,
    headers: {
      apikey: stack().anonKey,
      'content-type': 'application/json',
      'x-supabase-api-version': '2024-01-01',
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
const service = () => ({ authorization: `Bearer ${stack().serviceRoleKey}` });

async function createUser(password = DEMO_PASSWORD) {
  const email = `${unique('auth')}@test.creditdesk.dev`;
  const r = await auth('POST', '/admin/users', { email, password, email_confirm: true }, service());
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { email, id: r.body.id as string };
}

const signIn = (email: string, password: string, headers?: Record<string, string>) =>
  auth('POST', '/token?grant_type=password', { email, password }, headers);
const refresh = (token: string) =>
  auth('POST', '/token?grant_type=refresh_token', { refresh_token: token });
const bearer = (t: Tokens) => ({ authorization: `Bearer ${t.access_token}` });

/** One raw HTTP exchange: what a client that is not a browser can send. */
function raw(request: string, then?: (socket: net.Socket) => void): Promise<string> {
  const { hostname, port } = new URL(stack().url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(request);
      then?.(socket);
    });
    let answer = '';
    socket.on('data', (d) => (answer += d.toString('latin1')));
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', (e) => (answer ? resolve(answer) : reject(e)));
  });
}
const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);

// Independent accounts throughout, so the tests run side by side: two of them wait out 10 s.
describe.concurrent('the local auth stand-in', () => {
  let siteUrl: string;
  beforeAll(async () => {
    // The stack's SITE_URL: where a refused redirect_to leads instead.
    const { email } = await createUser();
    await auth('POST', '/recover', { email });
    const link = await auth('GET', `/_dev/last-recovery-link?email=${email}`, undefined, service());
    siteUrl = new URL(link.body.link as string).searchParams.get('redirect_to')!;
  });

  it('a rotated refresh token presented again after the reuse interval revokes its whole family', async () => {
    const { email } = await createUser();
    const a = (await signIn(email, DEMO_PASSWORD)).body as unknown as Tokens;
    const b = (await refresh(a.refresh_token)).body as unknown as Tokens;
    const c = (await refresh(b.refresh_token)).body as unknown as Tokens;
    expect(new Set([a.refresh_token, b.refresh_token, c.refresh_token]).size).toBe(3);
    // A client that lost the answer to its last refresh gets the same answer again.
    const retry = await refresh(b.refresh_token);
    expect(retry.status).toBe(200);
    expect(retry.body.refresh_token).toBe(c.refresh_token);

    await new Promise((r) => setTimeout(r, 11_000));
    const replay = await refresh(a.refresh_token);
    const afterwards = await refresh(c.refresh_token);
    console.log(
      `auth: replayed refresh token → ${replay.status} ${replay.body.code}; ` +
        `the newest token of that session afterwards → ${afterwards.status} ${afterwards.body.code}`,
    );
    expect(replay).toMatchObject({ status: 400, body: { code: 'refresh_token_already_used' } });
    expect(afterwards.status).toBe(400);
  });

  it('a body that never finishes arriving is cut off with 408', async () => {
    const answer = await raw(
      `POST /auth/v1/verify HTTP/1.1\r\nHost: x\r\napikey: ${stack().anonKey}\r\n` +
        'content-type: application/json\r\ncontent-length: 1000\r\n\r\n{"type":',
    );
    console.log(`auth: POST /verify with a stalled body → ${answer.split('\r\n')[0]}`);
    expect(statusOf(answer)).toBe(408);
  });

  it('a password of another JSON type is refused as bad JSON, not stringified', async () => {
    const email = `${unique('auth')}@test.creditdesk.dev`;
    const created = await auth(
      'POST',
      '/admin/users',
      { email, password: 1234567, email_confirm: true },
      service(),
    );
    const { email: known } = await createUser();
    const signedIn = await signIn(known, 1234567 as unknown as string);
    console.log(
      `auth: {"password":1234567} → create ${created.status} ${created.body.code}, sign-in ${signedIn.status} ${signedIn.body.code}`,
    );
    expect(created).toMatchObject({ status: 400, body: { code: 'bad_json' } });
    expect(signedIn).toMatchObject({ status: 400, body: { code: 'bad_json' } });
    const after = await auth('GET', '/admin/users?per_page=1000', undefined, service());
    const users = after.body.users as { email: string }[];
    expect(users.some((u) => u.email === email)).toBe(false);
  });

  it("the database side enforces config.toml's 12-character minimum too", async () => {
    // local_auth is what the auth server calls (service role only); called directly, it must
    // hold the same policy, not GoTrue's default of 6.
    const res = await fetch(`${stack().url}/rest/v1/rpc/admin_create_user`, {
      method: 'POST',
      headers: {
        apikey: stack().serviceRoleKey,
        authorization: `Bearer ${stack().serviceRoleKey}`,
        'content-type': 'application/json',
        'content-profile': 'local_auth',
      },
      body: JSON.stringify({
        p_email: `${unique('auth')}@test.creditdesk.dev`,
        p_password: 'eleven-char',
      }),
    });
    const body = (await res.json()) as { error?: string; user?: unknown };
    console.log(
      `auth: local_auth.admin_create_user with an 11-character password → ${JSON.stringify(body).slice(0, 60)}`,
    );
    expect(body).toEqual({ error: 'weak_password' });
    const api = await auth(
      'POST',
      '/admin/users',
      { email: `${unique('auth')}@test.creditdesk.dev`, password: 'eleven-char' },
      service(),
    );
    expect(api).toMatchObject({ status: 422, body: { code: 'weak_password' } });
    expect(String(api.body.message)).toContain('12 characters');
  });

  it('sign-in is rate limited per client and email, and client headers do not reset it', async () => {
    const { email } = await createUser();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      // Every guess claims another address: none of these headers is the client's address.
      const spoof = `203.0.113.${i}`;
      statuses.push(
        (
          await signIn(email, `wrong-password-${i}`, {
            'x-forwarded-for': spoof,
            'cf-connecting-ip': spoof,
            'x-real-ip': spoof,
          })
        ).status,
      );
    }
    const limited = await signIn(email, DEMO_PASSWORD, { 'x-forwarded-for': '198.51.100.7' });
    const other = await createUser();
    const elsewhere = await signIn(other.email, DEMO_PASSWORD);
    console.log(
      `auth: 30 wrong passwords → ${[...new Set(statuses)].join('/')}; the 31st try (right password) → ` +
        `${limited.status} ${limited.body.code}; another account from the same client → ${elsewhere.status}`,
    );
    expect(statuses.every((s) => s === 400)).toBe(true);
    expect(limited).toMatchObject({
      status: 429,
      body: { code: 'over_request_rate_limit', message: 'Request rate limit reached' },
    });
    expect(elsewhere.status).toBe(200);
  });

  it('POST /verify needs the apikey and reads no oversized body', async () => {
    const noKey = await raw(
      'POST /auth/v1/verify HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n' +
        'content-length: 10485760\r\n\r\n',
    );
    const declared = await raw(
      `POST /auth/v1/verify HTTP/1.1\r\nHost: x\r\napikey: ${stack().anonKey}\r\n` +
        'content-type: application/json\r\ncontent-length: 10485760\r\n\r\n',
    );
    // Chunked, so no length is declared: the server counts as it reads.
    const streamed = await raw(
      `POST /auth/v1/verify HTTP/1.1\r\nHost: x\r\napikey: ${stack().anonKey}\r\n` +
        'content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n',
      (socket) => {
        const chunk = Buffer.alloc(16 * 1024, 0x20);
        for (let i = 0; i < 5; i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      },
    );
    console.log(
      `auth: POST /verify, 10 MB declared, no apikey → ${statusOf(noKey)}; with apikey → ` +
        `${statusOf(declared)}; 80 KiB chunked → ${statusOf(streamed)}`,
    );
    expect(statusOf(noKey)).toBe(401);
    expect(statusOf(declared)).toBe(413);
    expect(statusOf(streamed)).toBe(413);
  });

  it('an email link leads only to an http(s) URL on an allowed origin', async () => {
    const { email } = await createUser();
    const site = new URL(siteUrl);
    const targets = {
      script: `javascript://${site.host}/%0aalert(document.domain)`,
      otherPort: `${site.protocol}//${site.hostname}:1/`,
      allowed: 'http://localhost:5173/#/set-password',
    };
    const got: Record<string, string> = {};
    for (const [name, target] of Object.entries(targets)) {
      await auth('POST', `/recover?redirect_to=${encodeURIComponent(target)}`, { email });
      const link = await auth(
        'GET',
        `/_dev/last-recovery-link?email=${email}`,
        undefined,
        service(),
      );
      got[name] = new URL(link.body.link as string).searchParams.get('redirect_to')!;
    }
    // The link itself, opened with a forged target, must not send the browser there either.
    const res = await fetch(
      `${stack().url}/auth/v1/verify?type=recovery&token=nope&redirect_to=${encodeURIComponent(targets.script)}`,
      { redirect: 'manual' },
    );
    const location = res.headers.get('location') ?? '';
    console.log(
      `auth: redirect_to kept as ${JSON.stringify(got)}; /verify → ${location.split('#')[0]}`,
    );
    expect(got).toEqual({ script: siteUrl, otherPort: siteUrl, allowed: targets.allowed });
    expect(res.status).toBe(303);
    expect(location.startsWith(`${siteUrl}#`)).toBe(true);
  });

  it('an invite, like GoTrue: service role only, one link that opens a session once, no second account', async () => {
    const email = `${unique('invitee')}@test.creditdesk.dev`;
    // With the anon key alone, as a browser holds it: "User not allowed", as hosted answers.
    expect(await auth('POST', '/invite', { email })).toMatchObject({
      status: 403,
      body: { code: 'not_admin' },
    });
    const invited = await auth(
      'POST',
      '/invite',
      { email, data: { full_name: 'Ina Vite' } },
      service(),
    );
    expect(invited.status).toBe(200);
    expect(invited.body).toMatchObject({ email, email_confirmed_at: null });
    // Not confirmed yet: asked again, GoTrue sends a fresh link to the same account.
    const again = await auth('POST', '/invite', { email }, service());
    expect(again.body.id).toBe(invited.body.id);
    const mailed = await auth(
      'GET',
      `/_dev/last-email-link?type=invite&email=${email}`,
      undefined,
      service(),
    );
    const link = mailed.body.link as string;
    const open = () => fetch(link, { redirect: 'manual' });
    const first = new URLSearchParams((await open()).headers.get('location')!.split('#')[1]);
    expect(first.get('type')).toBe('invite');
    const session = { access_token: first.get('access_token')! } as Tokens;
    expect(
      (await auth('PUT', '/user', { password: 'invited-password-1' }, bearer(session))).status,
    ).toBe(200);
    expect((await signIn(email, 'invited-password-1')).status).toBe(200);
    const second = new URLSearchParams((await open()).headers.get('location')!.split('#')[1]);
    console.log(
      `auth: invite link opened twice → ${first.get('type')}, then ${second.get('error_code')}`,
    );
    expect(second.get('error_code')).toBe('otp_expired');
    // Confirmed now: a second invite would be a second account under one address.
    expect(await auth('POST', '/invite', { email }, service())).toMatchObject({
      status: 422,
      body: { code: 'email_exists' },
    });
  });

  it('an email change applies only once both the new and the current address confirm it', async () => {
    const { email } = await createUser();
    const wanted = `${unique('new-hire')}@test.creditdesk.dev`;
    const session = (await signIn(email, DEMO_PASSWORD)).body as unknown as Tokens;
    const asked = await auth('PUT', '/user', { email: wanted }, bearer(session));
    expect(asked.status).toBe(200);
    expect(asked.body).toMatchObject({ email, new_email: wanted });
    const user = async () => (await auth('GET', '/user', undefined, bearer(session))).body;
    expect((await user()).email).toBe(email);
    // Whoever asked does not hold the new address yet: no sign-in under it.
    expect((await signIn(wanted, DEMO_PASSWORD)).status).toBe(400);

    const linkTo = async (address: string) =>
      (
        await auth(
          'GET',
          `/_dev/last-email-link?type=email_change&email=${address}`,
          undefined,
          service(),
        )
      ).body.link as string;
    const open = async (link: string) =>
      (await fetch(link, { redirect: 'manual' })).headers.get('location') ?? '';
    const first = await open(await linkTo(wanted));
    const between = (await user()).email;
    const second = await open(await linkTo(email));
    const after = await user();
    console.log(
      `auth: email change → after the new address's link: ${between} (${decodeURIComponent(first.split('#')[1] ?? '')}); ` +
        `after both: ${after.email}, confirmed ${Boolean(after.email_confirmed_at)}`,
    );
    expect(first).toContain('message=Confirmation+link+accepted');
    expect(between).toBe(email);
    expect(second).toContain('type=email_change');
    expect(after).toMatchObject({ email: wanted, new_email: null });
    expect(after.email_confirmed_at).toBeTruthy();
    expect((await signIn(wanted, DEMO_PASSWORD)).status).toBe(200);
    // A spent link is spent.
    expect(await open(await linkTo(wanted))).toContain('error_code=otp_expired');
  });
});

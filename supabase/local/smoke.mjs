// Smoke check of the embedded stack (not part of the test suite):
//   node supabase/local/smoke.mjs
// Cold start on a temp folder, the auth flows supabase-js uses, session isolation
// under interleaved requests, clean stop, warm restart, and no orphaned PostgREST
// after SIGTERM or SIGKILL of the stack process.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { startStack } from './stack.mjs';
import { DEMO_PASSWORD } from './keys.mjs';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'creditdesk-smoke-'));
const step = (s) => console.log(`ok - ${s}`);

function memoryStorage() {
  const m = new Map();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
  };
}
const client = (s) =>
  createClient(s.url, s.anonKey, {
    auth: {
      storage: memoryStorage(),
      autoRefreshToken: false,
      detectSessionInUrl: false,
      persistSession: true,
    },
    // Node 20 has no WebSocket; realtime is never used here.
    realtime: { transport: /** @type {any} */ (class {}) },
  });

/** PostgREST processes under the stack's wrapper. */
const childrenOf = (pid) => {
  try {
    return execFileSync('pgrep', ['-P', String(pid)])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
};
const alive = (pid) => {
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch {
    return false;
  }
};

async function authFlows(s) {
  const rest = (headers) => fetch(`${s.url}/rest/v1/`, { headers });
  assert.equal((await rest({ apikey: s.anonKey })).status, 200);
  const noKey = await rest({});
  assert.equal(noKey.status, 401);
  assert.deepEqual(await noKey.json(), { message: 'No API key found in request' });
  assert.equal((await rest({ apikey: 'nope' })).status, 401);
  step('gateway: /rest/v1/ 200 with anon key, 401 without or with a wrong one');

  const admin = (method, p, body, key = s.serviceRoleKey) =>
    fetch(`${s.url}/auth/v1${p}`, {
      method,
      headers: { apikey: key, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
  const email = `smoke-${Date.now()}@example.com`;
  assert.equal(
    (await admin('POST', '/admin/users', { email, password: 'first-password' }, s.anonKey)).status,
    403,
  );
  const created = await admin('POST', '/admin/users', {
    email,
    password: 'first-password',
    email_confirm: true,
  });
  assert.equal(created.status, 200);
  const user = await created.json();
  assert.equal(user.email, email);
  assert.equal(
    (await admin('POST', '/admin/users', { email, password: 'first-password' })).status,
    422,
  );
  step('admin/users: create with service key; 403 with anon key; 422 on duplicate');

  const sb = client(s);
  const bad = await sb.auth.signInWithPassword({ email, password: 'wrong-password' });
  assert.equal(bad.error?.status, 400);
  assert.equal(bad.error?.code, 'invalid_credentials');
  const signIn = await sb.auth.signInWithPassword({ email, password: 'first-password' });
  assert.ifError(signIn.error);
  const claims = JSON.parse(
    Buffer.from(signIn.data.session.access_token.split('.')[1], 'base64url').toString(),
  );
  assert.equal(claims.iss, `${s.url}/auth/v1`);
  assert.equal(claims.role, 'authenticated');
  assert.equal(claims.sub, user.id);
  assert.ok(claims.session_id);
  step('signInWithPassword (and invalid_credentials for a wrong password)');

  const got = await sb.auth.getUser();
  assert.ifError(got.error);
  assert.equal(got.data.user.id, user.id);
  step('getUser');

  const oldRefresh = signIn.data.session.refresh_token;
  const refreshed = await sb.auth.refreshSession();
  assert.ifError(refreshed.error);
  assert.notEqual(refreshed.data.session.refresh_token, oldRefresh);
  // GoTrue's answer to a client that lost its last refresh: the same new token again.
  const reuse = await client(s).auth.refreshSession({ refresh_token: oldRefresh });
  assert.ifError(reuse.error);
  assert.equal(reuse.data.session.refresh_token, refreshed.data.session.refresh_token);
  step('refreshSession rotates; the rotated token again gets the same new token');

  const weak = await sb.auth.updateUser({ password: 'short-pw' });
  assert.equal(weak.error?.code, 'weak_password');
  assert.equal(weak.error?.status, 422);
  assert.ifError(
    (await sb.auth.updateUser({ password: 'second-password', data: { name: 'Smoke' } })).error,
  );
  assert.ifError(
    (await client(s).auth.signInWithPassword({ email, password: 'second-password' })).error,
  );
  assert.ok((await client(s).auth.signInWithPassword({ email, password: 'first-password' })).error);
  step('updateUser({ password, data }); weak_password below config.toml minimum');

  assert.ifError(
    (
      await sb.auth.resetPasswordForEmail(email, {
        redirectTo: 'http://localhost:5173/#/set-password',
      })
    ).error,
  );
  const linkRes = await admin('GET', `/_dev/last-recovery-link?email=${encodeURIComponent(email)}`);
  const { link } = await linkRes.json();
  assert.ok(link.startsWith(`${s.url}/auth/v1/verify?token=`));
  const follow = await fetch(link, { redirect: 'manual' });
  assert.equal(follow.status, 303);
  const fragment = new URLSearchParams(follow.headers.get('location').split('#').pop());
  assert.equal(fragment.get('type'), 'recovery');
  const rec = client(s);
  const set = await rec.auth.setSession({
    access_token: fragment.get('access_token'),
    refresh_token: fragment.get('refresh_token'),
  });
  assert.ifError(set.error);
  assert.ifError((await rec.auth.updateUser({ password: 'third-password' })).error);
  const again = await fetch(link, { redirect: 'manual' });
  assert.match(again.headers.get('location'), /error_code=otp_expired/);
  step('resetPasswordForEmail → link → 303 with a recovery session (one-time) → updateUser');

  const token = (await sb.auth.getSession()).data.session?.access_token;
  // The password change ended the other sessions, as GoTrue does: sign in again.
  const fresh = client(s);
  assert.ifError(
    (await fresh.auth.signInWithPassword({ email, password: 'third-password' })).error,
  );
  const freshToken = (await fresh.auth.getSession()).data.session.access_token;
  assert.ifError((await fresh.auth.signOut()).error);
  for (const t of [token, freshToken]) {
    const r = await fetch(`${s.url}/auth/v1/user`, {
      headers: { apikey: s.anonKey, authorization: `Bearer ${t}` },
    });
    assert.equal(r.status, 403);
  }
  step('signOut; a signed-out session gets 403 session_not_found on /user');
  return email;
}

/** Staff and non-staff calls interleaved: nobody sees another's identity. */
async function isolation(s) {
  const who = async (email) => {
    const c = client(s);
    const { error } = await c.auth.signInWithPassword({ email, password: DEMO_PASSWORD });
    return error ? null : c;
  };
  const adminC = await who('admin@creditdesk.dev');
  const customerC = await who('customer@creditdesk.dev');
  if (!adminC || !customerC) return console.log('skip - isolation (no demo logins seeded)');
  const anonC = client(s);
  const probe = await adminC.rpc('whoami');
  if (probe.error) return console.log(`skip - isolation (whoami: ${probe.error.message})`);
  const calls = [];
  for (let i = 0; i < 20; i++) {
    calls.push(adminC.rpc('whoami').then((r) => assert.equal(r.data?.role, 'admin')));
    calls.push(customerC.rpc('whoami').then((r) => assert.equal(r.data?.role ?? null, null)));
    calls.push(
      anonC
        .from('customers')
        .select('id')
        .limit(1)
        .then((r) => assert.equal(r.data?.length ?? 0, 0)),
    );
  }
  await Promise.all(calls);
  step('60 interleaved requests as admin, customer and anon stay apart');
}

async function signalCheck(signal) {
  const child = spawn(
    process.execPath,
    [path.join(import.meta.dirname, 'stack.mjs'), '--data-dir', dataDir, '--port', '0'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  while (!out.includes('ready in')) await new Promise((r) => setTimeout(r, 100));
  const wrappers = childrenOf(child.pid);
  const postgrests = wrappers.flatMap(childrenOf);
  assert.ok(postgrests.length >= 1, 'PostgREST runs under the wrapper');
  const exited = new Promise((r) => child.once('exit', (code, sig) => r({ code, sig })));
  child.kill(signal);
  const { code } = await exited;
  if (signal === 'SIGTERM') assert.equal(code, 0);
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(postgrests.filter(alive), [], `PostgREST outlived ${signal}`);
  step(`${signal} of the stack process leaves no PostgREST behind`);
}

const cold = await startStack({ dataDir, port: 0, quiet: true });
console.log(`cold start: ${cold.startMs} ms (fresh=${cold.fresh}) at ${cold.url}`);
try {
  await authFlows(cold);
  await isolation(cold);
  const pgrest = childrenOf(cold.postgrestPid);
  await cold.restartPostgrest();
  assert.equal(
    (await fetch(`${cold.url}/rest/v1/`, { headers: { apikey: cold.anonKey } })).status,
    200,
  );
  assert.deepEqual(pgrest.filter(alive), []);
  step('restartPostgrest');
  var pids = childrenOf(cold.postgrestPid);
} finally {
  await cold.stop();
}
await new Promise((r) => setTimeout(r, 200));
assert.deepEqual(pids.filter(alive), []);
step('stop() leaves no PostgREST behind');

const warm = await startStack({ dataDir, port: 0, quiet: true });
console.log(`warm start: ${warm.startMs} ms (fresh=${warm.fresh})`);
try {
  const again = await client(warm).auth.signInWithPassword({
    email: 'admin@creditdesk.dev',
    password: DEMO_PASSWORD,
  });
  if (again.error) console.log(`note - demo admin sign-in: ${again.error.message}`);
  else step('warm restart: demo admin signs in');
} finally {
  await warm.stop();
}
await signalCheck('SIGTERM');
await signalCheck('SIGKILL');
fs.rmSync(dataDir, { recursive: true, force: true });
console.log('smoke: all good');

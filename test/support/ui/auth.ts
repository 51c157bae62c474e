import { http, HttpResponse } from 'msw';
import { REST, SUPABASE_URL } from './rest';

export type HarnessRole = 'admin' | 'support' | 'finance' | null;

import { DEMO_EMAILS, DEMO_PASSWORD } from '../../../supabase/local/keys.mjs';

export { DEMO_PASSWORD };

export interface FakeUser {
  id: string;
  email: string;
  role: HarnessRole;
}

const AUTH = `${SUPABASE_URL}/auth/v1`;

export function userFor(role: HarnessRole, email?: string): FakeUser {
  const name = role ?? 'customer';
  return {
    id: `00000000-0000-4000-8000-${String(['admin', 'support', 'finance'].indexOf(name) + 1).padStart(12, '0')}`,
    email: email ?? DEMO_EMAILS[name],
    role,
  };
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT with GoTrue's claims; the signature is fake (nothing in the browser verifies it). */
export function fakeJwt(user: FakeUser, expiresIn = 3600): string {
  const now = Math.floor(Date.now() / 1000);
  return [
    base64url({ alg: 'HS256', typ: 'JWT' }),
    base64url({
      sub: user.id,
      email: user.email,
      role: 'authenticated',
      aud: 'authenticated',
      session_id: `session-${user.id}`,
      iat: now,
      exp: now + expiresIn,
    }),
    'fake-signature',
  ].join('.');
}

function gotrueUser(user: FakeUser) {
  return {
    id: user.id,
    aud: 'authenticated',
    role: 'authenticated',
    email: user.email,
    email_confirmed_at: '2026-01-01T00:00:00Z',
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: {},
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  };
}

export function sessionFor(user: FakeUser) {
  return {
    access_token: fakeJwt(user),
    token_type: 'bearer',
    expires_in: 3600,
    expires_at: Math.floor(Date.now() / 1000) + 3600,
    refresh_token: `refresh-${user.id}`,
    user: gotrueUser(user),
  };
}

/** The one account the fake GoTrue knows; renderApp sets it. */
let current: FakeUser = userFor('admin');
export function setAuthUser(user: FakeUser) {
  current = user;
}

/**
 * GoTrue (password sign-in, refresh, user, logout, recover) and whoami for `current`. A
 * sign-in with another email or a password other than DEMO_PASSWORD gets GoTrue's 400.
 */
export const authHandlers = [
  http.post(`${AUTH}/token`, async ({ request }) => {
    const grant = new URL(request.url).searchParams.get('grant_type');
    const body = (await request.json()) as { email?: string; password?: string };
    if (grant === 'password' && (body.email !== current.email || body.password !== DEMO_PASSWORD)) {
      return HttpResponse.json(
        { code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' },
        { status: 400 },
      );
    }
    return HttpResponse.json(sessionFor(current));
  }),
  http.get(`${AUTH}/user`, ({ request }) =>
    request.headers.get('authorization')?.startsWith('Bearer ')
      ? HttpResponse.json(gotrueUser(current))
      : HttpResponse.json({ code: 401, msg: 'no token' }, { status: 401 }),
  ),
  http.post(`${AUTH}/logout`, () => new HttpResponse(null, { status: 204 })),
  http.post(`${AUTH}/recover`, () => HttpResponse.json({})),
  http.post(`${REST}/rpc/whoami`, () =>
    HttpResponse.json({ user_id: current.id, email: current.email, role: current.role }),
  ),
];

import { afterEach, describe, expect, it } from 'vitest';
import { detectSessionInUrl, routePasswordLink } from './authLinks';

const at = (hash: string) => {
  window.history.replaceState(null, '', `/app/${hash}`);
  return window.location;
};

describe('password links', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('a recovery redirect becomes the set-password route with its tokens', () => {
    expect(
      routePasswordLink(
        at('#access_token=a.b.c&expires_in=3600&refresh_token=r1&token_type=bearer&type=recovery'),
      ),
    ).toBe(true);
    expect(window.location.hash).toBe(
      '#/set-password?access_token=a.b.c&refresh_token=r1&type=recovery',
    );
    // Already routed: left as it is.
    expect(routePasswordLink(window.location)).toBe(false);
  });

  it('keeps GoTrue fragments appended after a hash route, and carries errors', () => {
    expect(routePasswordLink(at('#/set-password#error=access_denied&error_code=otp_expired'))).toBe(
      true,
    );
    expect(window.location.hash).toBe('#/set-password?error_code=otp_expired');
  });

  it('leaves ordinary routes and other sign-in redirects alone', () => {
    expect(routePasswordLink(at('#/customers?filter=%7B%7D'))).toBe(false);
    expect(routePasswordLink(at('#access_token=x&refresh_token=y&type=magiclink'))).toBe(false);
    expect(window.location.hash).toBe('#access_token=x&refresh_token=y&type=magiclink');
  });

  it('supabase-js takes no session from recovery, invite or error links', () => {
    const url = new URL('http://x/');
    expect(detectSessionInUrl(url, { access_token: 'a', type: 'recovery' })).toBe(false);
    expect(detectSessionInUrl(url, { access_token: 'a', type: 'invite' })).toBe(false);
    expect(detectSessionInUrl(url, { error_code: 'otp_expired', error_description: 'x' })).toBe(
      false,
    );
    expect(detectSessionInUrl(url, { access_token: 'a', type: 'magiclink' })).toBe(true);
  });
});

// Password-recovery and invite links. GoTrue's /verify answers with a redirect to the site
// whose fragment holds either a session (`#access_token=…&refresh_token=…&type=recovery`) or
// an error (`#error=access_denied&error_code=otp_expired&error_description=…`). Left alone,
// supabase-js takes that session and signs the person straight in with no chance to choose
// a password, and drops an error without a word. So supabase-js is told to leave these
// fragments alone (detectSessionInUrl below), and before the app starts the fragment becomes
// a route of our hash router: ra-supabase's set-password page, which reads the tokens from
// the route's query string (or, for an error, says what went wrong).

const PASSWORD_LINK_TYPES = new Set(['recovery', 'invite']);
const KEPT = ['access_token', 'refresh_token', 'type', 'error_code', 'error_description'];

export const SET_PASSWORD_PATH = '/set-password';

type Get = (name: string) => string | null | undefined;

const isPasswordLink = (get: Get) =>
  PASSWORD_LINK_TYPES.has(get('type') ?? '') || get('error_code') != null;

/**
 * GoTrue's parameters, which it appends after a '#' of its own: after the last '#', unless
 * that is a route of ours (`#/set-password?…`), whose query string is not GoTrue's fragment.
 */
function goTrueFragment(hash: string): URLSearchParams | null {
  const fragment = hash.slice(hash.lastIndexOf('#') + 1);
  if (!fragment || fragment.startsWith('/')) return null;
  return new URLSearchParams(fragment);
}

/** For supabase-js: take a session from the URL, except from recovery and invite links. */
export function detectSessionInUrl(_url: URL, params: Record<string, string>): boolean {
  if (isPasswordLink((name) => params[name])) return false;
  return Boolean(params.access_token || params.error_description);
}

/**
 * Rewrites a recovery or invite redirect (or GoTrue's error redirect) to
 * `#/set-password?…` before the app starts, keeping only the tokens or the error for the
 * page. Returns true when it did.
 */
export function routePasswordLink(location: Location = window.location): boolean {
  const params = goTrueFragment(location.hash);
  if (!params || !isPasswordLink((name) => params.get(name))) return false;
  const kept = new URLSearchParams();
  for (const name of KEPT) {
    const value = params.get(name);
    if (value !== null) kept.set(name, value);
  }
  window.history.replaceState(
    null,
    '',
    `${location.pathname}${location.search}#${SET_PASSWORD_PATH}?${kept}`,
  );
  return true;
}

import { HttpError } from 'react-admin';

/** What a person reads when the request never reached the server (offline, server down). */
export const NETWORK_ERROR_MESSAGE =
  'Could not reach the server, so nothing was saved. Check the connection and try again.';

interface ErrorBody {
  code?: string;
  details?: string | null;
  hint?: string | null;
  message?: string;
}

/**
 * True when the request never got an answer: fetch's TypeError, supabase-js's status 0 (its
 * `{ message: 'TypeError: Failed to fetch' }`, or auth-js's AuthRetryableFetchError), or an
 * error already mapped by toServerError.
 */
export function isNetworkError(error: unknown, status?: number): boolean {
  const e = error as { status?: unknown; body?: { networkError?: boolean } } | null;
  return error instanceof TypeError || status === 0 || e?.status === 0 || !!e?.body?.networkError;
}

// The one error shape the provider rejects with, for table requests (ra-supabase) and RPCs
// (supabase-js) alike: an HttpError with PostgREST's status (400 bad input, 403 role, 404
// missing, 409 conflict) whose message already ends with the database's hint, the actionable
// part ("Reload the value…"). Screens show `error.message` and nothing else.
export function toServerError(error: unknown, status?: number): HttpError {
  if ((error as { body?: { networkError?: boolean } } | null)?.body?.networkError) {
    return error as HttpError;
  }
  if (isNetworkError(error, status)) {
    return new HttpError(NETWORK_ERROR_MESSAGE, 0, { networkError: true });
  }
  // Duck-typed rather than instanceof: ra-supabase may bring its own copy of ra-core's
  // HttpError class, and supabase-js's PostgrestError is a plain object with its body fields.
  const e = (error ?? {}) as { message?: unknown; status?: unknown; body?: unknown };
  const fromHttp = typeof e.status === 'number' && 'body' in e;
  const body = ((fromHttp ? e.body : error) ?? {}) as ErrorBody;
  const base =
    (typeof e.message === 'string' && e.message) ||
    body.message ||
    'The server refused the request.';
  const hint = typeof body.hint === 'string' ? body.hint : '';
  const message = hint && !base.includes(hint) ? `${base} ${hint}` : base;
  return new HttpError(message, fromHttp ? (e.status as number) : (status ?? 500), {
    code: body.code,
    details: body.details,
    hint: body.hint,
  });
}

/** The sentence to show for any rejection (an Error's message, or a thrown string). */
export function errorMessage(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error instanceof Error && error.message) return error.message;
  return 'The server refused the request.';
}

export function isConflict(error: unknown): boolean {
  return (error as Partial<HttpError> | null)?.status === 409;
}

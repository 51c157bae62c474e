import type { HttpError } from 'react-admin';

// PostgREST puts the actionable part of a refusal in `hint` ("Reload the value…"); the
// provider's RPC errors already append it to the message, table writes do not.
export function errorMessage(error: unknown): string {
  if (typeof error === 'string') return error;
  const { message, body } = (error ?? {}) as Partial<HttpError>;
  const hint = (body as { hint?: unknown } | undefined)?.hint;
  const base = message || 'The server refused the request.';
  return typeof hint === 'string' && hint && !base.includes(hint) ? `${base} ${hint}` : base;
}

export function isConflict(error: unknown): boolean {
  return (error as Partial<HttpError> | null)?.status === 409;
}

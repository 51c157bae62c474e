import { HttpError } from 'react-admin';
import type { PostgrestError } from '@supabase/supabase-js';

// PostgREST's status (400 bad input, 403 role, 404 missing, 409 conflict) and the database's
// message and hint travel to the UI unchanged, so a notification says what to do.
export function toHttpError(error: PostgrestError, status: number): HttpError {
  const message = error.hint ? `${error.message} ${error.hint}` : error.message;
  return new HttpError(message, status, {
    code: error.code,
    details: error.details,
    hint: error.hint,
  });
}

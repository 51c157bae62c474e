import type { Tables } from '@/types/database';

type AdminSession = Tables<'admin_sessions'>;

export type SessionStatus = 'signed out' | 'expired' | 'open';

/**
 * A session is over when its staff member signed out, or once the access token of its last
 * heartbeat has expired (expires_at, from touch_admin_session): past that moment nobody can be
 * using it without a newer heartbeat, whether the tab was closed or the laptop shut.
 */
export function sessionStatus(
  session: Pick<AdminSession, 'ended_at' | 'expires_at'>,
  now = new Date(),
): SessionStatus {
  if (session.ended_at) return 'signed out';
  if (session.expires_at && new Date(session.expires_at) <= now) return 'expired';
  return 'open';
}

import { usePermissions } from 'react-admin';
import type { StaffRole } from '@/providers/rpcTypes';
import { STAFF_ROLES, WRITER_ROLES } from './screens';

export type Role = StaffRole | null;

// What buttons offer each role (screens.ts says which screens). The database refuses the
// rest anyway; this only keeps people from meeting a button that can only fail for them.
export const canWrite = (role: Role | undefined): boolean =>
  (WRITER_ROLES as readonly Role[]).includes(role ?? null);
export const isAdmin = (role: Role | undefined): boolean => role === 'admin';
export const isStaff = (role: Role | undefined): role is StaffRole =>
  (STAFF_ROLES as readonly Role[]).includes(role ?? null);

/** The signed-in user's staff role from whoami(); null for a non-staff account. */
export function useRole(): { role: Role | undefined; isPending: boolean } {
  const { permissions, isPending } = usePermissions<Role>();
  return { role: isPending ? undefined : isStaff(permissions) ? permissions : null, isPending };
}

/** True once the role is known and may write (support / admin). */
export function useCanWrite(): boolean {
  return canWrite(useRole().role);
}

/** Admin-only screens and buttons; pending while the role is still being asked for. */
export function useIsAdmin(): { isAdmin: boolean; isPending: boolean } {
  const { role, isPending } = useRole();
  return { isAdmin: isAdmin(role), isPending };
}

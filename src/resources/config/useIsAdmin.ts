import { usePermissions } from 'react-admin';

// The UI hides writes from non-admins; the database refuses them regardless.
export function useIsAdmin(): { isAdmin: boolean; isPending: boolean } {
  const { permissions, isPending } = usePermissions<'admin' | 'support' | 'finance' | null>();
  return { isAdmin: permissions === 'admin', isPending };
}

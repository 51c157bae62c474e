import { CreateButton, ExportButton, TopToolbar } from 'react-admin';
import { useIsAdmin } from '@/layout/permissions';

// Everyone may export; only admins see the way to create.
export function AdminListActions() {
  const { isAdmin } = useIsAdmin();
  return (
    <TopToolbar>
      {isAdmin && <CreateButton />}
      <ExportButton />
    </TopToolbar>
  );
}

import { CreateButton, TopToolbar } from 'react-admin';
import { ExportAllButton } from '@/components/ExportAllButton';
import { useIsAdmin } from '@/layout/permissions';

// Everyone may export; only admins see the way to create.
export function AdminListActions() {
  const { isAdmin } = useIsAdmin();
  return (
    <TopToolbar>
      {isAdmin && <CreateButton />}
      <ExportAllButton />
    </TopToolbar>
  );
}

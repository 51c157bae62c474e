import type { ReactNode } from 'react';
import { Alert, Box } from '@mui/material';
import { useIsAdmin } from './permissions';

// For routes a non-admin can still type into the address bar: say why there is nothing to
// do here instead of showing a form the database would refuse.
export function AdminOnly({ children, what }: { children: ReactNode; what: string }) {
  const { isAdmin, isPending } = useIsAdmin();
  if (isPending) return null;
  if (!isAdmin) {
    return (
      <Box sx={{ p: 2 }}>
        <Alert severity="info">Only admins can {what}.</Alert>
      </Box>
    );
  }
  return <>{children}</>;
}

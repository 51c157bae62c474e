import type { ReactNode } from 'react';
import { Layout as RaLayout, type LayoutProps } from 'react-admin';
import { AppBar } from './AppBar';
import { Menu } from './Menu';
import { NoAccessPage } from './NoAccessPage';
import { useRole } from './permissions';
import { useAdminSessionHeartbeat } from './useAdminSessionHeartbeat';

export function Layout({ children, ...props }: LayoutProps & { children?: ReactNode }) {
  const { role, isPending } = useRole();
  useAdminSessionHeartbeat(!isPending && role != null);
  if (!isPending && role === null) return <NoAccessPage />;
  return (
    <RaLayout {...props} menu={Menu} appBar={AppBar}>
      {children}
    </RaLayout>
  );
}

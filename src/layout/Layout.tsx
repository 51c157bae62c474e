import { useEffect, type ReactNode } from 'react';
import { useMediaQuery } from '@mui/material';
import { Layout as RaLayout, useSidebarState, type LayoutProps } from 'react-admin';
import { AppBar } from './AppBar';
import { Menu } from './Menu';
import { NoAccessPage } from './NoAccessPage';
import { useRole } from './permissions';
import { useAdminSessionHeartbeat } from './useAdminSessionHeartbeat';

// Below this width an open menu (240 px) leaves the lists too little room: measured at
// 1024 px the generations, ledger and feedback pages were 60-158 px too wide with it open.
const MENU_FITS = '(min-width: 1280px)';

/** Folds the menu to its icons when the window becomes narrower than a wide laptop. */
function useMenuFoldedOnLaptops() {
  const wide = useMediaQuery(MENU_FITS, { noSsr: true });
  const [, setOpen] = useSidebarState();
  useEffect(() => {
    if (!wide) setOpen(false);
  }, [wide, setOpen]);
}

export function Layout({ children, ...props }: LayoutProps & { children?: ReactNode }) {
  const { role, isPending } = useRole();
  useAdminSessionHeartbeat(!isPending && role != null);
  if (!isPending && role === null) return <NoAccessPage />;
  return (
    <RaLayout {...props} menu={Menu} appBar={AppBar}>
      <MenuFolder />
      {children}
    </RaLayout>
  );
}

// Inside react-admin's layout, where the sidebar state lives.
function MenuFolder() {
  useMenuFoldedOnLaptops();
  return null;
}

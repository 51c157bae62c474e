import type { ReactNode } from 'react';
import { ListItemIcon, ListItemText, MenuItem } from '@mui/material';
import PasswordIcon from '@mui/icons-material/Password';
import { Link } from 'react-router-dom';
import {
  AppBar as RaAppBar,
  Logout,
  UserMenu as RaUserMenu,
  useGetIdentity,
  useUserMenu,
} from 'react-admin';
import { CHANGE_PASSWORD_PATH } from '@/auth/paths';

/**
 * The user menu, its button named by the name it shows (WCAG 2.5.3, label in name): react-admin
 * labels it "Profile" while the button reads "Ada Admin". On narrow screens, where only the
 * icon shows, the same name is its label and tooltip. Items go in as children; Logout last.
 */
export function UserMenu({ children }: { children?: ReactNode }) {
  const { identity } = useGetIdentity();
  return (
    <RaUserMenu label={identity?.fullName ?? 'ra.auth.user_menu'}>
      {children}
      <Logout />
    </RaUserMenu>
  );
}

function ChangePasswordItem() {
  const userMenu = useUserMenu();
  return (
    <MenuItem component={Link} to={CHANGE_PASSWORD_PATH} onClick={() => userMenu?.onClose()}>
      <ListItemIcon>
        <PasswordIcon fontSize="small" />
      </ListItemIcon>
      <ListItemText>Change password</ListItemText>
    </MenuItem>
  );
}

/** The one top bar of every signed-in page: colours from the theme's secondary palette. */
export function AppBar() {
  return (
    <RaAppBar
      userMenu={
        <UserMenu>
          <ChangePasswordItem />
        </UserMenu>
      }
    />
  );
}

import type { ReactElement } from 'react';
import { Menu as RaMenu, useHasDashboard, useResourceDefinitions } from 'react-admin';
import QueryStatsIcon from '@mui/icons-material/QueryStats';
import PaidIcon from '@mui/icons-material/Paid';
import HealthAndSafetyIcon from '@mui/icons-material/HealthAndSafety';
import { useRole } from './permissions';
import { screenPath, screensFor, type PageScreen } from './screens';

// Resources bring their own icon; the custom pages' icons live here, with the menu.
const pageIcons: Record<PageScreen['name'], ReactElement> = {
  spend: <QueryStatsIcon />,
  margin: <PaidIcon />,
  'database-health': <HealthAndSafetyIcon />,
};

export function Menu() {
  const { role } = useRole();
  const registered = useResourceDefinitions();
  const hasDashboard = useHasDashboard();
  return (
    <RaMenu>
      {hasDashboard && <RaMenu.DashboardItem />}
      {screensFor(role).map((screen) =>
        screen.kind === 'resource' ? (
          // Registered by App a moment after the role is known; listed from then on.
          registered[screen.name] && <RaMenu.ResourceItem key={screen.name} name={screen.name} />
        ) : (
          <RaMenu.Item
            key={screen.name}
            to={screenPath(screen)}
            primaryText={screen.label}
            leftIcon={pageIcons[screen.name]}
          />
        ),
      )}
    </RaMenu>
  );
}

import { Menu as RaMenu, useHasDashboard, useResourceDefinitions } from 'react-admin';
import QueryStatsIcon from '@mui/icons-material/QueryStats';
import PaidIcon from '@mui/icons-material/Paid';
import HealthAndSafetyIcon from '@mui/icons-material/HealthAndSafety';
import { isAdmin, useRole, type Role } from './permissions';

interface Item {
  resource: string;
  /** Who sees it; the resource must also be registered (App registers by role). */
  visible: (role: Role | undefined) => boolean;
}

const everyone = () => true;

// Order is the daily order of work: people first, then money, then settings.
const items: Item[] = [
  { resource: 'customers', visible: everyone },
  { resource: 'generations', visible: everyone },
  { resource: 'feedback', visible: everyone },
  { resource: 'credit_transactions', visible: everyone },
  { resource: 'admin_audit', visible: everyone },
  { resource: 'generation_types', visible: isAdmin },
  { resource: 'runtime_config', visible: isAdmin },
  { resource: 'app_config', visible: isAdmin },
  { resource: 'staff', visible: isAdmin },
  { resource: 'admin_sessions', visible: isAdmin },
];

export function Menu() {
  const { role } = useRole();
  const registered = useResourceDefinitions();
  const hasDashboard = useHasDashboard();
  return (
    <RaMenu>
      {hasDashboard && <RaMenu.DashboardItem />}
      {(role === 'admin' || role === 'finance') && (
        <RaMenu.Item to="/spend" primaryText="Provider spend" leftIcon={<QueryStatsIcon />} />
      )}
      {(role === 'admin' || role === 'finance') && (
        <RaMenu.Item to="/margin" primaryText="Margin" leftIcon={<PaidIcon />} />
      )}
      {items
        .filter((item) => registered[item.resource] && item.visible(role))
        .map((item) => (
          <RaMenu.ResourceItem key={item.resource} name={item.resource} />
        ))}
      {role === 'admin' && (
        <RaMenu.Item
          to="/database-health"
          primaryText="Database health"
          leftIcon={<HealthAndSafetyIcon />}
        />
      )}
    </RaMenu>
  );
}

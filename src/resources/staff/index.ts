import BadgeIcon from '@mui/icons-material/Badge';
import { lazyPage } from '../lazyPage';

// Admin-only: roles are changed in the list itself, new members come from the dialog.
const resource = {
  list: lazyPage(() => import('./StaffList'), 'StaffList'),
  icon: BadgeIcon,
  recordRepresentation: 'email',
};

export default resource;

import BadgeIcon from '@mui/icons-material/Badge';
import { StaffList } from './StaffList';

// Admin-only: roles are changed in the list itself, new members come from the dialog.
const resource = {
  list: StaffList,
  icon: BadgeIcon,
  recordRepresentation: 'email',
};

export default resource;

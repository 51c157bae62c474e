import BadgeIcon from '@mui/icons-material/Badge';
import { StaffList } from './StaffList';

// Admin-only: roles are changed in the list itself, new members come from the dialog.
const resource = {
  list: StaffList,
  icon: BadgeIcon,
  recordRepresentation: 'email',
  options: { label: 'Staff' },
};

export const { list, icon, recordRepresentation, options } = resource;
export default resource;

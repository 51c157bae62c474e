import LoginIcon from '@mui/icons-material/Login';
import { AdminSessionList } from './AdminSessionList';

// Staff sign-ins, recorded by the database; nobody edits them from the UI.
const resource = {
  list: AdminSessionList,
  icon: LoginIcon,
  recordRepresentation: 'email',
  options: { label: 'Admin sessions' },
};

export const { list, icon, recordRepresentation, options } = resource;
export default resource;

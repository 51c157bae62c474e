import LoginIcon from '@mui/icons-material/Login';
import { AdminSessionList } from './AdminSessionList';

// Staff sign-ins, recorded by the database; nobody edits them from the UI.
const resource = {
  list: AdminSessionList,
  icon: LoginIcon,
  recordRepresentation: 'email',
};

export default resource;

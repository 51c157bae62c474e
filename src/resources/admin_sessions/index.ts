import LoginIcon from '@mui/icons-material/Login';
import { lazyPage } from '../lazyPage';

// Staff sign-ins, recorded by the database; nobody edits them from the UI.
const resource = {
  list: lazyPage(() => import('./AdminSessionList'), 'AdminSessionList'),
  icon: LoginIcon,
  recordRepresentation: 'email',
};

export default resource;

import PeopleIcon from '@mui/icons-material/People';
import type { RaRecord } from 'react-admin';
import { customerLabel } from './customerName';
import { lazyPage } from '../lazyPage';

// Support's home: find a customer, then everything about them on one page.
const resource = {
  list: lazyPage(() => import('./CustomerList'), 'CustomerList'),
  show: lazyPage(() => import('./CustomerShow'), 'CustomerShow'),
  edit: lazyPage(() => import('./CustomerEdit'), 'CustomerEdit'),
  icon: PeopleIcon,
  recordRepresentation: (record: RaRecord) => customerLabel(record),
};

export default resource;

import PeopleIcon from '@mui/icons-material/People';
import type { RaRecord } from 'react-admin';
import { CustomerList } from './CustomerList';
import { CustomerShow } from './CustomerShow';
import { CustomerEdit } from './CustomerEdit';
import { customerName } from './customerName';

// Support's home: find a customer, then everything about them on one page.
const resource = {
  list: CustomerList,
  show: CustomerShow,
  edit: CustomerEdit,
  icon: PeopleIcon,
  recordRepresentation: (record: RaRecord) => customerName(record),
};

export default resource;

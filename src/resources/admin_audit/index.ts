import HistoryIcon from '@mui/icons-material/History';
import { AuditList } from './AuditList';
import { AuditShow } from './AuditShow';

// Read-only for every staff role: rows are written by the database alone.
const resource = {
  list: AuditList,
  show: AuditShow,
  icon: HistoryIcon,
  recordRepresentation: 'action',
};

export default resource;

import HistoryIcon from '@mui/icons-material/History';
import { lazyPage } from '../lazyPage';

// Read-only for every staff role: rows are written by the database alone.
const resource = {
  list: lazyPage(() => import('./AuditList'), 'AuditList'),
  show: lazyPage(() => import('./AuditShow'), 'AuditShow'),
  icon: HistoryIcon,
  recordRepresentation: 'action',
};

export default resource;

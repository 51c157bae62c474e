import FeedbackIcon from '@mui/icons-material/Feedback';
import { lazyPage } from '../lazyPage';

// Triage: support and admins set status and a note; the rest of a feedback row is the customer's.
const resource = {
  list: lazyPage(() => import('./FeedbackList'), 'FeedbackList'),
  show: lazyPage(() => import('./FeedbackShow'), 'FeedbackShow'),
  edit: lazyPage(() => import('./FeedbackEdit'), 'FeedbackEdit'),
  icon: FeedbackIcon,
  recordRepresentation: 'id',
};

export default resource;

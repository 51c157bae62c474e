import FeedbackIcon from '@mui/icons-material/Feedback';
import { FeedbackList } from './FeedbackList';
import { FeedbackShow } from './FeedbackShow';
import { FeedbackEdit } from './FeedbackEdit';

// Triage: support and admins set status and a note; the rest of a feedback row is the customer's.
const resource = {
  list: FeedbackList,
  show: FeedbackShow,
  edit: FeedbackEdit,
  icon: FeedbackIcon,
  recordRepresentation: 'id',
};

export default resource;

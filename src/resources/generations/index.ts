import AutoAwesomeIcon from '@mui/icons-material/AutoAwesome';
import type { RaRecord } from 'react-admin';
import { lazyPage } from '../lazyPage';

// Read-only: a generation changes only through the product's backend and refund_generation.
const resource = {
  list: lazyPage(() => import('./GenerationList'), 'GenerationList'),
  show: lazyPage(() => import('./GenerationShow'), 'GenerationShow'),
  icon: AutoAwesomeIcon,
  recordRepresentation: (record: RaRecord) => `${record.type ?? 'generation'} ${record.id}`,
};

export default resource;

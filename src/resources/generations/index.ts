import AutoAwesomeIcon from '@mui/icons-material/AutoAwesome';
import type { RaRecord } from 'react-admin';
import { GenerationList } from './GenerationList';
import { GenerationShow } from './GenerationShow';

// Read-only: a generation changes only through the product's backend and refund_generation.
const resource = {
  list: GenerationList,
  show: GenerationShow,
  icon: AutoAwesomeIcon,
  recordRepresentation: (record: RaRecord) => `${record.type ?? 'generation'} ${record.id}`,
};

export default resource;

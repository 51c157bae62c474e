import PriceChangeIcon from '@mui/icons-material/PriceChange';
import { lazyPage } from '../lazyPage';

// Generation prices: admins edit them, support and finance read the list.
const resource = {
  list: lazyPage(() => import('./GenerationTypeList'), 'GenerationTypeList'),
  edit: lazyPage(() => import('./GenerationTypeEdit'), 'GenerationTypeEdit'),
  create: lazyPage(() => import('./GenerationTypeCreate'), 'GenerationTypeCreate'),
  icon: PriceChangeIcon,
  recordRepresentation: 'display_name',
};

export default resource;

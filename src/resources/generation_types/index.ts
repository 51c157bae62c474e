import PriceChangeIcon from '@mui/icons-material/PriceChange';
import { GenerationTypeCreate } from './GenerationTypeCreate';
import { GenerationTypeEdit } from './GenerationTypeEdit';
import { GenerationTypeList } from './GenerationTypeList';

// Generation prices: admins edit them, support and finance read the list.
const resource = {
  list: GenerationTypeList,
  edit: GenerationTypeEdit,
  create: GenerationTypeCreate,
  icon: PriceChangeIcon,
  recordRepresentation: 'display_name',
};

export default resource;

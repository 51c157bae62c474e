import TuneIcon from '@mui/icons-material/Tune';
import { configResource } from '../config/configResource';

// The product's live knobs (generation enabled, default costs, provider switches…).
const resource = configResource(TuneIcon, 'Runtime config');

export const { list, show, edit, create, icon, recordRepresentation, options } = resource;
export default resource;

import TuneIcon from '@mui/icons-material/Tune';
import { configResource } from '../config/configResource';

// The product's live knobs (generation enabled, default costs, provider switches…).
const resource = configResource(TuneIcon);

export default resource;

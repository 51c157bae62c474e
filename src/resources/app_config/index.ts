import SettingsApplicationsIcon from '@mui/icons-material/SettingsApplications';
import { configResource } from '../config/configResource';

// App-level settings (banners, links, pricing copy).
const resource = configResource(SettingsApplicationsIcon);

export default resource;

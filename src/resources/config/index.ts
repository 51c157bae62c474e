export { ConfigList } from './ConfigList';
export { ConfigShow } from './ConfigShow';
export { ConfigEdit } from './ConfigEdit';
export { ConfigCreate } from './ConfigCreate';
export { ConfigValueInput } from './ConfigValueInput';
export { ConfigHistory } from './ConfigHistory';
export { AdminListActions } from './AdminListActions';
export { configResource } from './configResource';

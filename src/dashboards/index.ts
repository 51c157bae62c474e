export { Dashboard, SpendPage } from './pages';

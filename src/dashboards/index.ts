export { Dashboard, MarginPage, SpendPage } from './pages';

export { Dashboard, MarginPage, SpendPage } from './pages';
export { dashboardPageLoads } from './pageLoads';

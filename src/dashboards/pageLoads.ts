/** Each dashboard page's module by its route, for App.tsx to load the page a visit opens on early. */
export const dashboardPageLoads = {
  '/': () => import('./Dashboard'),
  '/spend': () => import('./SpendPage'),
  '/margin': () => import('./MarginPage'),
};

// The admin "Database health" page: tables in public with their flags, the proposed
// clean-up SQL, ledger integrity and a legacy import dry run. The app shell registers it:
//   <CustomRoutes><Route path={databaseHealthRoute} element={<DatabaseHealthPage />} /></CustomRoutes>
export { DatabaseHealthPage } from './DatabaseHealthPage';
export const databaseHealthRoute = '/database-health';

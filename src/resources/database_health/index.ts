// The admin "Database health" page: tables in public with their flags, the proposed
// clean-up SQL, ledger integrity and a legacy import dry run. App.tsx routes it (see
// src/layout/screens.ts) and loads it on first visit.
export { DatabaseHealthPage as default } from './DatabaseHealthPage';

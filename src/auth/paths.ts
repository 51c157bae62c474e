// Routes of the auth pages, apart from the pages, so that App.tsx and the layout can name
// them without loading them.
export { SET_PASSWORD_PATH } from './authLinks';
export const CHANGE_PASSWORD_PATH = '/change-password';

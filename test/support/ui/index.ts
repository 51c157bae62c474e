export { server } from './server';
export {
  table,
  tableUpdate,
  rpc,
  pgError,
  requestsTo,
  rpcCalls,
  SUPABASE_URL,
  REST,
  resetRecorded,
  type Row,
  type RecordedRequest,
} from './rest';
export {
  authHandlers,
  fakeJwt,
  sessionFor,
  userFor,
  DEMO_PASSWORD,
  type HarnessRole,
} from './auth';
export { renderApp, renderResource, waitForApp, type RenderOptions } from './render';

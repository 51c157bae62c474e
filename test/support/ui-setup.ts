import '@testing-library/jest-dom/vitest';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { cleanup } from '@testing-library/react';
import { server } from './ui/server';
import { resetRecorded } from './ui/rest';
import { supabaseClient } from '@/providers/supabaseClient';

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(async () => {
  cleanup();
  await supabaseClient.auth.signOut({ scope: 'local' });
  // Signed-out and empty between tests: react-admin's store and supabase-js's session both live here.
  localStorage.clear();
  sessionStorage.clear();
  server.resetHandlers();
  resetRecorded();
});
afterAll(() => server.close());

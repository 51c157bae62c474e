import '@testing-library/jest-dom/vitest';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { cleanup, configure } from '@testing-library/react';
import { server } from './ui/server';
import { resetRecorded } from './ui/rest';
import { supabaseClient } from '@/providers/supabaseClient';

// Testing Library's findBy*/waitFor give up after 1 s by default; a whole react-admin app
// (lazy chunks, auth, several requests) on a loaded CI machine can take longer than that to
// draw (the first test of a file also loads the app's modules), and a test that fails because
// the machine was busy tells nothing. The bound stays well below the test timeout
// (vitest.config.ts), so a screen that never appears still fails with the query's own message.
configure({ asyncUtilTimeout: 30_000 });

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

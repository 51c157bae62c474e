// The stack's stand-in for pg_cron runs through PostgREST (supabase/local/jobs.mjs): the
// service role may call local_auth.run_due_jobs, nobody else. Registering and running jobs is
// checked on the native cluster (test/native/scheduled-jobs.test.ts).
import { describe, expect, it } from 'vitest';
import { DEMO, signedIn, stack } from '../support/db';

async function runDueJobs(token: string) {
  const r = await fetch(`${stack().url}/rest/v1/rpc/run_due_jobs`, {
    method: 'POST',
    headers: {
      apikey: stack().anonKey,
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'content-profile': 'local_auth',
    },
    body: JSON.stringify({ p_at: '2026-12-01T03:00:00Z' }),
  });
  return { status: r.status, body: await r.json() };
}

describe('the stack timer for scheduled jobs', () => {
  it('the service role runs the due jobs, and each reports how it went', async () => {
    const { status, body } = await runDueJobs(stack().serviceRoleKey);
    expect(status).toBe(200);
    expect(Array.isArray(body)).toBe(true);
    for (const job of body) expect(job).toMatchObject({ name: expect.any(String), ok: true });
  });

  it('anon and signed-in users may not', async () => {
    expect((await runDueJobs(stack().anonKey)).status).toBe(401);
    const admin = await signedIn(DEMO.admin);
    const token = (await admin.auth.getSession()).data.session!.access_token;
    expect((await runDueJobs(token)).status).toBe(403);
  });
});

// The stack's stand-in for pg_cron: every half minute it asks the database to run the jobs of
// private.scheduled_jobs that are due (local_auth.run_due_jobs, through PostgREST with the
// service-role key, since on PGlite PostgREST is the database's only client). Where pg_cron is
// installed the database runs them itself and run_due_jobs does nothing.

import { startTicker } from './ticker.mjs';

/**
 * @param {{ postgrestUrl: string, serviceRoleKey: string, intervalMs?: number, log: (s: string) => void }} o
 */
export function startJobTimer(o) {
  /** @param {Date} [at] @returns {Promise<{ name: string, ok: boolean, error?: string }[]>} */
  async function runDue(at = new Date()) {
    const r = await fetch(`${o.postgrestUrl}/rpc/run_due_jobs`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${o.serviceRoleKey}`,
        'content-type': 'application/json',
        'content-profile': 'local_auth',
      },
      body: JSON.stringify({ p_at: at.toISOString() }),
    });
    const body = await r.json().catch(() => null);
    if (!r.ok) throw new Error(`run_due_jobs: ${r.status} ${body?.message ?? ''}`);
    for (const j of body) if (!j.ok) o.log(`scheduled job ${j.name} failed: ${j.error}`);
    return body;
  }
  const ticker = startTicker(
    () => runDue(),
    o.intervalMs ?? 30_000,
    (e) => o.log(`scheduled jobs: ${e.message}`),
  );
  return { runDue, stop: ticker.stop };
}

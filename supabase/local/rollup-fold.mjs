// The embedded stack's stand-in for the pg_cron job of 20261201100100_rollup_deltas: every few
// seconds it folds the rollups' delta tables, the dashboard's and finance's
// (public.fold_dashboard_rollups, through PostgREST with the service-role key — on PGlite
// PostgREST is the database's only client).
// Readers add the unfolded tail, so this only keeps that tail short; a missed tick is harmless.
// Not one of jobs.mjs's scheduled jobs: those are cron-grained (one run a minute at most), and
// a minute of writes is a long tail for every dashboard read.

import { startTicker } from './ticker.mjs';

/**
 * @param {{ postgrestUrl: string, serviceRoleKey: string, intervalMs?: number, log: (s: string) => void }} o
 */
export function startRollupFold(o) {
  let failing = false;
  const fold = async () => {
    const r = await fetch(`${o.postgrestUrl}/rpc/fold_dashboard_rollups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${o.serviceRoleKey}`, 'content-type': 'application/json' },
      body: '{}',
    });
    if (!r.ok) throw new Error(`fold_dashboard_rollups: ${r.status} ${await r.text()}`);
    return r.json();
  };
  if (o.intervalMs === 0) return { fold, stop: async () => {} };
  const ticker = startTicker(
    fold,
    o.intervalMs ?? 5_000,
    (e) => {
      // Once per failure streak: a database being restarted or migrated must not flood the log.
      if (!failing) o.log(`rollup fold: ${e.message}`);
      failing = true;
    },
    () => {
      failing = false;
    },
  );
  return { fold, stop: ticker.stop };
}

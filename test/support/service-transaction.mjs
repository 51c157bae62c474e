// One transaction on a pg pool run as PostgREST runs a service-key request: role service_role
// and its JWT claims set for the transaction only. Plain ESM, shared by the native write storm
// (test/native/write-storm.test.ts) and the write-path benchmark (bench/writes/run.mjs), which
// runs on Node without a build.

const SERVICE_CLAIMS = JSON.stringify({ role: 'service_role' });

/** @param {import('pg').Pool} pool */
export function serviceTransaction(pool) {
  /** @param {(c: import('pg').PoolClient) => Promise<void>} fn */
  return async (fn) => {
    const c = await pool.connect();
    try {
      await c.query('begin');
      await c.query(
        "select set_config('role', 'service_role', true), set_config('request.jwt.claims', $1, true)",
        [SERVICE_CLAIMS],
      );
      await fn(c);
      await c.query('commit');
    } catch (e) {
      await c.query('rollback').catch(() => {});
      throw e;
    } finally {
      c.release();
    }
  };
}

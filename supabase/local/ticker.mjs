// The embedded stack's timers (jobs.mjs, rollup-fold.mjs) share one shape: a task run every
// few seconds, never two at once, and a stop that waits for the run in flight, so the stack
// does not close PostgREST under a request it made itself ("fetch failed" at shutdown).

/**
 * @param {() => Promise<unknown>} task
 * @param {number} intervalMs
 * @param {(e: Error) => void} onError
 * @param {() => void} [onSuccess]
 * @returns {{ stop(): Promise<void> }}
 */
export function startTicker(task, intervalMs, onError, onSuccess = () => {}) {
  /** @type {Promise<void> | null} */
  let running = null;
  const timer = setInterval(() => {
    running ??= task()
      .then(onSuccess, onError)
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

// The embedded stack's timers (supabase/local/ticker.mjs): one run at a time, and a stop that
// waits for the run in flight so the stack never closes PostgREST under its own request.
import { describe, expect, it } from 'vitest';
import { startTicker } from '../../supabase/local/ticker.mjs';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
const until = async (ok: () => boolean) => {
  while (!ok()) await new Promise((r) => setTimeout(r, 2));
};

describe('startTicker', () => {
  it('never starts a run while one is in flight, and stop waits for it', async () => {
    const gate = deferred();
    let started = 0;
    let finished = 0;
    const ticker = startTicker(
      async () => {
        started++;
        await gate.promise;
        finished++;
      },
      1,
      (e) => {
        throw e;
      },
    );
    await until(() => started === 1);
    // Many intervals pass while the first run is held.
    await new Promise((r) => setTimeout(r, 30));
    expect(started).toBe(1);

    let stopped = false;
    const stopping = ticker.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(finished).toBe(1);
    // Stopped: no run after the one that was in flight.
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toBe(1);
  });

  it('reports a failed run and goes on ticking', async () => {
    const errors: string[] = [];
    let runs = 0;
    let successes = 0;
    const ticker = startTicker(
      async () => {
        if (++runs === 1) throw new Error('database restarting');
      },
      1,
      (e) => errors.push(e.message),
      () => successes++,
    );
    await until(() => successes >= 2);
    await ticker.stop();
    expect(errors).toEqual(['database restarting']);
  });
});

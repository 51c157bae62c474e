// Types for ticker.mjs (plain ESM so the stack runs on Node alone, without a build step).
export declare function startTicker(
  task: () => Promise<unknown>,
  intervalMs: number,
  onError: (e: Error) => void,
  onSuccess?: () => void,
): { stop(): Promise<void> };

import { describe, expect, it } from 'vitest';
import { FunctionsClient, RealtimeClient, StorageClient } from './supabaseOmitted';

// The build resolves supabase-js's Realtime, Storage and Functions clients to these (the
// whole app runs on them in the end-to-end tests, which use the production build).
describe('the supabase-js parts left out of the build', () => {
  it('take the session token supabase-js hands Realtime, and hold no channels', async () => {
    const realtime = new RealtimeClient();
    await expect(realtime.setAuth()).resolves.toBeUndefined();
    expect(realtime.getChannels()).toEqual([]);
  });

  it('fail loudly when used, naming the call and where to put the part back', () => {
    expect(() => new RealtimeClient().channel()).toThrow(
      /supabase\.channel\(\): Realtime is left out .*vite\.config\.ts/,
    );
    expect(() => new StorageClient().from()).toThrow(/supabase\.storage\.from\(\): Storage/);
    expect(() => new FunctionsClient().invoke()).toThrow(/Edge Functions is left out/);
  });
});

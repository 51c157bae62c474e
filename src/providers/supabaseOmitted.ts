// The parts of supabase-js CreditDesk never uses: Realtime, Storage and Edge Functions. The
// back office reads and writes through PostgREST and signs in through GoTrue, nothing else,
// yet supabase-js imports all three clients statically and builds Realtime's and Storage's in
// its constructor, so no bundler can drop them: 85 kB of the entry (23 kB gz) that every
// visit downloads and runs (issue 18). vite.config.ts resolves @supabase/realtime-js,
// storage-js and functions-js to this module instead. supabase-js keeps working as it is;
// using one of the left-out parts fails loudly, saying where to put it back.
//
// Only what supabase-js itself touches is here: the clients it constructs, the auth token it
// hands Realtime on every session change, and the error classes it re-exports.

function omitted(part: string, call: string): Error {
  return new Error(
    `${call}: ${part} is left out of CreditDesk's build (src/providers/supabaseOmitted.ts). ` +
      `Remove its alias in vite.config.ts to use it.`,
  );
}

export class RealtimeClient {
  /** supabase-js sends each new session's token to Realtime; there is none to tell. */
  async setAuth(): Promise<void> {}
  getChannels(): never[] {
    return [];
  }
  channel(): never {
    throw omitted('Realtime', 'supabase.channel()');
  }
  removeChannel(): never {
    throw omitted('Realtime', 'supabase.removeChannel()');
  }
  removeAllChannels(): never {
    throw omitted('Realtime', 'supabase.removeAllChannels()');
  }
}

export class StorageClient {
  from(): never {
    throw omitted('Storage', 'supabase.storage.from()');
  }
}

export class FunctionsClient {
  invoke(): never {
    throw omitted('Edge Functions', 'supabase.functions.invoke()');
  }
}

export class StorageApiError extends Error {}
export class FunctionsError extends Error {}
export class FunctionsFetchError extends FunctionsError {}
export class FunctionsHttpError extends FunctionsError {}
export class FunctionsRelayError extends FunctionsError {}
export const FunctionRegion = {} as const;

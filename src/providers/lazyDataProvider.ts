import type { CreditDeskDataProvider } from './dataProvider';

let loading: Promise<CreditDeskDataProvider> | undefined;

/** The data provider module (ra-supabase's provider, ra-data-postgrest, qs…), loaded once. */
export const loadDataProvider = () =>
  (loading ??= import('./dataProvider').then((m) => m.dataProvider));

/**
 * The app's data provider, its module fetched on the first call. The sign-in page makes no
 * call, so its ~15 kB gz stay out of the JavaScript loaded before it (issue 18: ≤ 350 kB).
 * Every method of the real provider is reached through here by name; `then` and symbols are
 * not methods (so this object is never taken for a promise), nor is `supportAbortSignal`
 * (ra-supabase's provider does not set it).
 */
export const lazyDataProvider = new Proxy({} as CreditDeskDataProvider, {
  get(_, name) {
    if (typeof name === 'symbol' || name === 'then' || name === 'supportAbortSignal') return;
    return async (...args: unknown[]) => {
      const provider = await loadDataProvider();
      const method = (provider as unknown as Record<string, unknown>)[name];
      if (typeof method !== 'function') throw new Error(`Unknown data provider method: ${name}`);
      return (method as (...a: unknown[]) => unknown).apply(provider, args);
    };
  },
});

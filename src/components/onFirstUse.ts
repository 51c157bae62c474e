/**
 * A value made on its first use, not when its module loads. For Intl formatters: the first
 * one of a kind loads ICU data (a time zone's, a locale's number patterns), which the browser
 * profiler (bench/lighthouse/profile.mjs) found costing start-up time on pages that show
 * none of those values yet.
 */
export function onFirstUse<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

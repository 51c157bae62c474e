/** A local date and time as the browser's datetime-local input gives it, or '' for none. */
export const toIso = (local: string): string | null =>
  local === '' || Number.isNaN(Date.parse(local)) ? null : new Date(local).toISOString();

export const isFuture = (local: string) => {
  const iso = toIso(local);
  return iso !== null && Date.parse(iso) > Date.now();
};

/** True when `local` is in the future and later than `current` (an ISO time, or null for none). */
export const isLaterThan = (local: string, current: string | null) =>
  isFuture(local) && (current === null || Date.parse(toIso(local)!) > Date.parse(current));

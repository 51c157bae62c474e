import { onFirstUse } from './onFirstUse';

// Every date and time the app shows or filters by, in one place and one policy: absolute
// times are UTC and say so ("1 Dec 2026, 18:24 UTC"), the same zone as the dashboards, the
// rollups' days and the server's messages, so two people reading a screen in two countries
// quote the same time; the relative time ("3 hours ago") sits beside the absolute one.
// A day picked in a filter is a UTC day, and a range includes its end day.
// Each formatter is made on its first use, not when the module loads: the profiler
// (bench/lighthouse) found these three costing 222 ms of the dashboard's start-up under 4×
// CPU slowdown, in the data provider's chunk, before any date was shown.
const relative = onFirstUse(() => new Intl.RelativeTimeFormat('en', { numeric: 'auto' }));
const dateTime = onFirstUse(
  () =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'UTC',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }),
);
const shortDay = onFirstUse(
  () => new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' }),
);

export const ZONE = 'UTC';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['week', 7 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

const toDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));

export function formatRelative(value: Date | string, now = new Date()): string {
  const seconds = Math.round((toDate(value).getTime() - now.getTime()) / 1000);
  const [unit, size] = UNITS.find(([, s]) => Math.abs(seconds) >= s) ?? UNITS[UNITS.length - 1];
  return relative().format(Math.round(seconds / size), unit);
}

/** "1 Dec 2026, 18:24 UTC". */
export const formatDateTime = (value: Date | string) =>
  `${dateTime().format(toDate(value))} ${ZONE}`;

/** The same, or a dash for a missing value (tables, exports). */
export const formatWhen = (value: string | null | undefined) =>
  value ? formatDateTime(value) : '—';

/** "3 Nov" for a UTC day (YYYY-MM-DD), as the dashboards label their axes. */
export const formatDay = (day: string) => shortDay().format(new Date(`${day}T00:00:00Z`));

/** ISO 8601 in UTC, for CSV cells: sorts as text, and every spreadsheet reads it. */
export const isoUtc = (value: string | null | undefined) =>
  value ? new Date(value).toISOString().replace('.000Z', 'Z') : '';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A filter bound given as a day (what a date input holds) as the instant PostgREST compares:
 * `from` is the start of that UTC day, `to` is inclusive, so it becomes "before the start of
 * the next day" (`@lte` turns into `@lt`). Anything that is not a bare day passes unchanged.
 */
export function dayBound(
  operator: string,
  value: unknown,
): { operator: string; value: unknown } | null {
  if (typeof value !== 'string' || !DAY.test(value)) return null;
  const start = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(start)) return null;
  switch (operator) {
    case 'gte':
    case 'lt':
      return { operator, value: new Date(start).toISOString() };
    case 'lte':
      return { operator: 'lt', value: new Date(start + DAY_MS).toISOString() };
    case 'gt':
      return { operator: 'gte', value: new Date(start + DAY_MS).toISOString() };
    default:
      return null;
  }
}

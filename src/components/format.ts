// The one place numbers and money are formatted, for fields, dialogs, dashboards and
// notifications alike. Fixed 'en-US' rather than the browser's locale, so a figure reads the
// same for every staff member (and in a screenshot pasted into a ticket), and tests can
// match it. A missing value (null, undefined, NaN) reads as a dash.
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
// Provider costs are fractions of a cent per call: two decimals would show $0.00.
const usdPrecise = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
});
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

const DASH = '—';
const orDash = (f: (n: number) => string) => (n: number | string | null | undefined) =>
  n === null || n === undefined || n === '' || Number.isNaN(Number(n)) ? DASH : f(Number(n));

/** Credits, counts, rows. */
export const formatInt = orDash((n) => integer.format(n));
/** Totals of money, to the cent. */
export const formatUsd = orDash((n) => usd.format(n));
/** Per-call or per-unit costs, to a hundredth of a cent. */
export const formatUsdPrecise = orDash((n) => usdPrecise.format(n));
/** A ratio (0.078 → 7.8%). */
export const formatPercent = orDash((n) => percent.format(n));
export const formatDecimal = orDash((n) => decimal.format(n));
export const formatMs = orDash((n) => `${integer.format(n)} ms`);

// Dates.
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const absolute = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['week', 7 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

export function formatRelative(date: Date, now = new Date()): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const [unit, size] = UNITS.find(([, s]) => Math.abs(seconds) >= s) ?? UNITS[UNITS.length - 1];
  return relative.format(Math.round(seconds / size), unit);
}

export const formatAbsolute = (date: Date) => absolute.format(date);

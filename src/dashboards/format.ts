// Number formats for the dashboards. Fixed 'en-US' so figures read the same for every staff
// member and tests can match them.
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 2,
});
// Per-generation costs are fractions of a cent; two decimals would show $0.00.
const usdPrecise = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 4,
  maximumFractionDigits: 4,
});
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

const DASH = '—';
const or = (f: (n: number) => string) => (n: number | null | undefined) =>
  n === null || n === undefined || Number.isNaN(n) ? DASH : f(Number(n));

export const formatInt = or((n) => integer.format(n));
export const formatUsd = or((n) => usd.format(n));
export const formatUsdPrecise = or((n) => usdPrecise.format(n));
export const formatPercent = or((n) => percent.format(n));
export const formatDecimal = or((n) => decimal.format(n));
export const formatMs = or((n) => `${integer.format(n)} ms`);

/** Change against the previous period as a signed percentage, or null when there is no base. */
export function change(current: number, previous: number): number | null {
  if (!previous) return null;
  return (current - previous) / previous;
}

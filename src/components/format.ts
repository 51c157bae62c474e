// The one place numbers and money are formatted, for fields, dialogs, dashboards and
// notifications alike (dates and times: ./dates.ts). Fixed 'en-US' rather than the browser's locale, so a figure reads the
// same for every staff member (and in a screenshot pasted into a ticket), and tests can
// match it. A missing value (null, undefined, NaN) reads as a dash. The formatters are made on
// first use (./onFirstUse.ts): made at load they cost the customers list 93 ms of its start-up
// under mobile's 4× CPU slowdown (profile.mjs PROFILE_PAGE=customers).
import { onFirstUse } from './onFirstUse';

const integer = onFirstUse(() => new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }));
const usd = onFirstUse(
  () =>
    new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: 'USD',
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    }),
);
// Provider costs are fractions of a cent per call: two decimals would show $0.00.
const usdPrecise = onFirstUse(
  () =>
    new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: 'USD',
      minimumFractionDigits: 2,
      maximumFractionDigits: 4,
    }),
);
const percent = onFirstUse(
  () => new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 }),
);
const decimal = onFirstUse(() => new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }));

const DASH = '—';
const orDash = (f: (n: number) => string) => (n: number | string | null | undefined) =>
  n === null || n === undefined || n === '' || Number.isNaN(Number(n)) ? DASH : f(Number(n));

/** Credits, counts, rows. */
export const formatInt = orDash((n) => integer().format(n));
/** Totals of money, to the cent. */
export const formatUsd = orDash((n) => usd().format(n));
/** Per-call or per-unit costs, to a hundredth of a cent. */
export const formatUsdPrecise = orDash((n) => usdPrecise().format(n));
/** A ratio (0.078 → 7.8%). */
export const formatPercent = orDash((n) => percent().format(n));
export const formatDecimal = orDash((n) => decimal().format(n));
export const formatMs = orDash((n) => `${integer().format(n)} ms`);

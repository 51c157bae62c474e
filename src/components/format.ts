// Number formatting shared by fields, dialogs and notifications, so a number reads the same
// everywhere (dates and times: ./dates.ts).
const credits = new Intl.NumberFormat('en-US');
const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  // Provider costs are fractions of a cent per call: two decimals would show $0.00.
  maximumFractionDigits: 4,
});

export const formatCredits = (value: number) => credits.format(value);
export const formatCount = (value: number) => credits.format(value);
export const formatUsd = (value: number) => usd.format(value);

// The dashboard's date range: UTC days, inclusive at both ends, kept in the URL as
// ?range=30d or ?range=custom&from=YYYY-MM-DD&to=YYYY-MM-DD (plus ?provider=).
export const PRESETS = ['7d', '30d', '90d', 'this-month', 'last-month', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];

export const PRESET_LABELS: Record<Preset, string> = {
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  'this-month': 'This month',
  'last-month': 'Last month',
  custom: 'Custom',
};

export const DEFAULT_PRESET = '30d' satisfies Preset;

export interface DateRange {
  preset: Preset;
  from: string;
  to: string;
  provider: string | null;
}

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export const toIsoDay = (date: Date) => date.toISOString().slice(0, 10);
export const addDays = (day: string, n: number) =>
  toIsoDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
export const isIsoDay = (s: string | null | undefined): s is string =>
  !!s && ISO_DAY.test(s) && toIsoDay(new Date(`${s}T00:00:00Z`)) === s;

/** from/to of a preset on the UTC day `today`. */
export function presetRange(
  preset: Exclude<Preset, 'custom'>,
  today: string,
): { from: string; to: string } {
  const [y, m] = today.split('-').map(Number);
  switch (preset) {
    case '7d':
      return { from: addDays(today, -6), to: today };
    case '30d':
      return { from: addDays(today, -29), to: today };
    case '90d':
      return { from: addDays(today, -89), to: today };
    case 'this-month':
      return { from: toIsoDay(new Date(Date.UTC(y, m - 1, 1))), to: today };
    case 'last-month':
      return {
        from: toIsoDay(new Date(Date.UTC(y, m - 2, 1))),
        to: toIsoDay(new Date(Date.UTC(y, m - 1, 0))),
      };
  }
}

/** The range the URL asks for; anything missing or malformed falls back to the default preset. */
export function rangeFromSearch(params: URLSearchParams, today = toIsoDay(new Date())): DateRange {
  const provider = params.get('provider') || null;
  const preset = PRESETS.find((p) => p === params.get('range'));
  if (preset === 'custom') {
    const from = params.get('from');
    const to = params.get('to');
    // A reversed custom range still reaches the database, which refuses it with a message
    // the page shows; silently swapping it would hide the typo.
    if (isIsoDay(from) && isIsoDay(to)) return { preset, from, to, provider };
  }
  const p: Exclude<Preset, 'custom'> = preset && preset !== 'custom' ? preset : DEFAULT_PRESET;
  return { preset: p, ...presetRange(p, today), provider };
}

/** Search params for a range: presets keep only their name so a bookmark moves with time. */
export function searchFromRange(range: DateRange, base = new URLSearchParams()): URLSearchParams {
  const next = new URLSearchParams(base);
  next.set('range', range.preset);
  if (range.preset === 'custom') {
    next.set('from', range.from);
    next.set('to', range.to);
  } else {
    next.delete('from');
    next.delete('to');
  }
  if (range.provider) next.set('provider', range.provider);
  else next.delete('provider');
  return next;
}

/** Days in an inclusive range. */
export const dayCount = (from: string, to: string) =>
  Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;

// Filters the screens express by meaning (has credits, expiring soon) become PostgREST
// operators here, once, instead of in each list; and several operators on one column (a date
// range) are folded into one `and=(...)`, because ra-data-postgrest would otherwise send them
// as `created_at[0]=...&created_at[1]=...`, which PostgREST does not understand.
import { dayBound } from '@/components/dates';

const DAY_MS = 24 * 60 * 60 * 1000;

type Filter = Record<string, unknown>;

const virtualFilters: Record<string, Record<string, (value: unknown, now: Date) => Filter>> = {
  // An open admin session: not signed out, and its last token not yet expired.
  admin_sessions: {
    open: (value, now) =>
      value ? { 'ended_at@is': 'null', 'expires_at@gt': now.toISOString() } : {},
  },
  customers: {
    has_credits: (value) => (value ? { 'credits@gt': 0 } : { credits: 0 }),
    expiring_within_days: (value, now) => ({
      'expires_at@gte': now.toISOString(),
      'expires_at@lte': new Date(now.getTime() + Number(value) * DAY_MS).toISOString(),
    }),
  },
};

export function expandVirtualFilters(resource: string, filter: Filter, now = new Date()): Filter {
  const virtual = virtualFilters[resource];
  if (!virtual) return filter;
  let result: Filter = {};
  for (const [key, value] of Object.entries(filter)) {
    const expand = virtual[key];
    if (!expand) result[key] = value;
    else if (value !== undefined && value !== null && value !== '') {
      result = { ...result, ...expand(value, now) };
    }
  }
  return result;
}

/** Date inputs hold a bare day: bounds on it become UTC instants, the end day included. */
export function expandDayBounds(filter: Filter): Filter {
  const result: Filter = {};
  for (const [key, value] of Object.entries(filter)) {
    const [name, operator] = key.split('@');
    const bound = name && operator ? dayBound(operator, value) : null;
    if (!bound) result[key] = value;
    else result[`${name}@${bound.operator}`] = bound.value;
  }
  return result;
}

const column = (key: string) => key.split('@')[0];

export function foldRanges(filter: Filter): Filter {
  const counts = new Map<string, number>();
  for (const key of Object.keys(filter)) {
    if (key.startsWith('@')) continue;
    counts.set(column(key), (counts.get(column(key)) ?? 0) + 1);
  }
  const and: Filter = { ...((filter['@and'] as Filter | undefined) ?? {}) };
  const rest: Filter = {};
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === '') continue;
    if (key !== '@and' && !key.startsWith('@') && (counts.get(column(key)) ?? 0) > 1) {
      and[key] = value;
    } else if (key !== '@and') rest[key] = value;
  }
  return Object.keys(and).length ? { ...rest, '@and': and } : rest;
}

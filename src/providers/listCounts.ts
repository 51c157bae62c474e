import type { GetListResult } from 'react-admin';

// Totals on the tables that grow by millions of rows. An exact count on every page would
// scan them, and a planned count alone is only as good as the last ANALYZE (the seed's 7,000
// generations once showed as "of 1,870", and the pager stopped at page 75). So, as Supabase
// Studio does: ask the planner first; below the threshold count exactly; above it keep the
// estimate, say so ("about N"), and let the next-page button follow the rows themselves.
export const EXACT_COUNT_BELOW = 50_000;

export const LARGE_TABLES = new Set([
  'generations',
  'credit_transactions',
  'admin_audit',
  'admin_sessions',
]);

/** What a list's response carries in `meta` when its total is the planner's estimate. */
export interface EstimatedTotalMeta {
  estimatedTotal?: number;
}

interface Paged {
  pagination?: { page: number; perPage: number };
  meta?: { headers?: Record<string, string>; [key: string]: unknown };
}

const withCount = <P extends Paged>(params: P, count: 'planned' | 'exact'): P => ({
  ...params,
  meta: { ...params.meta, headers: { ...params.meta?.headers, Prefer: `count=${count}` } },
});

export async function countByThreshold<P extends Paged>(
  fetch: (params: P) => Promise<GetListResult>,
  params: P,
  exactBelow = EXACT_COUNT_BELOW,
): Promise<GetListResult> {
  const result = await fetch(withCount(params, 'planned'));
  const planned = result.total;
  if (planned != null && Number.isFinite(planned) && planned < exactBelow) {
    // Only the count is wanted: one row keeps the second request as cheap as the count.
    const exact = await fetch({
      ...withCount(params, 'exact'),
      pagination: { page: 1, perPage: 1 },
    });
    return { ...result, total: exact.total };
  }
  const { page = 1, perPage = result.data.length } = params.pagination ?? {};
  const meta: EstimatedTotalMeta = { estimatedTotal: planned ?? undefined };
  return {
    data: result.data,
    meta: { ...result.meta, ...meta },
    // A full page may have a successor; a short one is the last, whatever the estimate says.
    pageInfo: { hasPreviousPage: page > 1, hasNextPage: result.data.length >= perPage },
  };
}

import type { GetListResult, RaRecord } from 'react-admin';

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

// The page itself is fetched without a count: with one, PostgREST answers 416 for a page past
// the planner's estimate, so rows beyond a low estimate could never be reached.
const withPrefer = <P extends Paged>(params: P, prefer: string): P => ({
  ...params,
  meta: { ...params.meta, headers: { ...params.meta?.headers, Prefer: prefer } },
});
const firstRow = <P extends Paged>(params: P): P => ({
  ...params,
  pagination: { page: 1, perPage: 1 },
});

/**
 * `alongside` is asked with the page's rows, at the same time as the exact count, and what it
 * answers joins the result's `meta` (the page's customers, prefetch.ts).
 */
export async function countByThreshold<P extends Paged>(
  fetch: (params: P) => Promise<GetListResult>,
  params: P,
  exactBelow = EXACT_COUNT_BELOW,
  alongside: (rows: RaRecord[]) => Promise<Record<string, unknown>> = async () => ({}),
): Promise<GetListResult> {
  const [result, plannedResult] = await Promise.all([
    fetch(withPrefer(params, 'handling=lenient')),
    // Only the count is wanted: one row keeps these requests as cheap as the count.
    fetch(firstRow(withPrefer(params, 'count=planned'))),
  ]);
  const planned = plannedResult.total;
  const { page = 1, perPage = result.data.length } = params.pagination ?? {};
  // A short page is the last one, so its rows give the exact total without a count: narrow
  // filters end here, a round trip earlier. An empty page past page 1 proves nothing (the
  // list may have shrunk under it) and is counted as usual.
  const rows = result.data.length;
  const related = alongside(result.data);
  if (rows < perPage && (rows > 0 || page === 1)) {
    const meta = { ...result.meta, ...(await related) };
    return { data: result.data, meta, total: (page - 1) * perPage + rows };
  }
  if (planned != null && Number.isFinite(planned) && planned < exactBelow) {
    const [exact, extra] = await Promise.all([
      fetch(firstRow(withPrefer(params, 'count=exact'))),
      related,
    ]);
    return { data: result.data, meta: { ...result.meta, ...extra }, total: exact.total };
  }
  const meta: EstimatedTotalMeta = {
    estimatedTotal: planned != null && Number.isFinite(planned) ? planned : undefined,
  };
  return {
    data: result.data,
    meta: { ...result.meta, ...(await related), ...meta },
    // A full page may have a successor; a short one is the last, whatever the estimate says.
    pageInfo: { hasPreviousPage: page > 1, hasNextPage: result.data.length >= perPage },
  };
}

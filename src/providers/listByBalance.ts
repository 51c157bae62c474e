import type { GetListParams, GetListResult, RaRecord } from 'react-admin';

// The customers list sorted by balance (issue 13). customers.credits has no index: a balance
// change must stay a HOT update of the wide customer row. The balance's own row,
// customer_balances (customers.credits follows it by a foreign key, so both always agree),
// has the index (credits desc, customer_id). So the page is read from customer_balances in
// index order, each balance with its customer embedded (`customers(*)`), and Postgres stops
// after the page instead of sorting every customer: 10–15 ms instead of 70–200 ms at 200,000
// customers (bench/README.md). The other way round, ordering customers by an embedded
// balance, does not work: PostgREST puts a LIMIT inside the embed's lateral subquery, so
// Postgres cannot flatten it and joins every customer first.
//
// Only when the filters are on the balance (none, or "has credits"): a filter on the
// customer's own columns would be checked balance by balance down the index, which for a
// rare one (disabled) reads most of the table; those lists keep the plain sort.
//
// The total is counted in the same request, on customer_balances itself: there is exactly one
// balance row per customer (opened by a trigger when the customer is inserted, removed when it
// is deleted, written only by the ledger's SECURITY DEFINER functions; clients can only read
// it), staff read both tables under the same policy, and the filters here are on the balance
// only. So count(*) of the filtered balance rows is the exact number of customers the list
// holds, read from the narrow table's index (an index-only scan) instead of a sequential scan
// of the wide customer rows under RLS (~17 ms at 200,000 customers, a second request beside the
// page). The embed is a left join on purpose: with `customers!inner`, PostgREST's count adds an
// EXISTS on customers for every balance row, the join this avoids. A planned "about N" total
// (listCounts.ts) was the other way to make it cheap; an exact one is better where it is
// affordable, and it is here (bench/README.md, "The list by balance at full size").
const BALANCE = 'credits';

const column = (key: string) => key.split('@')[0];

export function sortsByBalance(resource: string, params: GetListParams): boolean {
  if (resource !== 'customers' || params.sort?.field !== BALANCE) return false;
  return Object.keys(params.filter ?? {}).every((key) => column(key) === BALANCE);
}

export async function listByBalance(
  fetch: (resource: string, params: GetListParams) => Promise<GetListResult>,
  params: GetListParams,
): Promise<GetListResult> {
  // nullslast is the list's choice for dates; a balance is never null, and NULLS LAST on a
  // descending order would not match the index (Postgres does not use NOT NULL to equate them).
  const meta: Record<string, unknown> = { ...params.meta };
  delete meta.nullslast;
  const headers = (meta.headers ?? {}) as Record<string, string>;
  const page = await fetch('customer_balances', {
    ...params,
    sort: { field: BALANCE, order: params.sort?.order ?? 'DESC' },
    meta: {
      ...meta,
      columns: [BALANCE, 'customers(*)'],
      headers: { ...headers, Prefer: 'count=exact' },
    },
  });
  // customer_balances → customers is one-to-many to PostgREST (the foreign key is the
  // customer's); each balance has exactly one customer. A balance row without one cannot be
  // written through the API; were one there, it is left out of the page rather than shown
  // as an empty row.
  const data = page.data.flatMap((row) => (row.customers as RaRecord[]).slice(0, 1));
  return { data, total: page.total };
}

import type { GetListParams, GetListResult, RaRecord } from 'react-admin';

// The customers list sorted by balance (issue 13). customers.credits has no index: a balance
// change must stay a HOT update of the wide customer row. The balance's own row,
// customer_balances (customers.credits follows it by a foreign key, so both always agree),
// has the index (credits desc, customer_id). So the page is read from customer_balances in
// index order, each balance with its customer (`customers!inner(*)`), and Postgres stops
// after the page instead of sorting every customer: 10–15 ms instead of 70–200 ms at 200,000
// customers (bench/README.md). The other way round, ordering customers by an embedded
// balance, does not work: PostgREST puts a LIMIT inside the embed's lateral subquery, so
// Postgres cannot flatten it and joins every customer first.
//
// Only when the filters are on the balance (none, or "has credits"): a filter on the
// customer's own columns would be checked balance by balance down the index, which for a
// rare one (disabled) reads most of the table; those lists keep the plain sort.
//
// The total is counted on customers with the same filters, as its own request beside the
// page: counted with the embed, PostgREST would join every balance to its customer.
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
  const [page, counted] = await Promise.all([
    fetch('customer_balances', {
      ...params,
      sort: { field: BALANCE, order: params.sort?.order ?? 'DESC' },
      meta: {
        ...meta,
        columns: [BALANCE, 'customers!inner(*)'],
        headers: { ...headers, Prefer: 'handling=lenient' },
      },
    }),
    fetch('customers', {
      ...params,
      pagination: { page: 1, perPage: 1 },
      sort: { field: 'id', order: 'ASC' },
      meta: { ...meta, headers: { ...headers, Prefer: 'count=exact' } },
    }),
  ]);
  // customer_balances → customers is one-to-many to PostgREST (the foreign key is the
  // customer's); each balance has exactly one customer.
  const data = page.data.map((row) => (row.customers as RaRecord[])[0]!);
  return { data, total: counted.total };
}

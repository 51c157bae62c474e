// What the screens ask for, as data provider calls with the params the React components pass
// (sort, perPage, filters, meta), so the bench measures the app's own requests. Each scenario
// is one screen: the list request plus the references its ReferenceFields fetch (getMany).
import { addDays, isoDay } from '../lib/common.mjs';

// The generations and ledger lists ask for their customers with the page (`meta.prefetch`, as
// src/components/prefetchCustomers.ts): the data provider fetches them alongside the count.
// Where none come back, ReferenceField batches the page's distinct ids into one getMany after
// the list arrives. (A data provider from before a71c530, 3 Dec 2026, reads `prefetch` as an embed,
// `customers(*)`, which times out at volume: compare such trees without these two screens.)
const PREFETCH = { prefetch: ['customers'] };
async function withCustomers(dp, list) {
  if (list.meta?.prefetched?.customers) return list;
  const ids = [...new Set(list.data.map((r) => r.customer_id))];
  if (ids.length) await dp.getMany('customers', { ids });
  return list;
}

/**
 * @param {{ searchTerms: string[], customerIds: string[], today: string }} data
 * @returns {{ name: string, target: number, run: (dp: any, i: number, meta?: object) => Promise<unknown>, dashboardDays?: number }[]}
 */
export function scenarios({ searchTerms, customerIds, today }) {
  const lastWeek = addDays(today, -7);
  const ledgerTypes = ['refund', 'adjustment', 'expiry', 'purchase'];
  const withMeta = (meta, extra) =>
    meta ? { ...extra, ...meta, headers: { ...extra?.headers, ...meta.headers } } : extra;
  return [
    {
      name: 'customers: page 1 by last_active, email search',
      target: 25,
      run: (dp, i, meta) =>
        dp.getList('customers', {
          pagination: { page: 1, perPage: 25 },
          sort: { field: 'last_active', order: 'DESC' },
          filter: { q: searchTerms[i % searchTerms.length] },
          meta: withMeta(meta, { nullslast: true }),
        }),
    },
    {
      // No index on customers.credits (a balance change must stay a HOT update, issue 13):
      // the data provider reads the page through customer_balances' index (listByBalance.ts).
      // nullslast as the list screen sends it.
      name: 'customers: page 1 by balance (credits)',
      target: 25,
      // Without indexes the balance table's page (a lateral embed per balance row) would read
      // every customer once per balance; the naive way is the plain sort of all customers.
      naiveRest: 'customers?select=*&order=credits.desc&offset=0&limit=25',
      naiveNote: 'sort every customer, exact count',
      run: (dp, _i, meta) =>
        dp.getList('customers', {
          pagination: { page: 1, perPage: 25 },
          sort: { field: 'credits', order: 'DESC' },
          filter: {},
          meta: withMeta(meta, { nullslast: true }),
        }),
    },
    {
      name: 'customer page: profile, ledger, generations',
      target: 25,
      run: async (dp, i, meta) => {
        const id = customerIds[i % customerIds.length];
        await dp.getOne('customers', { id, meta });
        const related = (reference, field) =>
          dp.getManyReference(reference, {
            target: 'customer_id',
            id,
            pagination: { page: 1, perPage: 10 },
            sort: { field, order: 'DESC' },
            filter: {},
            meta,
          });
        // The Ledger and Generations tabs, as when support flips between them.
        await Promise.all([
          related('credit_transactions', 'id'),
          related('generations', 'created_at'),
        ]);
      },
    },
    {
      name: 'generations: status + provider, last 7 days',
      target: 25,
      run: async (dp, i, meta) =>
        withCustomers(
          dp,
          await dp.getList('generations', {
            pagination: { page: 1, perPage: 25 },
            sort: { field: 'created_at', order: 'DESC' },
            filter: {
              status: ['failed', 'succeeded', 'cancelled'][i % 3],
              provider: ['wavespeed', 'fal', 'openai'][i % 3],
              'created_at@gte': lastWeek,
            },
            meta: withMeta(meta, PREFETCH),
          }),
        ),
    },
    {
      name: 'ledger: filtered by type',
      target: 25,
      run: async (dp, i, meta) =>
        withCustomers(
          dp,
          await dp.getList('credit_transactions', {
            pagination: { page: 1, perPage: 50 },
            sort: { field: 'id', order: 'DESC' },
            filter: { type: ledgerTypes[i % ledgerTypes.length] },
            meta: withMeta(meta, PREFETCH),
          }),
        ),
    },
    {
      name: 'audit trail: page 1',
      target: 25,
      run: (dp, _i, meta) =>
        dp.getList('admin_audit', {
          pagination: { page: 1, perPage: 50 },
          sort: { field: 'at', order: 'DESC' },
          filter: {},
          meta,
        }),
    },
    ...[30, 180].map((days) => ({
      name: `dashboard_metrics: ${days} days`,
      target: 20,
      dashboardDays: days,
      run: (dp) => dp.dashboardMetrics({ from: addDays(today, -(days - 1)), to: today }),
    })),
    // The Margin page's one request. Its naive variant is the same call as bench_naive (no
    // index or bitmap scans): finance_metrics reads rollups, but its top customers by cost
    // and their revenue come from the raw generations and draws of the range.
    ...[30, 180].map((days) => ({
      name: `finance_metrics: ${days} days`,
      target: 20,
      run: (dp) => dp.financeMetrics({ from: addDays(today, -(days - 1)), to: today }),
    })),
  ];
}

export const todayUtc = () => isoDay(new Date());

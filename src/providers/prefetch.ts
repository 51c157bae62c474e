import type { GetListParams, GetListResult, GetManyParams, RaRecord } from 'react-admin';

/** The column a list's rows name each related resource by. */
const foreignKeys: Record<string, string> = { customers: 'customer_id' };

type GetMany = (resource: string, params: GetManyParams) => Promise<{ data: RaRecord[] }>;

/** Fetches the related records a page's rows name; its answer becomes `meta.prefetched`. */
export type RelatedOfPage = (
  rows: RaRecord[],
) => Promise<{ prefetched?: Record<string, RaRecord[]> }>;

/**
 * react-admin's prefetching (`meta.prefetch: ['customers']` on a list): the list answers with
 * the page's customers in `meta.prefetched`, which react-admin puts in the cache its
 * ReferenceFields read, so they send no getMany of their own after the page.
 *
 * The customers are one `id=in.(…)` request by key, sent as soon as the page's rows are known,
 * alongside the list's exact count (countByThreshold's `alongside`), not after it. They are not
 * embedded in the page (`select=*,customers(*)`): at 2 M generations PostgREST's embed made the
 * generations and ledger lists hit the statement timeout (bench/README.md).
 *
 * A failed prefetch leaves the list as it is: its ReferenceFields then ask on their own, and
 * show their own error if that fails too.
 */
export function relatedOfPage(
  names: readonly string[] | undefined,
  getMany: GetMany,
): RelatedOfPage | undefined {
  if (!names?.length) return undefined;
  // A name without a known key would prefetch nothing, silently: a mistake in the list's code.
  const unknown = names.filter((name) => !(name in foreignKeys));
  if (unknown.length) throw new Error(`prefetch: no foreign key known for ${unknown.join(', ')}`);
  return async (rows) => {
    try {
      const entries = await Promise.all(
        names.map(async (name) => {
          const key = foreignKeys[name];
          const ids = [...new Set(rows.map((row) => row[key]).filter((id) => id != null))];
          const related = ids.length ? (await getMany(name, { ids })).data : [];
          return [name, related] as const;
        }),
      );
      return { prefetched: Object.fromEntries(entries) };
    } catch {
      return {};
    }
  };
}

/** The list params without `prefetch`, which is ours to act on, not PostgREST's to read. */
export function withoutPrefetch(params: GetListParams): GetListParams {
  if (!params.meta?.prefetch) return params;
  return { ...params, meta: { ...params.meta, prefetch: undefined } };
}

/** A list fetched whole, then its related records (a table small enough to need no count). */
export async function withRelated(
  list: Promise<GetListResult>,
  related: RelatedOfPage | undefined,
): Promise<GetListResult> {
  const result = await list;
  if (!related) return result;
  return { ...result, meta: { ...result.meta, ...(await related(result.data)) } };
}

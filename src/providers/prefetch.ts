import type { GetListResult, RaRecord } from 'react-admin';

interface WithMeta {
  meta?: { prefetch?: string[]; embed?: string[]; [key: string]: unknown };
}

/**
 * react-admin's prefetching (`meta.prefetch: ['customers']` on a list): the page request
 * embeds the related rows (`select=*,customers(*)`) and they come back apart, in
 * `meta.prefetched`, which react-admin puts in the cache its ReferenceFields read. Written
 * here rather than left to ra-data-postgrest's own prefetch, which reads every row's embed as
 * a record and throws on a null one (a feedback row without a customer) or a missing one.
 */
export async function withPrefetched<P extends WithMeta>(
  params: P,
  fetch: (params: P) => Promise<GetListResult>,
): Promise<GetListResult> {
  const names = params.meta?.prefetch;
  if (!names?.length) return fetch(params);
  const result = await fetch({
    ...params,
    meta: { ...params.meta, prefetch: undefined, embed: names },
  });
  const prefetched: Record<string, RaRecord[]> = {};
  for (const name of names) {
    const byId = new Map<unknown, RaRecord>();
    for (const row of result.data) {
      const related = row[name] as RaRecord | RaRecord[] | null | undefined;
      for (const r of Array.isArray(related) ? related : related ? [related] : [])
        if (r.id != null) byId.set(r.id, r);
    }
    prefetched[name] = [...byId.values()];
  }
  const data = result.data.map(
    (row) =>
      Object.fromEntries(Object.entries(row).filter(([key]) => !names.includes(key))) as RaRecord,
  );
  return { ...result, data, meta: { ...result.meta, prefetched } };
}

// For a list whose rows name their customer (CustomerField): the data provider fetches the
// page's customers as soon as the rows arrive, alongside the list's count, and hands them to
// react-admin in `meta.prefetched`, the cache ReferenceField reads (src/providers/prefetch.ts).
// Without it their getMany was a third round trip in a row on the generations list.
export const prefetchCustomers = { meta: { prefetch: ['customers'] } };

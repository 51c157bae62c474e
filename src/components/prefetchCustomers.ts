// For a list whose rows name their customer (CustomerField): the page's customers arrive
// embedded in the page request (`select=*,customers(*)`), and ra-data-postgrest hands them to
// react-admin as `meta.prefetched`, which fills the cache ReferenceField reads. Without it the
// ReferenceFields' getMany was one more round trip after every page, the third in a row on the
// generations list (bench/README.md). Staff read customers under the same policy either way.
export const prefetchCustomers = { meta: { prefetch: ['customers'] } };

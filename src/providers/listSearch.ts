// Turns the list's free-text `q` into PostgREST's `or=(col.ilike.*word*,...)`. Characters
// that have a meaning in PostgREST's filter grammar are dropped, so a search can neither
// break the query nor add a filter of its own.
const FILTER_SYNTAX = /[,()*%"'\\:]/g;

export function sanitizeSearch(q: unknown): string {
  return (
    String(q ?? '')
      .replace(FILTER_SYNTAX, ' ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 100)
  );
}

// Resources whose search is a database function: under RLS an `ilike` filter on the table
// cannot use an index (ILIKE is not LEAKPROOF), which hurts on the large customers table.
// The function takes the raw words as `p_q`; PostgREST still sorts, filters and pages.
export const searchFunctions: Record<string, string> = {
  customers: 'search_customers',
};

export const searchFields: Record<string, string[]> = {
  generations: ['id', 'prompt', 'customer_id'],
  feedback: ['comment', 'customer_id', 'id'],
  staff: ['email'],
  runtime_config: ['key', 'description'],
  app_config: ['key', 'description'],
  generation_types: ['type_key', 'display_name'],
  admin_audit: ['action', 'record_id', 'actor_email'],
};

export function applySearch(
  resource: string,
  filter: Record<string, unknown>,
): Record<string, unknown> {
  const { q, ...rest } = filter;
  const term = sanitizeSearch(q);
  if (!term) return rest;
  // `p_q@` with no operator is ra-data-postgrest's syntax for a plain RPC argument.
  if (searchFunctions[resource]) return { ...rest, 'p_q@': term };
  const fields = searchFields[resource];
  if (!fields) return rest;
  return { ...rest, '@or': Object.fromEntries(fields.map((field) => [`${field}@ilike`, term])) };
}

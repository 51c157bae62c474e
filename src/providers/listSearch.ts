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

export const searchFields: Record<string, string[]> = {
  customers: ['email', 'id', 'shopify_customer_id', 'display_name', 'first_name', 'last_name'],
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
  const fields = searchFields[resource];
  const term = sanitizeSearch(q);
  if (!fields || !term) return rest;
  return { ...rest, '@or': Object.fromEntries(fields.map((field) => [`${field}@ilike`, term])) };
}

export interface Change {
  before: unknown;
  after: unknown;
}

export interface ChangeRow {
  path: string;
  before: unknown;
  after: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Audit details come from the database as jsonb; anything not shaped like
// {field: {before, after}} is ignored rather than trusted.
export function readChanges(details: unknown): Record<string, Change> {
  const changes = isPlainObject(details) ? details.changes : undefined;
  if (!isPlainObject(changes)) return {};
  return Object.fromEntries(
    Object.entries(changes)
      .filter(([, change]) => isPlainObject(change))
      .map(([field, change]) => {
        const { before = null, after = null } = change as Partial<Change>;
        return [field, { before, after }];
      }),
  );
}

// An object that changed in one key is shown as that key (`value.limit: 5 → 10`), not as
// two whole JSON documents the reader has to compare by eye.
export function diffRows(changes: Record<string, Change>): ChangeRow[] {
  const rows: ChangeRow[] = [];
  const walk = (path: string, before: unknown, after: unknown) => {
    if (isPlainObject(before) && isPlainObject(after)) {
      const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
      for (const key of keys) walk(`${path}.${key}`, before[key], after[key]);
      return;
    }
    if (JSON.stringify(before) !== JSON.stringify(after)) rows.push({ path, before, after });
  };
  for (const [field, { before, after }] of Object.entries(changes)) walk(field, before, after);
  return rows;
}

export function formatAuditValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  if (value === null) return '(empty)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}

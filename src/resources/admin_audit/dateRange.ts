// A date picked in a filter means the reader's own day: "to 3 March" includes all of it.
// PostgREST compares timestamptz, so the bounds go out as instants in ISO form.
export function startOfDay(value: string | null | undefined): string | null {
  if (!value) return null;
  const date = new Date(`${value.slice(0, 10)}T00:00:00`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function endOfDay(value: string | null | undefined): string | null {
  if (!value) return null;
  const date = new Date(`${value.slice(0, 10)}T23:59:59.999`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

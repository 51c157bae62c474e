// Dashboard-only helpers; numbers and money are formatted by @/components/format.

/** Change against the previous period as a signed percentage, or null when there is no base. */
export function change(current: number, previous: number): number | null {
  if (!previous) return null;
  return (current - previous) / previous;
}

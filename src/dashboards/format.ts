// Dashboard-only helpers; numbers and money are formatted by @/components/format.

/** "Mon 3 Nov" style label for a UTC day (YYYY-MM-DD). */
export function formatDay(day: string) {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'short',
  });
}

/** Change against the previous period as a signed percentage, or null when there is no base. */
export function change(current: number, previous: number): number | null {
  if (!previous) return null;
  return (current - previous) / previous;
}

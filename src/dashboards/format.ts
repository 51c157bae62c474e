// Dashboard-only helpers; numbers and money are formatted by @/components/format.
import { formatInt, formatPercent } from '@/components/format';

/** Change against the previous period as a signed ratio, or null when there is no base. */
export function change(current: number, previous: number): number | null {
  if (!previous) return null;
  return (current - previous) / previous;
}

// Past ±1,000% the base is under a tenth of the figure (a period before the product had
// traffic, say), and a percentage of it ("+30,234.8%") says nothing: the absolute change does.
const MAX_RATIO = 10;

/** "+23.5%"; "+30,131" when the previous figure is too small for a percentage; "new"; or null. */
export function describeChange(current: number, previous: number): string | null {
  if (!previous) return current > 0 ? 'new' : null;
  const ratio = change(current, previous)!;
  if (Math.abs(ratio) > MAX_RATIO) {
    const delta = current - previous;
    return `${delta >= 0 ? '+' : '−'}${formatInt(Math.abs(delta))}`;
  }
  return `${ratio >= 0 ? '+' : ''}${formatPercent(ratio)}`;
}

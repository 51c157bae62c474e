// Shared recharts pieces: lives in the lazily loaded chart chunk only.
import type { ReactNode } from 'react';
import { ResponsiveContainer } from 'recharts';

/** A chart that fills its card's width; jsdom has no layout, so an initial size keeps it drawable. */
export function ChartBox({ height = 260, children }: { height?: number; children: ReactNode }) {
  return (
    <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 800, height }}>
      {children as never}
    </ResponsiveContainer>
  );
}

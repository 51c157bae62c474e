import { startTransition, useEffect, useRef, useState, type ReactNode } from 'react';
import { Box } from '@mui/material';

/**
 * Renders `children` once the box comes within `margin` of the viewport, and keeps them after.
 * Until then a plain box of `height` holds the place, so the page does not jump and nothing
 * below the fold (a chart, its lazy chunk) costs the first screen any work. Without
 * IntersectionObserver (jsdom) the children render at once.
 *
 * What appears is rendered as a transition: React then works in slices of a few milliseconds
 * and lets input and paint through between them, where an urgent update would draw a whole
 * chart in one long task (measured: the dashboard's first chart was the page's longest).
 */
export function WhenVisible({
  height,
  margin = '200px',
  children,
}: {
  height: number;
  margin?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState(() => typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const box = ref.current;
    if (visible || !box) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) startTransition(() => setVisible(true));
      },
      { rootMargin: margin },
    );
    observer.observe(box);
    return () => observer.disconnect();
  }, [visible, margin]);
  if (visible) return <>{children}</>;
  return <Box ref={ref} sx={{ minHeight: height }} data-when-visible="waiting" />;
}

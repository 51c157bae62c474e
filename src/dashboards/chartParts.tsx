// Shared recharts pieces: lives in the lazily loaded chart chunk only.
import type { ReactNode } from 'react';
import { Box } from '@mui/material';
import { ResponsiveContainer } from 'recharts';

/**
 * A chart that fills its card's width; jsdom has no layout, so an initial size keeps it drawable.
 * recharts writes legend and tooltip text in each series' colour on a white tooltip: here text
 * takes the theme's colours on its paper (AA contrast in both themes) and the swatch keeps the
 * series colour.
 */
export function ChartBox({ height = 260, children }: { height?: number; children: ReactNode }) {
  return (
    <Box
      sx={(theme) => ({
        '& .recharts-legend-item-text, & .recharts-tooltip-item': {
          color: `${theme.palette.text.primary} !important`,
        },
        '& .recharts-default-tooltip': {
          backgroundColor: `${theme.palette.background.paper} !important`,
          borderColor: `${theme.palette.divider} !important`,
          color: theme.palette.text.primary,
        },
        '& .recharts-cartesian-axis-tick-value': { fill: theme.palette.text.secondary },
      })}
    >
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 800, height }}>
        {children as never}
      </ResponsiveContainer>
    </Box>
  );
}

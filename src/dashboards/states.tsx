import type { ReactNode } from 'react';
import { Alert, AlertTitle, Box, Card, CardContent, Skeleton, Typography } from '@mui/material';
import InsightsIcon from '@mui/icons-material/Insights';

/** The page's shape while its figures load, so nothing jumps when they arrive. */
export function DashboardSkeleton({ cards = 7 }: { cards?: number }) {
  return (
    <Box aria-busy="true" aria-label="Loading dashboard" role="status" sx={{ p: 2 }}>
      <Skeleton variant="rounded" height={48} sx={{ mb: 2, maxWidth: 720 }} />
      <KpiGrid>
        {Array.from({ length: cards }, (_, i) => (
          <Skeleton key={i} variant="rounded" height={112} />
        ))}
      </KpiGrid>
      <ChartSkeleton />
    </Box>
  );
}

export function ChartSkeleton({ height = 280 }: { height?: number }) {
  return <Skeleton variant="rounded" height={height} sx={{ mt: 2 }} aria-label="Loading chart" />;
}

export function KpiGrid({ children }: { children: ReactNode }) {
  return (
    <Box
      sx={{
        display: 'grid',
        gap: 2,
        gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))',
      }}
    >
      {children}
    </Box>
  );
}

export function EmptyState({
  children = 'No generations in this range',
}: {
  children?: ReactNode;
}) {
  return (
    <Card variant="outlined" sx={{ mt: 2 }}>
      <CardContent sx={{ textAlign: 'center', py: 6 }}>
        <InsightsIcon color="disabled" sx={{ fontSize: 48 }} />
        <Typography variant="h6" component="p">
          {children}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          Pick a wider range or another provider.
        </Typography>
      </CardContent>
    </Card>
  );
}

/** The database's own message (a bad range, a missing role) shown as it came. */
export function ErrorState({ error }: { error: unknown }) {
  const message = error instanceof Error ? error.message : String(error);
  const status = (error as { status?: number } | null)?.status;
  return (
    <Alert severity="error" sx={{ mt: 2 }}>
      <AlertTitle>Could not load the dashboard{status ? ` (HTTP ${status})` : ''}</AlertTitle>
      {message}
    </Alert>
  );
}

export function Section({
  title,
  action,
  children,
}: {
  title: string;
  action?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card variant="outlined" component="section" aria-label={title} sx={{ mt: 2 }}>
      <CardContent>
        <Box
          sx={{
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            mb: 1,
            gap: 1,
          }}
        >
          <Typography variant="subtitle1" component="h2">
            {title}
          </Typography>
          {action}
        </Box>
        {children}
      </CardContent>
    </Card>
  );
}

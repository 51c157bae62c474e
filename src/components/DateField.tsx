import { Box, Typography } from '@mui/material';
import { useRecordContext, type RaRecord } from 'react-admin';
import { formatDateTime, formatRelative } from './dates';

/**
 * A point in time as the app shows it everywhere (dates.ts): the absolute UTC time, labelled,
 * with the relative one beside it. The two parts wrap under each other in a narrow column
 * rather than widen it.
 */
export function DateField({
  source,
  record: given,
  emptyText = '—',
}: {
  source: string;
  label?: string;
  sortable?: boolean;
  record?: RaRecord | Record<string, unknown>;
  emptyText?: string;
}) {
  const context = useRecordContext();
  const record = given ?? context;
  const value = record?.[source] as string | null | undefined;
  if (!value) return <Typography variant="body2">{emptyText}</Typography>;
  return (
    <Box
      component="span"
      sx={{ display: 'inline-flex', flexWrap: 'wrap', columnGap: 1, alignItems: 'baseline' }}
    >
      <Typography variant="body2" component="time" dateTime={value} sx={{ whiteSpace: 'nowrap' }}>
        {formatDateTime(value)}
      </Typography>
      <Typography
        variant="caption"
        component="span"
        color="text.secondary"
        sx={{ whiteSpace: 'nowrap' }}
      >
        {formatRelative(value)}
      </Typography>
    </Box>
  );
}

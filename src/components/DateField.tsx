import { Tooltip, Typography } from '@mui/material';
import { useRecordContext } from 'react-admin';
import { formatAbsolute, formatRelative } from './format';

/**
 * "3 days ago" in lists, with the exact time on hover (or beside it with `showAbsolute`):
 * support reasons in relative time, finance and audits need the absolute one.
 */
export function DateField({
  source,
  showAbsolute = false,
  emptyText = '—',
}: {
  source: string;
  label?: string;
  sortable?: boolean;
  showAbsolute?: boolean;
  emptyText?: string;
}) {
  const record = useRecordContext();
  const value = record?.[source] as string | null | undefined;
  if (!value) return <Typography variant="body2">{emptyText}</Typography>;
  const date = new Date(value);
  const exact = formatAbsolute(date);
  return (
    <Tooltip title={exact}>
      <Typography variant="body2" component="span" sx={{ whiteSpace: 'nowrap' }}>
        <time dateTime={value}>{formatRelative(date)}</time>
        {showAbsolute && (
          <Typography component="span" variant="caption" color="text.secondary" sx={{ ml: 1 }}>
            {exact}
          </Typography>
        )}
      </Typography>
    </Tooltip>
  );
}

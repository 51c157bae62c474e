import { Chip } from '@mui/material';
import { useRecordContext } from 'react-admin';
import { statusColor } from './choices';

export function StatusChip({ source }: { source: string; label?: string; sortable?: boolean }) {
  const value = useRecordContext()?.[source];
  if (!value) return null;
  return <Chip size="small" label={String(value)} color={statusColor(value)} variant="outlined" />;
}

import { Chip } from '@mui/material';
import { useRecordContext } from 'react-admin';
import type { Tables } from '@/types/database';
import { formatDateTime } from '@/components/dates';
import { sessionStatus } from './sessionStatus';

type AdminSession = Tables<'admin_sessions'>;

export function SessionStatusField() {
  const record = useRecordContext<AdminSession>();
  if (!record) return null;
  const status = sessionStatus(record);
  const at = status === 'signed out' ? record.ended_at : record.expires_at;
  const when = at
    ? `${status === 'open' ? 'Expires' : status === 'expired' ? 'Expired' : 'Signed out'} ${formatDateTime(at)}`
    : undefined;
  return (
    <Chip
      size="small"
      variant={status === 'open' ? 'filled' : 'outlined'}
      color={status === 'open' ? 'success' : 'default'}
      label={status}
      title={when}
    />
  );
}

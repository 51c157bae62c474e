import { Alert, Card, CardContent, Divider, Stack, Typography } from '@mui/material';
import {
  DateField,
  Link,
  useCreatePath,
  useGetList,
  useRecordContext,
  useResourceContext,
} from 'react-admin';
import type { Tables } from '@/types/database';
import { AuditChanges } from '../admin_audit/AuditChanges';
import { errorMessage } from '@/providers/serverError';

const PER_PAGE = 20;

// The key's past values, read from the audit trail the database writes on every save.
export function ConfigHistory() {
  const record = useRecordContext<Tables<'runtime_config'> & { id: string }>();
  const resource = useResourceContext();
  const createPath = useCreatePath();
  const { data, total, isPending, error } = useGetList<Tables<'admin_audit'>>(
    'admin_audit',
    {
      filter: { table_name: resource, record_id: record?.key },
      sort: { field: 'at', order: 'DESC' },
      pagination: { page: 1, perPage: PER_PAGE },
    },
    { enabled: Boolean(record?.key && resource) },
  );
  if (!record) return null;

  return (
    <Card variant="outlined" sx={{ mt: 2 }} component="section" aria-label="History">
      <CardContent>
        <Typography variant="h6" gutterBottom>
          History
        </Typography>
        {error ? (
          <Alert severity="error">{errorMessage(error)}</Alert>
        ) : isPending ? (
          <Typography color="text.secondary">Loading history…</Typography>
        ) : !data?.length ? (
          <Typography color="text.secondary">No recorded changes yet.</Typography>
        ) : (
          <Stack spacing={2} divider={<Divider flexItem />}>
            {data.map((entry) => (
              <div key={entry.id}>
                <Typography variant="body2" sx={{ mb: 1 }}>
                  <DateField record={entry} source="at" showTime />
                  {' · '}
                  {entry.actor_email ?? 'system'}
                  {' · '}
                  <Link to={createPath({ resource: 'admin_audit', id: entry.id, type: 'show' })}>
                    {entry.action}
                  </Link>
                </Typography>
                <AuditChanges details={entry.details} />
              </div>
            ))}
          </Stack>
        )}
        {total !== undefined && total > PER_PAGE && (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
            Showing the latest {PER_PAGE} of about {total} changes; the audit trail has them all.
          </Typography>
        )}
      </CardContent>
    </Card>
  );
}

import { useState } from 'react';
import { Alert, Box, Button, Stack, Typography } from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import {
  DateField,
  Edit,
  SaveButton,
  SimpleForm,
  Toolbar,
  useEditContext,
  useNotify,
} from 'react-admin';
import type { Tables } from '@/types/database';
import { ConfigHistory } from './ConfigHistory';
import { ConfigInputs } from './ConfigInputs';
import { ConfigShow } from './ConfigShow';
import { isConflict } from '@/providers/serverError';
import { useNotifyServerError } from '@/components/useNotifyServerError';
import { useIsAdmin } from '@/layout/permissions';

type ConfigRecord = Tables<'runtime_config'> & { id: string };

function RecordHeader() {
  const { record } = useEditContext<ConfigRecord>();
  if (!record) return null;
  return (
    <Stack direction="row" spacing={2} sx={{ mb: 2, alignItems: 'baseline' }}>
      <Typography variant="h6" sx={{ fontFamily: 'monospace' }}>
        {record.key}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        version {record.version} · updated{' '}
        <DateField record={record} source="updated_at" showTime />
      </Typography>
    </Stack>
  );
}

function ConflictAlert({ message, onReload }: { message: string; onReload: () => void }) {
  const { refetch } = useEditContext();
  return (
    <Alert
      severity="error"
      sx={{ mb: 2, width: '100%' }}
      action={
        <Button
          color="inherit"
          size="small"
          onClick={() => {
            onReload();
            void refetch();
          }}
        >
          Load latest
        </Button>
      }
    >
      {message}
    </Alert>
  );
}

// Saves carry the version the editor read (the provider puts it in the PATCH); when someone
// saved in between, the database refuses and the editor keeps the typed value on screen
// next to the server's explanation, so nothing is lost and nothing is overwritten.
export function ConfigEdit() {
  const { isAdmin, isPending } = useIsAdmin();
  const notify = useNotify();
  const notifyError = useNotifyServerError();
  const queryClient = useQueryClient();
  const [conflict, setConflict] = useState<string | null>(null);

  if (isPending) return null;
  if (!isAdmin) return <ConfigShow />;

  return (
    <Edit<ConfigRecord>
      mutationMode="pessimistic"
      mutationOptions={{
        onSuccess: (data) => {
          setConflict(null);
          void queryClient.invalidateQueries({ queryKey: ['admin_audit'] });
          notify(`Saved "${data.key}" (now version ${data.version}).`, { type: 'success' });
        },
        onError: (error) => {
          const message = notifyError(error);
          setConflict(isConflict(error) ? message : null);
        },
      }}
    >
      <SimpleForm
        toolbar={
          <Toolbar>
            <SaveButton />
          </Toolbar>
        }
      >
        <RecordHeader />
        {conflict && <ConflictAlert message={conflict} onReload={() => setConflict(null)} />}
        <ConfigInputs />
      </SimpleForm>
      <Box sx={{ px: 2, pb: 2 }}>
        <ConfigHistory />
      </Box>
    </Edit>
  );
}

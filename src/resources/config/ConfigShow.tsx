import { Box } from '@mui/material';
import {
  EditButton,
  FunctionField,
  NumberField,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
} from 'react-admin';
import { DateField } from '@/components/DateField';
import type { Tables } from '@/types/database';
import { ConfigHistory } from './ConfigHistory';
import { useIsAdmin } from '@/layout/permissions';

type ConfigRecord = Tables<'runtime_config'>;

function ConfigShowActions() {
  const { isAdmin } = useIsAdmin();
  return <TopToolbar>{isAdmin && <EditButton />}</TopToolbar>;
}

// What support and finance see: the value and its history, no way to change them.
export function ConfigShow() {
  return (
    <Show actions={<ConfigShowActions />}>
      <SimpleShowLayout>
        <TextField source="key" sx={{ fontFamily: 'monospace' }} />
        <FunctionField<ConfigRecord>
          label="Value"
          render={(record) => (
            <Box component="pre" sx={{ m: 0, fontFamily: 'monospace', whiteSpace: 'pre-wrap' }}>
              {JSON.stringify(record.value, null, 2)}
            </Box>
          )}
        />
        <TextField source="description" emptyText="—" />
        <NumberField source="version" />
        <DateField source="updated_at" />
      </SimpleShowLayout>
      <Box sx={{ px: 2, pb: 2 }}>
        <ConfigHistory />
      </Box>
    </Show>
  );
}

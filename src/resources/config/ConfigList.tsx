import { DataTable, List, SearchInput } from 'react-admin';
import { DateField } from '@/components/DateField';
import { Box } from '@mui/material';
import type { Tables } from '@/types/database';
import { AdminListActions } from './AdminListActions';
import { previewValue } from './configValue';
import { useIsAdmin } from '@/layout/permissions';

type ConfigRecord = Tables<'runtime_config'> & { id: string };

const filters = [<SearchInput key="q" source="q" alwaysOn placeholder="Key or description" />];

// Shared by runtime_config and app_config: the resource comes from the <Resource> context.
export function ConfigList() {
  const { isAdmin } = useIsAdmin();
  return (
    <List filters={filters} sort={{ field: 'key', order: 'ASC' }} actions={<AdminListActions />}>
      <DataTable<ConfigRecord> rowClick={isAdmin ? 'edit' : 'show'} bulkActionButtons={false}>
        <DataTable.Col source="key" cellSx={() => ({ fontFamily: 'monospace' })} />
        <DataTable.Col
          label="Value"
          disableSort
          render={(record) => (
            <Box component="code" sx={{ fontSize: '0.8125rem' }}>
              {previewValue(record.value)}
            </Box>
          )}
        />
        <DataTable.Col source="description" />
        <DataTable.NumberCol source="version" />
        <DataTable.Col source="updated_at" label="Updated">
          <DateField source="updated_at" />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}

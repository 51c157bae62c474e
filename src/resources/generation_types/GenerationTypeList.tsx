import { BooleanField, DataTable, List, NullableBooleanInput, SearchInput } from 'react-admin';
import { DateField } from '@/components/DateField';
import type { Tables } from '@/types/database';
import { AdminListActions } from '../config/AdminListActions';
import { useIsAdmin } from '@/layout/permissions';

type GenerationType = Tables<'generation_types'> & { id: string };

const filters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Type or name" />,
  <NullableBooleanInput key="active" source="active" />,
];

export function GenerationTypeList() {
  const { isAdmin } = useIsAdmin();
  return (
    <List
      filters={filters}
      sort={{ field: 'type_key', order: 'ASC' }}
      actions={<AdminListActions />}
    >
      <DataTable<GenerationType> rowClick={isAdmin ? 'edit' : false} bulkActionButtons={false}>
        <DataTable.Col source="type_key" cellSx={() => ({ fontFamily: 'monospace' })} />
        <DataTable.Col source="display_name" />
        <DataTable.NumberCol source="cost_credits" label="Cost (credits)" />
        <DataTable.Col source="active">
          <BooleanField source="active" />
        </DataTable.Col>
        <DataTable.Col source="updated_at" label="Updated">
          <DateField source="updated_at" />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}

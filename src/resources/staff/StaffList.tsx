import { Stack } from '@mui/material';
import {
  BooleanField,
  DataTable,
  List,
  NullableBooleanInput,
  SearchInput,
  SelectInput,
  TopToolbar,
} from 'react-admin';
import { DateField } from '@/components/DateField';
import { ExportAllButton } from '@/components/ExportAllButton';
import type { Tables } from '@/types/database';
import { AdminOnly } from '@/layout/AdminOnly';
import { AddStaffDialog } from './AddStaffDialog';
import { staffRoles } from './roles';
import { RemoveStaffButton, StaffRoleSelect, ToggleStaffDisabledButton } from './StaffRowActions';

type StaffRecord = Tables<'staff'> & { id: string };

const filters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Email" />,
  <SelectInput key="role" source="role" choices={staffRoles} />,
  <NullableBooleanInput key="disabled" source="disabled" />,
];

function Actions() {
  return (
    <TopToolbar>
      <AddStaffDialog />
      <ExportAllButton />
    </TopToolbar>
  );
}

export function StaffList() {
  return (
    <AdminOnly what="manage staff members">
      <List filters={filters} sort={{ field: 'email', order: 'ASC' }} actions={<Actions />}>
        <DataTable<StaffRecord> rowClick={false} bulkActionButtons={false}>
          <DataTable.Col source="email" />
          <DataTable.Col source="role">
            <StaffRoleSelect />
          </DataTable.Col>
          <DataTable.Col source="disabled">
            <BooleanField source="disabled" />
          </DataTable.Col>
          <DataTable.Col source="created_at" label="Added">
            <DateField source="created_at" />
          </DataTable.Col>
          <DataTable.Col label="" disableSort>
            <Stack direction="row">
              <ToggleStaffDisabledButton />
              <RemoveStaffButton />
            </Stack>
          </DataTable.Col>
        </DataTable>
      </List>
    </AdminOnly>
  );
}

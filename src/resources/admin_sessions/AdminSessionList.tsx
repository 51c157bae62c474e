import { DataTable, DateInput, List, BooleanInput, TextInput } from 'react-admin';
import { DateField } from '@/components/DateField';
import { ListActions } from '@/components/ListActions';
import { ListPagination } from '@/components/ListPagination';
import type { Tables } from '@/types/database';
import { SessionStatusField } from './SessionStatusField';

type AdminSession = Tables<'admin_sessions'>;

// "Active between" keeps every session that overlaps the chosen days: it was still seen
// after the start and had begun before the end.
const filters = [
  <TextInput key="email" source="email@ilike" label="User email" alwaysOn />,
  <DateInput key="from" source="last_seen_at@gte" label="Active from (UTC)" />,
  <DateInput key="to" source="first_seen_at@lte" label="Active to (UTC)" />,
  // Not signed out and not expired (listFilters.ts turns it into both conditions).
  <BooleanInput key="open" source="open" label="Open sessions only" />,
];

export function AdminSessionList() {
  return (
    <List
      filters={filters}
      actions={<ListActions columns={false} />}
      pagination={<ListPagination />}
      sort={{ field: 'last_seen_at', order: 'DESC' }}
      perPage={50}
    >
      <DataTable<AdminSession> rowClick={false} bulkActionButtons={false}>
        <DataTable.Col source="email" />
        <DataTable.Col source="ip" label="IP" />
        <DataTable.Col
          source="user_agent"
          label="User agent"
          cellSx={() => ({ maxWidth: 280, overflow: 'hidden', textOverflow: 'ellipsis' })}
        />
        <DataTable.Col source="first_seen_at" label="First seen">
          <DateField source="first_seen_at" />
        </DataTable.Col>
        <DataTable.Col source="last_seen_at" label="Last seen">
          <DateField source="last_seen_at" />
        </DataTable.Col>
        <DataTable.Col source="ended_at" label="Signed out">
          <DateField source="ended_at" />
        </DataTable.Col>
        <DataTable.Col source="expires_at" label="Status">
          <SessionStatusField />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}

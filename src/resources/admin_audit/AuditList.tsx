import {
  DataTable,
  DateField,
  DateInput,
  List,
  SearchInput,
  SelectInput,
  TextInput,
} from 'react-admin';
import type { Tables } from '@/types/database';
import { endOfDay, startOfDay } from './dateRange';

type AuditRow = Tables<'admin_audit'>;

const tables = [
  'customers',
  'credit_transactions',
  'generations',
  'feedback',
  'generation_types',
  'staff',
  'runtime_config',
  'app_config',
].map((name) => ({ id: name, name }));

// Dates render in the reader's locale; the filters name the column and operator PostgREST
// understands (`at@gte`), which the data provider passes through.
const filters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Action, record or email" />,
  <TextInput key="who" source="actor_email@ilike" label="Who (email)" />,
  <TextInput key="action" source="action@ilike" label="Action" />,
  <SelectInput key="table" source="table_name" label="Table" choices={tables} />,
  <TextInput key="record" source="record_id" label="Record id" />,
  <DateInput key="from" source="at@gte" label="From" parse={startOfDay} />,
  <DateInput key="to" source="at@lte" label="To" parse={endOfDay} />,
];

// The audit trail grows with every write; the provider asks PostgREST for an estimated
// count on this table, so paging stays cheap.
export function AuditList() {
  return (
    <List filters={filters} sort={{ field: 'at', order: 'DESC' }} perPage={50}>
      <DataTable<AuditRow> rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="at" label="When">
          <DateField source="at" showTime />
        </DataTable.Col>
        <DataTable.Col source="actor_email" label="Who" />
        <DataTable.Col source="action" cellSx={() => ({ fontFamily: 'monospace' })} />
        <DataTable.Col source="table_name" label="Table" />
        <DataTable.Col source="record_id" label="Record" />
        <DataTable.Col source="status" />
      </DataTable>
    </List>
  );
}

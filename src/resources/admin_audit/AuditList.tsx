import { DataTable, DateInput, List, SearchInput, SelectInput, TextInput } from 'react-admin';
import { DateField } from '@/components/DateField';
import { ListActions } from '@/components/ListActions';
import { ListPagination } from '@/components/ListPagination';
import { AuditRecordLink } from './AuditRecordLink';
import type { Tables } from '@/types/database';

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

// The filters name the column and operator PostgREST understands (`at@gte`); a day's bounds
// become UTC instants in the data provider, the end day included.
const filters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Action, record or email" />,
  <TextInput key="who" source="actor_email@ilike" label="Who (email)" />,
  <TextInput key="action" source="action@ilike" label="Action" />,
  <SelectInput key="table" source="table_name" label="Table" choices={tables} />,
  <TextInput key="record" source="record_id" label="Record id" />,
  <DateInput key="from" source="at@gte" label="From (UTC)" />,
  <DateInput key="to" source="at@lte" label="To (UTC)" />,
];

// The audit trail grows with every write: its total is the planner's above 50,000 rows.
export function AuditList() {
  return (
    <List
      filters={filters}
      actions={<ListActions columns={false} />}
      pagination={<ListPagination />}
      sort={{ field: 'at', order: 'DESC' }}
      perPage={50}
    >
      <DataTable<AuditRow> rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="at" label="When">
          <DateField source="at" />
        </DataTable.Col>
        <DataTable.Col source="actor_email" label="Who" />
        <DataTable.Col source="action" cellSx={() => ({ fontFamily: 'monospace' })} />
        <DataTable.Col source="table_name" label="Table" />
        <DataTable.Col source="record_id" label="Record">
          <AuditRecordLink />
        </DataTable.Col>
        <DataTable.Col source="status" />
      </DataTable>
    </List>
  );
}

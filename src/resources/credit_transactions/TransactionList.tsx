import { DatagridConfigurable, List, SelectInput, TextField, TextInput } from 'react-admin';
import { CustomerField } from '@/components/CustomerField';
import { prefetchCustomers } from '@/components/prefetchCustomers';
import { DateField } from '@/components/DateField';
import { ListActions } from '@/components/ListActions';
import { ListPagination } from '@/components/ListPagination';
import { customerAndPeriodFilters } from '@/components/customerAndPeriodFilters';
import { CreditsField, MoneyField } from '@/components/NumberFields';
import { RefLink } from './RefLink';

const transactionTypes = ['purchase', 'grant', 'spend', 'refund', 'adjustment', 'expiry'].map(
  (id) => ({ id, name: id }),
);

const transactionFilters = [
  <SelectInput key="type" source="type" choices={transactionTypes} alwaysOn />,
  <TextInput key="source" source="source" />,
  ...customerAndPeriodFilters({ customerAlwaysOn: true }),
];

// What fits a 1024 px laptop by default; the column chooser brings back the rest.
const hiddenByDefault = ['id', 'source', 'provider', 'cost_usd'];

// The immutable ledger: no edit, no delete, no bulk actions, for anyone.
export function TransactionList() {
  return (
    <List
      queryOptions={prefetchCustomers}
      filters={transactionFilters}
      actions={<ListActions />}
      pagination={<ListPagination />}
      sort={{ field: 'id', order: 'DESC' }}
      perPage={50}
    >
      <DatagridConfigurable rowClick={false} bulkActionButtons={false} omit={hiddenByDefault}>
        <TextField source="id" />
        <DateField source="created_at" label="When" />
        <CustomerField source="customer_id" label="Customer" sortable={false} />
        <TextField source="type" />
        <CreditsField source="delta" signed />
        <CreditsField source="balance_after" label="Balance after" />
        <TextField source="reason" sortable={false} />
        <TextField source="source" />
        <RefLink source="ref_id" label="Reference" />
        <TextField source="provider" />
        <MoneyField source="cost_usd" label="Cost" />
      </DatagridConfigurable>
    </List>
  );
}

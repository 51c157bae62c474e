import {
  DatagridConfigurable,
  List,
  ReferenceField,
  SelectInput,
  TextField,
  TextInput,
} from 'react-admin';
import { DateField } from '@/components/DateField';
import { ListActions } from '@/components/ListActions';
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

// The immutable ledger: no edit, no delete, no bulk actions, for anyone.
export function TransactionList() {
  return (
    <List
      filters={transactionFilters}
      actions={<ListActions />}
      sort={{ field: 'id', order: 'DESC' }}
      perPage={50}
    >
      <DatagridConfigurable rowClick={false} bulkActionButtons={false}>
        <TextField source="id" />
        <DateField source="created_at" label="When" />
        <ReferenceField source="customer_id" reference="customers" link="show" sortable={false} />
        <TextField source="type" />
        <CreditsField source="delta" signed />
        <CreditsField source="balance_after" label="Balance after" />
        <TextField source="reason" sortable={false} />
        <TextField source="source" />
        <RefLink label="Reference" />
        <TextField source="provider" />
        <MoneyField source="cost_usd" label="Cost" />
      </DatagridConfigurable>
    </List>
  );
}

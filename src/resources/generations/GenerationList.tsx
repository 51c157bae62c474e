import {
  DatagridConfigurable,
  List,
  ReferenceField,
  SearchInput,
  SelectInput,
  TextField,
  TextInput,
} from 'react-admin';
import { DateField } from '@/components/DateField';
import { ListActions } from '@/components/ListActions';
import { customerAndPeriodFilters } from '@/components/customerAndPeriodFilters';
import { CreditsField, MoneyField } from '@/components/NumberFields';
import { generationStatuses } from './choices';
import { StatusChip } from './StatusChip';

const generationFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Prompt, id" />,
  <SelectInput key="status" source="status" choices={generationStatuses} alwaysOn />,
  <TextInput key="provider" source="provider" />,
  <TextInput key="model" source="model" />,
  <TextInput key="type" source="type" />,
  ...customerAndPeriodFilters(),
];

export function GenerationList() {
  return (
    <List
      filters={generationFilters}
      actions={<ListActions />}
      sort={{ field: 'created_at', order: 'DESC' }}
      perPage={25}
    >
      <DatagridConfigurable rowClick="show" bulkActionButtons={false}>
        <DateField source="created_at" label="When" />
        <ReferenceField source="customer_id" reference="customers" link="show" sortable={false} />
        <TextField source="type" />
        <TextField source="provider" />
        <TextField source="model" />
        <StatusChip source="status" />
        <CreditsField source="credits_charged" label="Credits" />
        <MoneyField source="cost_usd" label="Cost" />
        <TextField source="latency_ms" label="Latency (ms)" />
        <DateField source="refunded_at" label="Refunded" emptyText="" />
      </DatagridConfigurable>
    </List>
  );
}

import { DatagridConfigurable, List, SearchInput, SelectInput, TextField } from 'react-admin';
import { CustomerField } from '@/components/CustomerField';
import { prefetchCustomers } from '@/components/prefetchCustomers';
import { DateField } from '@/components/DateField';
import { ListActions } from '@/components/ListActions';
import { ListPagination } from '@/components/ListPagination';
import { customerAndPeriodFilters } from '@/components/customerAndPeriodFilters';
import { CreditsField, MoneyField } from '@/components/NumberFields';
import { generationStatuses } from './choices';
import { ModelFilter, ProviderFilter, TypeFilter } from './GenerationFilters';
import { StatusChip } from './StatusChip';

const generationFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Prompt, id" />,
  <SelectInput key="status" source="status" choices={generationStatuses} alwaysOn />,
  <ProviderFilter key="provider" source="provider" />,
  <ModelFilter key="model" source="model" />,
  <TypeFilter key="type" source="type" />,
  ...customerAndPeriodFilters(),
];

// What fits a 1024 px laptop by default (measured: with the type column the page was 60 px
// too wide there); the column chooser brings back the rest, and the model names the type.
const hiddenByDefault = ['type', 'provider', 'latency_ms', 'refunded_at'];

export function GenerationList() {
  return (
    <List
      queryOptions={prefetchCustomers}
      filters={generationFilters}
      actions={<ListActions />}
      pagination={<ListPagination />}
      sort={{ field: 'created_at', order: 'DESC' }}
      perPage={25}
    >
      <DatagridConfigurable rowClick="show" bulkActionButtons={false} omit={hiddenByDefault}>
        <DateField source="created_at" label="When" />
        <CustomerField source="customer_id" label="Customer" sortable={false} />
        <TextField source="type" />
        <TextField source="provider" />
        <TextField source="model" sx={{ overflowWrap: 'anywhere' }} />
        <StatusChip source="status" />
        <CreditsField source="credits_charged" label="Credits" />
        <MoneyField source="cost_usd" label="Cost" />
        <TextField source="latency_ms" label="Latency (ms)" />
        <DateField source="refunded_at" label="Refunded" emptyText="" />
      </DatagridConfigurable>
    </List>
  );
}

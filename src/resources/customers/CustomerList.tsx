import {
  BooleanField,
  DatagridConfigurable,
  DateInput,
  List,
  NullableBooleanInput,
  SearchInput,
  TextField,
} from 'react-admin';
import { Chip } from '@mui/material';
import { DateField } from '@/components/DateField';
import { ListActions } from '@/components/ListActions';
import { CreditsField } from '@/components/NumberFields';

// Quick filters: added from "Add filter" with their value set, shown as a chip to remove.
function QuickFilter({ label }: { label: string; source: string; defaultValue: unknown }) {
  return <Chip sx={{ mb: 1 }} label={label} />;
}

const customerFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Email, name, pass id, Shopify id" />,
  <NullableBooleanInput key="disabled" source="disabled" label="Disabled" />,
  <NullableBooleanInput key="verified" source="verified_any" label="Verified" />,
  <QuickFilter key="credits" source="has_credits" label="Has credits" defaultValue={true} />,
  <QuickFilter
    key="expiring"
    source="expiring_within_days"
    label="Credits expire within 14 days"
    defaultValue={14}
  />,
  <DateInput key="active" source="last_active@gte" label="Active since (UTC)" />,
];

// What fits a 1024 px laptop by default; the column chooser brings back the rest.
const hiddenByDefault = ['shopify_customer_id', 'verified_any', 'created_at', 'expires_at'];

export function CustomerList() {
  return (
    <List
      filters={customerFilters}
      actions={<ListActions />}
      sort={{ field: 'last_active', order: 'DESC' }}
      // Never-active customers last, not first (Postgres sorts NULL first in DESC).
      queryOptions={{ meta: { nullslast: true } }}
      perPage={25}
    >
      <DatagridConfigurable rowClick="show" bulkActionButtons={false} omit={hiddenByDefault}>
        <TextField source="email" sx={{ overflowWrap: 'anywhere' }} />
        <TextField source="display_name" label="Name" sortable={false} />
        <TextField source="id" label="Pass ID" sortable={false} sx={{ overflowWrap: 'anywhere' }} />
        <TextField source="shopify_customer_id" label="Shopify ID" sortable={false} />
        <CreditsField source="credits" textAlign="right" />
        <DateField source="expires_at" label="Credits expire" />
        <DateField source="last_active" label="Last active" />
        <BooleanField source="verified_any" label="Verified" sortable={false} />
        <BooleanField source="disabled" sortable={false} />
        <DateField source="created_at" label="Created" />
      </DatagridConfigurable>
    </List>
  );
}

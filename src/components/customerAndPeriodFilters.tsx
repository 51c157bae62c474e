import { AutocompleteInput, DateInput, ReferenceInput } from 'react-admin';
import { customerLabel } from '@/resources/customers/customerName';

/**
 * The filters every per-customer, time-ordered list offers: whose rows, and from / to (on
 * created_at; the provider folds the two bounds into one `and=(...)`).
 */
export function customerAndPeriodFilters({ customerAlwaysOn = false } = {}) {
  return [
    <ReferenceInput
      key="customer"
      source="customer_id"
      reference="customers"
      alwaysOn={customerAlwaysOn}
    >
      <AutocompleteInput label="Customer" optionText={customerLabel} sx={{ minWidth: 260 }} />
    </ReferenceInput>,
    <DateInput key="from" source="created_at@gte" label="From (UTC)" />,
    <DateInput key="to" source="created_at@lte" label="To (UTC)" />,
  ];
}

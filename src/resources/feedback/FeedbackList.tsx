import {
  BulkUpdateButton,
  DatagridConfigurable,
  DateInput,
  List,
  ReferenceField,
  SearchInput,
  SelectInput,
  TextField,
  TextInput,
} from 'react-admin';
import { CustomerField } from '@/components/CustomerField';
import { DateField } from '@/components/DateField';
import { ListActions } from '@/components/ListActions';
import { useCanWrite } from '@/layout/permissions';
import { feedbackStatuses } from './choices';

const feedbackFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Comment, customer id" />,
  <SelectInput key="status" source="status" choices={feedbackStatuses} alwaysOn />,
  <TextInput key="result_type" source="result_type" label="Result type" />,
  <DateInput key="from" source="created_at@gte" label="From (UTC)" />,
  <DateInput key="to" source="created_at@lte" label="To (UTC)" />,
];

// Triage in bulk: the PATCH carries only `status`, the one column the bulk action changes.
function BulkActions() {
  return (
    <>
      <BulkUpdateButton
        label="Mark reviewed"
        data={{ status: 'reviewed' }}
        mutationMode="pessimistic"
      />
      <BulkUpdateButton
        label="Mark resolved"
        data={{ status: 'resolved' }}
        mutationMode="pessimistic"
      />
      <BulkUpdateButton label="Dismiss" data={{ status: 'dismissed' }} mutationMode="pessimistic" />
    </>
  );
}

export function FeedbackList() {
  const canWrite = useCanWrite();
  return (
    <List
      filters={feedbackFilters}
      filterDefaultValues={{ status: 'new' }}
      actions={<ListActions />}
      sort={{ field: 'created_at', order: 'DESC' }}
      perPage={25}
    >
      <DatagridConfigurable rowClick="show" bulkActionButtons={canWrite ? <BulkActions /> : false}>
        <DateField source="created_at" label="When" />
        <TextField source="status" />
        <TextField source="result_type" label="Result type" />
        <TextField
          source="comment"
          sx={{
            display: '-webkit-box',
            WebkitLineClamp: 2,
            WebkitBoxOrient: 'vertical',
            overflow: 'hidden',
          }}
        />
        <CustomerField source="customer_id" label="Customer" sortable={false} />
        <ReferenceField
          source="generation_id"
          reference="generations"
          link="show"
          sortable={false}
        />
        <TextField source="admin_note" label="Note" sortable={false} />
      </DatagridConfigurable>
    </List>
  );
}

import {
  EditButton,
  Labeled,
  ReferenceField,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
} from 'react-admin';
import { Stack } from '@mui/material';
import { CustomerField } from '@/components/CustomerField';
import { DateField } from '@/components/DateField';
import { useCanWrite } from '@/layout/permissions';
import { FeedbackMedia } from './FeedbackMedia';

function Actions() {
  const canWrite = useCanWrite();
  return <TopToolbar>{canWrite && <EditButton label="Triage" />}</TopToolbar>;
}

export function FeedbackShow() {
  return (
    <Show actions={<Actions />}>
      <SimpleShowLayout>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={4}>
          <Labeled label="Status">
            <TextField source="status" />
          </Labeled>
          <Labeled label="Result type">
            <TextField source="result_type" />
          </Labeled>
          <Labeled label="Received">
            <DateField source="created_at" />
          </Labeled>
        </Stack>
        <CustomerField source="customer_id" label="Customer" />
        <ReferenceField source="generation_id" reference="generations" link="show" />
        <TextField source="comment" component="pre" sx={{ whiteSpace: 'pre-wrap', m: 0 }} />
        <Labeled label="Media">
          <FeedbackMedia />
        </Labeled>
        <TextField source="admin_note" label="Admin note" />
      </SimpleShowLayout>
    </Show>
  );
}

import {
  Edit,
  Labeled,
  SaveButton,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  Toolbar,
  maxLength,
  required,
  useRecordContext,
} from 'react-admin';
import { FeedbackMedia } from './FeedbackMedia';
import { feedbackStatuses } from './choices';

// Handled feedback reopens as "reviewed": the database refuses resolved/dismissed → new
// (supabase/schemas/30_customers_generations.sql), so the choice is not offered either.
const HANDLED = ['resolved', 'dismissed'];

function StatusInput() {
  const record = useRecordContext<{ status?: string }>();
  const handled = HANDLED.includes(record?.status ?? '');
  return (
    <SelectInput
      source="status"
      choices={feedbackStatuses.map((choice) => ({
        ...choice,
        disabled: handled && choice.id === 'new',
      }))}
      validate={required()}
      helperText={handled ? 'To reopen it, set it to reviewed.' : undefined}
    />
  );
}

export function FeedbackEdit() {
  return (
    <Edit mutationMode="pessimistic" redirect="show">
      {/* Save only: no role may delete feedback (the database refuses it). */}
      <SimpleForm
        toolbar={
          <Toolbar>
            <SaveButton />
          </Toolbar>
        }
      >
        <Labeled label="Comment">
          <TextField source="comment" />
        </Labeled>
        <FeedbackMedia />
        <StatusInput />
        <TextInput
          source="admin_note"
          label="Admin note"
          multiline
          minRows={3}
          validate={maxLength(5000)}
        />
      </SimpleForm>
    </Edit>
  );
}

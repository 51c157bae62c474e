import {
  Edit,
  Labeled,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  maxLength,
  required,
} from 'react-admin';
import { FeedbackMedia } from './FeedbackMedia';
import { feedbackStatuses } from './choices';

export function FeedbackEdit() {
  return (
    <Edit mutationMode="pessimistic" redirect="show">
      <SimpleForm>
        <Labeled label="Comment">
          <TextField source="comment" />
        </Labeled>
        <FeedbackMedia />
        <SelectInput source="status" choices={feedbackStatuses} validate={required()} />
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

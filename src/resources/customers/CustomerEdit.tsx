import {
  BooleanInput,
  Edit,
  NumberInput,
  SimpleForm,
  TextInput,
  email,
  maxLength,
  minValue,
  maxValue,
} from 'react-admin';
import { Stack } from '@mui/material';

// Only the profile: credits, disabling and verification change through their own audited
// functions, and the data provider drops any other field before it reaches PostgREST.
export function CustomerEdit() {
  return (
    <Edit mutationMode="pessimistic" redirect="show">
      <SimpleForm>
        <TextInput source="email" validate={[email(), maxLength(320)]} />
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ width: '100%' }}>
          <TextInput source="first_name" validate={maxLength(200)} />
          <TextInput source="last_name" validate={maxLength(200)} />
          <TextInput source="display_name" validate={maxLength(200)} />
        </Stack>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ width: '100%' }}>
          <TextInput source="locale" validate={maxLength(35)} />
          <TextInput source="timezone" validate={maxLength(64)} />
        </Stack>
        <BooleanInput source="marketing_opt_in" />
        <BooleanInput source="product_updates_opt_in" />
        <BooleanInput source="auto_topup_enabled" />
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <NumberInput source="topup_default_packs" validate={[minValue(0), maxValue(100)]} />
          <NumberInput
            source="auto_topup_monthly_limit_packs"
            validate={[minValue(0), maxValue(1000)]}
          />
        </Stack>
      </SimpleForm>
    </Edit>
  );
}

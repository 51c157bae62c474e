import { Create, SimpleForm, TextInput } from 'react-admin';
import { AdminOnly } from '@/layout/AdminOnly';
import { useNotifyServerError } from '@/components/useNotifyServerError';
import { GenerationTypeInputs } from './GenerationTypeInputs';
import { validateTypeKey } from './validators';

export function GenerationTypeCreate() {
  const notifyError = useNotifyServerError();
  return (
    <AdminOnly what="add generation types">
      <Create redirect="list" mutationOptions={{ onError: notifyError }}>
        <SimpleForm defaultValues={{ active: true, cost_credits: 1 }}>
          <TextInput source="type_key" validate={validateTypeKey} helperText="e.g. image.hd" />
          <GenerationTypeInputs />
        </SimpleForm>
      </Create>
    </AdminOnly>
  );
}

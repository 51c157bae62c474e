import { Create, SimpleForm, TextInput } from 'react-admin';
import { ConfigInputs } from './ConfigInputs';
import { validateKey } from './validators';
import { AdminOnly } from '@/layout/AdminOnly';
import { useNotifyServerError } from '@/components/useNotifyServerError';

export function ConfigCreate() {
  const notifyError = useNotifyServerError();
  return (
    <AdminOnly what="create config keys">
      <Create redirect="edit" mutationOptions={{ onError: notifyError }}>
        <SimpleForm>
          <TextInput source="key" validate={validateKey} sx={{ fontFamily: 'monospace' }} />
          <ConfigInputs />
        </SimpleForm>
      </Create>
    </AdminOnly>
  );
}

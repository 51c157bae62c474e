import { Typography } from '@mui/material';
import { Edit, SaveButton, SimpleForm, Toolbar, useRecordContext } from 'react-admin';
import type { Tables } from '@/types/database';
import { useNotifyServerError } from '@/components/useNotifyServerError';
import { useIsAdmin } from '@/layout/permissions';
import { GenerationTypeInputs } from './GenerationTypeInputs';
import { GenerationTypeList } from './GenerationTypeList';

function TypeKey() {
  const record = useRecordContext<Tables<'generation_types'>>();
  return (
    <Typography variant="h6" sx={{ fontFamily: 'monospace', mb: 2 }}>
      {record?.type_key}
    </Typography>
  );
}

// The key is what generations reference, so it is shown, not edited.
export function GenerationTypeEdit() {
  const { isAdmin, isPending } = useIsAdmin();
  const notifyError = useNotifyServerError();
  if (isPending) return null;
  if (!isAdmin) return <GenerationTypeList />;
  return (
    <Edit mutationMode="pessimistic" mutationOptions={{ onError: notifyError }}>
      <SimpleForm
        toolbar={
          <Toolbar>
            <SaveButton />
          </Toolbar>
        }
      >
        <TypeKey />
        <GenerationTypeInputs />
      </SimpleForm>
    </Edit>
  );
}

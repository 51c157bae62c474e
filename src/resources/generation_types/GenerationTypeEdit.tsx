import { Typography } from '@mui/material';
import { Edit, SaveButton, SimpleForm, Toolbar, useRecordContext } from 'react-admin';
import type { Tables } from '@/types/database';
import { useNotifyServerError } from '@/components/useNotifyServerError';
import { useIsAdmin } from '@/layout/permissions';
import { GenerationTypeInputs } from './GenerationTypeInputs';
import { GenerationTypeList } from './GenerationTypeList';
import { PriceWithChangeButton } from './ChangePriceButton';
import { RemoveTypeButton } from './RemoveTypeButton';

type GenerationType = Tables<'generation_types'>;

// The form saves the name and the active switch; the price has its own dialog with a
// reason, and the database refuses a price in a plain save (it says to use the dialog's RPC).
const withoutPrice = ({ cost_credits: _price, ...rest }: GenerationType) => rest;

function TypeKey() {
  const record = useRecordContext<GenerationType>();
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
    <Edit
      mutationMode="pessimistic"
      mutationOptions={{ onError: notifyError }}
      transform={withoutPrice}
    >
      <SimpleForm
        toolbar={
          <Toolbar sx={{ justifyContent: 'space-between' }}>
            <SaveButton />
            <RemoveTypeButton />
          </Toolbar>
        }
      >
        <TypeKey />
        <PriceWithChangeButton />
        <GenerationTypeInputs price={false} />
      </SimpleForm>
    </Edit>
  );
}

import { useState } from 'react';
import { Button, Typography } from '@mui/material';
import DeleteIcon from '@mui/icons-material/DeleteOutline';
import { useDataProvider, useNotify, useRecordContext, useRedirect } from 'react-admin';
import { useMutation } from '@tanstack/react-query';
import type { Tables } from '@/types/database';
import type { CreditDeskDataProvider } from '@/providers/dataProvider';
import { ConfirmWithReasonDialog } from '@/components/ConfirmWithReasonDialog';

type GenerationType = Tables<'generation_types'>;

/**
 * Removing a type takes a reason, like a price change: removing it and creating it again
 * would otherwise be a price change without one (the database refuses a plain DELETE).
 */
export function RemoveTypeButton() {
  const record = useRecordContext<GenerationType>();
  const dataProvider = useDataProvider<CreditDeskDataProvider>();
  const notify = useNotify();
  const redirect = useRedirect();
  const [open, setOpen] = useState(false);
  const mutation = useMutation({
    mutationFn: (reason: string) =>
      dataProvider.removeGenerationType({ typeKey: record!.type_key, reason }),
    onSuccess: (removed) => {
      notify(`${removed.display_name} was removed from the price list.`, { type: 'success' });
      setOpen(false);
      redirect('list', 'generation_types');
    },
  });
  if (!record) return null;
  return (
    <>
      <Button color="error" startIcon={<DeleteIcon />} onClick={() => setOpen(true)}>
        Remove type
      </Button>
      <ConfirmWithReasonDialog
        open={open}
        title={`Remove ${record.display_name} from the price list`}
        confirmLabel="Remove type"
        onClose={() => setOpen(false)}
        onConfirm={(reason) => mutation.mutateAsync(reason)}
        pending={mutation.isPending}
      >
        <Typography variant="body2">
          Generations already made keep their type. To stop selling it for now, switch it off
          (Active) and save instead.
        </Typography>
      </ConfirmWithReasonDialog>
    </>
  );
}

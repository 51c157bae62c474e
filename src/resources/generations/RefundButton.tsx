import { useState } from 'react';
import { Button, Typography } from '@mui/material';
import UndoIcon from '@mui/icons-material/Undo';
import { useDataProvider, useNotify, useRecordContext, useRefresh } from 'react-admin';
import { useMutation } from '@tanstack/react-query';
import type { CreditDeskDataProvider } from '@/providers/dataProvider';
import { ConfirmWithReasonDialog } from '@/components/ConfirmWithReasonDialog';
import { formatInt } from '@/components/format';
import { useCanWrite } from '@/layout/permissions';

/** Shown on a failed, unrefunded generation that charged credits, to support and admins. */
export function RefundButton() {
  const record = useRecordContext();
  const canWrite = useCanWrite();
  const dataProvider = useDataProvider<CreditDeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);

  const mutation = useMutation({
    mutationFn: (reason: string) =>
      dataProvider.refundGeneration({ generationId: String(record?.id), reason }),
    onSuccess: (result) => {
      notify(`Refunded. The customer's balance is now ${formatInt(result.balance)}`, {
        type: 'success',
      });
      refresh();
      setOpen(false);
    },
  });

  const refundable =
    record?.status === 'failed' && !record.refunded_at && Number(record.credits_charged) > 0;
  if (!canWrite || !refundable) return null;
  return (
    <>
      <Button startIcon={<UndoIcon />} onClick={() => setOpen(true)}>
        Refund
      </Button>
      {open && (
        <ConfirmWithReasonDialog
          open
          title="Refund this generation?"
          confirmLabel="Refund"
          onClose={() => setOpen(false)}
          onConfirm={(reason) => mutation.mutateAsync(reason)}
          pending={mutation.isPending}
        >
          <Typography variant="body2">
            {formatInt(Number(record.credits_charged))} credits go back to the customer.
          </Typography>
        </ConfirmWithReasonDialog>
      )}
    </>
  );
}

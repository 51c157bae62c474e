import { useState } from 'react';
import { Button } from '@mui/material';
import BlockIcon from '@mui/icons-material/Block';
import CheckCircleOutlineIcon from '@mui/icons-material/CheckCircleOutline';
import { useDataProvider, useNotify, useRecordContext, useRefresh } from 'react-admin';
import { useMutation } from '@tanstack/react-query';
import type { CreditDeskDataProvider } from '@/providers/dataProvider';
import { ConfirmWithReasonDialog } from '@/components/ConfirmWithReasonDialog';

/** "Disable" on an enabled account, "Enable" on a disabled one; both need a reason. */
export function DisableCustomerButton() {
  const record = useRecordContext();
  const dataProvider = useDataProvider<CreditDeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const disable = !record?.disabled;

  const mutation = useMutation({
    mutationFn: (reason: string) =>
      dataProvider.setCustomerDisabled({
        customerId: String(record?.id),
        disabled: disable,
        reason,
      }),
    onSuccess: () => {
      notify(disable ? 'Account disabled' : 'Account enabled', { type: 'success' });
      refresh();
      setOpen(false);
    },
  });

  if (!record) return null;
  const label = disable ? 'Disable' : 'Enable';
  return (
    <>
      <Button
        color={disable ? 'error' : 'success'}
        startIcon={disable ? <BlockIcon /> : <CheckCircleOutlineIcon />}
        onClick={() => setOpen(true)}
      >
        {label}
      </Button>
      {open && (
        <ConfirmWithReasonDialog
          open
          title={disable ? 'Disable this account?' : 'Enable this account?'}
          confirmLabel={label}
          onClose={() => setOpen(false)}
          onConfirm={(reason) => mutation.mutateAsync(reason)}
          pending={mutation.isPending}
        />
      )}
    </>
  );
}

import { useState } from 'react';
import { Button, TextField, Typography } from '@mui/material';
import TollIcon from '@mui/icons-material/Toll';
import { useDataProvider, useNotify, useRecordContext, useRefresh } from 'react-admin';
import { useMutation } from '@tanstack/react-query';
import type { CreditDeskDataProvider } from '@/providers/dataProvider';
import { ConfirmWithReasonDialog } from '@/components/ConfirmWithReasonDialog';
import { formatInt } from '@/components/format';
import { isNetworkError } from '@/providers/serverError';

const INTEGER = /^[+-]?\d{1,7}$/;

function AdjustCreditsForm({ onClose }: { onClose: () => void }) {
  const record = useRecordContext();
  const dataProvider = useDataProvider<CreditDeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  // One key per opening of the dialog: a retry or a double click replays the same change,
  // which the database answers with the first result instead of crediting twice.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [deltaText, setDeltaText] = useState('');

  const balance = Number(record?.credits ?? 0);
  const valid = INTEGER.test(deltaText.trim()) && Number(deltaText) !== 0;
  const delta = valid ? Number(deltaText) : 0;
  const after = balance + delta;

  const mutation = useMutation({
    mutationFn: (reason: string) =>
      dataProvider.adjustCredits({
        customerId: String(record?.id),
        delta,
        reason,
        idempotencyKey,
      }),
    onSuccess: (result) => {
      notify(`Credits adjusted. New balance: ${formatInt(result.balance)}`, {
        type: 'success',
      });
      refresh();
      onClose();
    },
    // A refusal may come from a balance that changed meanwhile (another tab, the product
    // spending): the dialog stays open and shows the balance as it is now. Nothing reached
    // the server when the connection is lost, so there is nothing new to read then.
    onError: (error) => {
      if (!isNetworkError(error)) refresh();
    },
  });

  return (
    <ConfirmWithReasonDialog
      open
      title="Adjust credits"
      confirmLabel="Adjust"
      onClose={onClose}
      onConfirm={(reason) => mutation.mutateAsync(reason)}
      pending={mutation.isPending}
      canConfirm={valid && after >= 0}
    >
      <Typography variant="body2">
        Current balance: <strong>{formatInt(balance)}</strong>
      </Typography>
      <TextField
        label="Change (+ adds, − removes)"
        value={deltaText}
        onChange={(e) => setDeltaText(e.target.value)}
        error={deltaText !== '' && !valid}
        helperText={
          deltaText !== '' && !valid ? 'A whole number other than 0, e.g. 50 or -20.' : ' '
        }
        slotProps={{ htmlInput: { inputMode: 'numeric' } }}
        autoFocus
      />
      {valid && (
        <Typography
          variant="body2"
          data-testid="balance-after"
          color={after < 0 ? 'error' : 'text.primary'}
        >
          Balance after: <strong>{formatInt(after)}</strong>
          {after < 0 && ' — the balance cannot go below 0.'}
        </Typography>
      )}
    </ConfirmWithReasonDialog>
  );
}

export function AdjustCreditsButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button startIcon={<TollIcon />} onClick={() => setOpen(true)}>
        Adjust credits
      </Button>
      {/* Mounted per opening, so each opening gets a fresh form and a fresh key. */}
      {open && <AdjustCreditsForm onClose={() => setOpen(false)} />}
    </>
  );
}

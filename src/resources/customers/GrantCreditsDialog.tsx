import { useState } from 'react';
import { Button, TextField, Typography } from '@mui/material';
import RedeemIcon from '@mui/icons-material/Redeem';
import { useDataProvider, useNotify, useRecordContext, useRefresh } from 'react-admin';
import { useMutation } from '@tanstack/react-query';
import type { CreditDeskDataProvider } from '@/providers/dataProvider';
import { ConfirmWithReasonDialog } from '@/components/ConfirmWithReasonDialog';
import { formatInt } from '@/components/format';
import { isFuture, toIso } from './expiry';
import { ExpiryInput } from './expiryInput';

const POSITIVE = /^\d{1,7}$/;

function GrantCreditsForm({ onClose }: { onClose: () => void }) {
  const record = useRecordContext();
  const dataProvider = useDataProvider<CreditDeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  // One key per opening: a double click or a retry replays the same grant.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [creditsText, setCreditsText] = useState('');
  const [expiry, setExpiry] = useState('');
  const credits = Number(creditsText);
  const validCredits = POSITIVE.test(creditsText.trim()) && credits > 0 && credits <= 1_000_000;
  const validExpiry = expiry === '' || isFuture(expiry);

  const mutation = useMutation({
    mutationFn: (reason: string) =>
      dataProvider.grantCredits({
        customerId: String(record?.id),
        credits,
        reason,
        expiresAt: toIso(expiry),
        idempotencyKey,
      }),
    onSuccess: (result) => {
      notify(`Credits granted. New balance: ${formatInt(result.balance)}`, { type: 'success' });
      refresh();
      onClose();
    },
  });

  return (
    <ConfirmWithReasonDialog
      open
      title="Grant credits"
      confirmLabel="Grant"
      onClose={onClose}
      onConfirm={(reason) => mutation.mutateAsync(reason)}
      pending={mutation.isPending}
      canConfirm={validCredits && validExpiry}
      reasonHelp="Why? e.g. a promotion, a referral bonus or a ticket number. Kept in the audit trail."
    >
      <Typography variant="body2">
        Free credits, used before paid ones. Current balance:{' '}
        <strong>{formatInt(Number(record?.credits ?? 0))}</strong>
      </Typography>
      <TextField
        label="Credits"
        value={creditsText}
        onChange={(e) => setCreditsText(e.target.value)}
        error={creditsText !== '' && !validCredits}
        helperText={
          creditsText !== '' && !validCredits ? 'A whole number from 1 to 1,000,000.' : ' '
        }
        slotProps={{ htmlInput: { inputMode: 'numeric' } }}
        autoFocus
      />
      <ExpiryInput label="Expires (optional)" value={expiry} onChange={setExpiry} />
    </ConfirmWithReasonDialog>
  );
}

export function GrantCreditsButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button startIcon={<RedeemIcon />} onClick={() => setOpen(true)}>
        Grant credits
      </Button>
      {open && <GrantCreditsForm onClose={() => setOpen(false)} />}
    </>
  );
}

import { useState } from 'react';
import { Button, Typography } from '@mui/material';
import { useDataProvider, useNotify, useRefresh } from 'react-admin';
import { useMutation } from '@tanstack/react-query';
import type { CreditDeskDataProvider } from '@/providers/dataProvider';
import { ConfirmWithReasonDialog } from '@/components/ConfirmWithReasonDialog';
import { formatInt } from '@/components/format';
import { formatDateTime } from '@/components/dates';
import type { CreditBlock } from './creditBlocks';
import { isLaterThan, toIso } from './expiry';
import { ExpiryInput } from './expiryInput';

function ExtendExpiryForm({ block, onClose }: { block: CreditBlock; onClose: () => void }) {
  const dataProvider = useDataProvider<CreditDeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [expiry, setExpiry] = useState('');
  const iso = toIso(expiry);
  // Only later than now and than the current expiry; the database says the same.
  const valid = isLaterThan(expiry, block.expires_at);

  const mutation = useMutation({
    mutationFn: (reason: string) =>
      dataProvider.extendCreditExpiry({ blockId: block.id, expiresAt: iso!, reason }),
    onSuccess: () => {
      notify('Expiry extended.', { type: 'success' });
      refresh();
      onClose();
    },
  });

  return (
    <ConfirmWithReasonDialog
      open
      title="Extend expiry"
      confirmLabel="Extend"
      onClose={onClose}
      onConfirm={(reason) => mutation.mutateAsync(reason)}
      pending={mutation.isPending}
      canConfirm={valid}
    >
      <Typography variant="body2">
        {formatInt(block.remaining)} {block.kind} credits left in block {block.id}, expiring{' '}
        <strong>{block.expires_at ? formatDateTime(new Date(block.expires_at)) : 'never'}</strong>.
      </Typography>
      <ExpiryInput label="New expiry" value={expiry} onChange={setExpiry} required />
    </ConfirmWithReasonDialog>
  );
}

export function ExtendExpiryButton({ block }: { block: CreditBlock }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        size="small"
        onClick={() => setOpen(true)}
        aria-label={`Extend expiry of block ${block.id}`}
      >
        Extend
      </Button>
      {open && <ExtendExpiryForm block={block} onClose={() => setOpen(false)} />}
    </>
  );
}

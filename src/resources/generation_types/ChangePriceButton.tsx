import { useState } from 'react';
import { Button, Stack, TextField, Typography } from '@mui/material';
import PriceChangeIcon from '@mui/icons-material/PriceChange';
import { useDataProvider, useNotify, useRecordContext, useRefresh } from 'react-admin';
import { useMutation } from '@tanstack/react-query';
import type { Tables } from '@/types/database';
import type { CreditDeskDataProvider } from '@/providers/dataProvider';
import { ConfirmWithReasonDialog } from '@/components/ConfirmWithReasonDialog';
import { formatInt } from '@/components/format';

type GenerationType = Tables<'generation_types'>;

// The table's check constraint in words (the database says the same if this is bypassed).
function costError(text: string): string | undefined {
  if (text.trim() === '') return 'Enter the new price.';
  if (!/^\d+$/.test(text.trim())) return 'Credits are whole numbers, 0 or more.';
  if (Number(text) > 100000) return 'A price may be at most 100,000 credits.';
  return undefined;
}

function ChangePriceDialog({ record, onClose }: { record: GenerationType; onClose: () => void }) {
  const dataProvider = useDataProvider<CreditDeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [text, setText] = useState(String(record.cost_credits));
  const error = costError(text);
  const unchanged = !error && Number(text) === record.cost_credits;

  const mutation = useMutation({
    mutationFn: (reason: string) =>
      dataProvider.setGenerationTypePrice({
        typeKey: record.type_key,
        costCredits: Number(text),
        reason,
      }),
    onSuccess: (saved) => {
      notify(`${record.display_name} now costs ${formatInt(saved.cost_credits)} credits.`, {
        type: 'success',
      });
      refresh();
      onClose();
    },
  });

  return (
    <ConfirmWithReasonDialog
      open
      title={`Change the price of ${record.display_name}`}
      confirmLabel="Change price"
      onClose={onClose}
      onConfirm={(reason) => mutation.mutateAsync(reason)}
      pending={mutation.isPending}
      canConfirm={!error && !unchanged}
      reasonHelp="Why? It is kept in the audit trail (e.g. the provider's new rate or a ticket)."
    >
      <Typography variant="body2">
        Current price: <strong>{formatInt(record.cost_credits)} credits</strong>. Generations
        started from now on are charged the new one.
      </Typography>
      <TextField
        label="New price (credits)"
        value={text}
        onChange={(e) => setText(e.target.value)}
        error={Boolean(error)}
        helperText={error ?? (unchanged ? 'That is the current price.' : ' ')}
        slotProps={{ htmlInput: { inputMode: 'numeric' } }}
      />
    </ConfirmWithReasonDialog>
  );
}

/** The price of a generation type, and the one way to change it: with a reason. */
export function PriceWithChangeButton() {
  const record = useRecordContext<GenerationType>();
  const [open, setOpen] = useState(false);
  if (!record) return null;
  return (
    <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 2 }}>
      <Typography>
        Cost: <strong>{formatInt(record.cost_credits)} credits</strong>
      </Typography>
      <Button startIcon={<PriceChangeIcon />} onClick={() => setOpen(true)}>
        Change price
      </Button>
      {open && <ChangePriceDialog record={record} onClose={() => setOpen(false)} />}
    </Stack>
  );
}

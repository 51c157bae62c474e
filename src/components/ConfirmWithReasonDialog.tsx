import { useState, type ReactNode } from 'react';
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
} from '@mui/material';
import { errorMessage } from '@/providers/serverError';

interface Props {
  open: boolean;
  title: string;
  confirmLabel: string;
  onClose: () => void;
  /** Receives the trimmed reason; a rejection's message is shown in the dialog. */
  onConfirm: (reason: string) => Promise<unknown>;
  pending?: boolean;
  /** Extra inputs or a preview above the reason. */
  children?: ReactNode;
  /** False while the extra inputs are invalid. */
  canConfirm?: boolean;
  reasonHelp?: string;
}

/**
 * Every privileged change in CreditDesk carries a reason (it lands in the audit trail), and a
 * refusal from the database is shown where the person is looking, not in a vanishing toast.
 */
export function ConfirmWithReasonDialog({
  open,
  title,
  confirmLabel,
  onClose,
  onConfirm,
  pending = false,
  children,
  canConfirm = true,
  reasonHelp = 'Why? It is kept in the audit trail (e.g. a ticket number).',
}: Props) {
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const missing = reason.trim() === '';

  const confirm = async () => {
    setTouched(true);
    if (missing || !canConfirm || pending) return;
    setError(null);
    try {
      await onConfirm(reason.trim());
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <Dialog open={open} onClose={pending ? undefined : onClose} fullWidth maxWidth="xs">
      <DialogTitle>{title}</DialogTitle>
      <DialogContent
        sx={{ display: 'flex', flexDirection: 'column', gap: 2, pt: '8px !important' }}
      >
        {children}
        <TextField
          label="Reason"
          required
          multiline
          minRows={2}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          onBlur={() => setTouched(true)}
          error={touched && missing}
          helperText={touched && missing ? 'A reason is required.' : reasonHelp}
          slotProps={{ htmlInput: { maxLength: 500 } }}
        />
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={pending}>
          Cancel
        </Button>
        <Button variant="contained" onClick={confirm} disabled={pending || !canConfirm}>
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

import { useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  MenuItem,
  TextField,
} from '@mui/material';
import PersonAddIcon from '@mui/icons-material/PersonAdd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useDataProvider, useNotify } from 'react-admin';
import type { CreditDeskDataProvider } from '@/providers/dataProvider';
import type { StaffRole } from '@/providers/rpcTypes';
import { errorMessage } from '@/providers/serverError';
import { staffRoles } from './roles';

// Grants a role to an account that already exists in Supabase Auth: creating or inviting
// accounts needs the service role, which never reaches the browser.
export function AddStaffDialog() {
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<StaffRole>('support');
  const dataProvider = useDataProvider<CreditDeskDataProvider>();
  const queryClient = useQueryClient();
  const notify = useNotify();
  const { mutate, isPending, error, reset } = useMutation({
    mutationFn: (args: { email: string; role: StaffRole }) => dataProvider.addStaffMember(args),
    onSuccess: (member) => {
      notify(`${member.email} is now ${member.role}.`, { type: 'success' });
      void queryClient.invalidateQueries({ queryKey: ['staff'] });
      close();
    },
  });

  function close() {
    setOpen(false);
    setEmail('');
    setRole('support');
    reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    mutate({ email: email.trim(), role });
  }

  return (
    <>
      <Button size="small" startIcon={<PersonAddIcon />} onClick={() => setOpen(true)}>
        Add staff member
      </Button>
      <Dialog open={open} onClose={isPending ? undefined : close} fullWidth maxWidth="xs">
        <form onSubmit={submit}>
          <DialogTitle>Add staff member</DialogTitle>
          <DialogContent>
            <DialogContentText sx={{ mb: 2 }}>
              The person needs a CreditDesk account first (invited through Supabase Auth).
            </DialogContentText>
            {error && (
              <Alert severity="error" sx={{ mb: 2 }}>
                {errorMessage(error)}
              </Alert>
            )}
            <TextField
              autoFocus
              required
              fullWidth
              type="email"
              label="Email"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              sx={{ mb: 2 }}
            />
            <TextField
              select
              fullWidth
              label="Role"
              value={role}
              onChange={(event) => setRole(event.target.value as StaffRole)}
            >
              {staffRoles.map((choice) => (
                <MenuItem key={choice.id} value={choice.id}>
                  {choice.name}
                </MenuItem>
              ))}
            </TextField>
          </DialogContent>
          <DialogActions>
            <Button onClick={close} disabled={isPending}>
              Cancel
            </Button>
            <Button type="submit" variant="contained" disabled={isPending || !email.trim()}>
              Add
            </Button>
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}

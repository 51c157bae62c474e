import { useState } from 'react';
import { Button, DialogContentText, MenuItem, TextField } from '@mui/material';
import PersonAddIcon from '@mui/icons-material/PersonAdd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useDataProvider, useNotify } from 'react-admin';
import type { CreditDeskDataProvider } from '@/providers/dataProvider';
import type { StaffRole } from '@/providers/rpcTypes';
import { ConfirmWithReasonDialog } from '@/components/ConfirmWithReasonDialog';
import { staffRoles } from './roles';

// Grants a role to an account that already exists in Supabase Auth: creating or inviting
// accounts needs the service role, which never reaches the browser. Granting a role is a
// privileged change like changing one, so it carries a reason (the database refuses it
// without one).
export function AddStaffDialog() {
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<StaffRole>('support');
  const dataProvider = useDataProvider<CreditDeskDataProvider>();
  const queryClient = useQueryClient();
  const notify = useNotify();
  const { mutateAsync, isPending } = useMutation({
    mutationFn: (args: { email: string; role: StaffRole; reason: string }) =>
      dataProvider.addStaffMember(args),
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
  }

  return (
    <>
      <Button size="small" startIcon={<PersonAddIcon />} onClick={() => setOpen(true)}>
        Add staff member
      </Button>
      {open && (
        <ConfirmWithReasonDialog
          open
          title="Add staff member"
          confirmLabel="Add"
          onClose={close}
          onConfirm={(reason) => mutateAsync({ email: email.trim(), role, reason })}
          pending={isPending}
          canConfirm={email.trim() !== ''}
        >
          <DialogContentText>
            The person needs a CreditDesk account first (invited through Supabase Auth).
          </DialogContentText>
          <TextField
            autoFocus
            required
            fullWidth
            type="email"
            label="Email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
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
        </ConfirmWithReasonDialog>
      )}
    </>
  );
}

import { useState } from 'react';
import { Button, MenuItem, Stack, TextField, Typography } from '@mui/material';
import {
  useDataProvider,
  useGetIdentity,
  useNotify,
  useRecordContext,
  useRefresh,
} from 'react-admin';
import { useMutation } from '@tanstack/react-query';
import type { Tables } from '@/types/database';
import type { CreditDeskDataProvider } from '@/providers/dataProvider';
import type { StaffRole } from '@/providers/rpcTypes';
import { ConfirmWithReasonDialog } from '@/components/ConfirmWithReasonDialog';
import { staffRoles } from './roles';

type StaffRecord = Tables<'staff'> & { id: string };

const roleName = (role: StaffRole) => staffRoles.find((r) => r.id === role)?.name ?? role;

// A role or an account state changes only with a reason (the database refuses it without
// one). The row shows what is saved: nothing moves until the database has said yes, and a
// refusal (the last admin) is shown in the dialog.
function useStaffChange(record: StaffRecord | undefined, onDone: () => void) {
  const dataProvider = useDataProvider<CreditDeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (change: { role?: StaffRole; disabled?: boolean; reason: string }) =>
      change.role
        ? dataProvider.setStaffRole({
            userId: record!.user_id,
            role: change.role,
            reason: change.reason,
          })
        : dataProvider.setStaffDisabled({
            userId: record!.user_id,
            disabled: change.disabled!,
            reason: change.reason,
          }),
    onSuccess: (saved, change) => {
      notify(
        change.role
          ? `${saved.email} is now ${saved.role}.`
          : saved.disabled
            ? `${saved.email} is disabled.`
            : `${saved.email} is enabled again.`,
        { type: 'success' },
      );
      onDone();
      refresh();
    },
  });
}

export function StaffRoleSelect() {
  const record = useRecordContext<StaffRecord>();
  const [role, setRole] = useState<StaffRole | null>(null);
  const change = useStaffChange(record, () => setRole(null));
  if (!record) return null;
  return (
    <>
      <TextField
        select
        size="small"
        value={record.role}
        disabled={change.isPending}
        onClick={(event) => event.stopPropagation()}
        onChange={(event) => {
          const chosen = event.target.value as StaffRole;
          if (chosen !== record.role) setRole(chosen);
        }}
        // The visible combobox needs the name too: the native input behind it is hidden.
        slotProps={{
          htmlInput: { 'aria-label': `Role of ${record.email}` },
          select: { SelectDisplayProps: { 'aria-label': `Role of ${record.email}` } },
        }}
      >
        {staffRoles.map((choice) => (
          <MenuItem key={choice.id} value={choice.id}>
            {choice.name}
          </MenuItem>
        ))}
      </TextField>
      {role && (
        <ConfirmWithReasonDialog
          open
          title={`Make ${record.email} ${roleName(role)}?`}
          confirmLabel="Change role"
          onClose={() => setRole(null)}
          onConfirm={(reason) => change.mutateAsync({ role, reason })}
          pending={change.isPending}
        >
          <Typography>
            {roleName(record.role as StaffRole)} → {roleName(role)}. It applies to their very next
            request.
          </Typography>
        </ConfirmWithReasonDialog>
      )}
    </>
  );
}

export function ToggleStaffDisabledButton() {
  const record = useRecordContext<StaffRecord>();
  const { identity } = useGetIdentity();
  const [open, setOpen] = useState(false);
  const change = useStaffChange(record, () => setOpen(false));
  if (!record) return null;
  const disabling = !record.disabled;
  const label = disabling ? 'Disable' : 'Re-enable';
  return (
    <Stack direction="row">
      <Button
        size="small"
        color={disabling ? 'error' : 'primary'}
        disabled={change.isPending}
        title={identity?.id === record.user_id ? 'This is you' : undefined}
        onClick={(event) => {
          event.stopPropagation();
          setOpen(true);
        }}
      >
        {label}
      </Button>
      {open && (
        <ConfirmWithReasonDialog
          open
          title={`${label} ${record.email}?`}
          confirmLabel={label}
          onClose={() => setOpen(false)}
          onConfirm={(reason) => change.mutateAsync({ disabled: disabling, reason })}
          pending={change.isPending}
        >
          <Typography>
            {disabling
              ? 'They lose access at once: every request of theirs is refused, even with a session open.'
              : `They get their ${roleName(record.role as StaffRole)} access back.`}
          </Typography>
        </ConfirmWithReasonDialog>
      )}
    </Stack>
  );
}

// Removing a staff member takes their role away like disabling does, but leaves no row to
// re-enable; it carries a reason too, and the last enabled admin is refused in the dialog.
export function RemoveStaffButton() {
  const record = useRecordContext<StaffRecord>();
  const dataProvider = useDataProvider<CreditDeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const remove = useMutation({
    mutationFn: (reason: string) =>
      dataProvider.removeStaffMember({ userId: record!.user_id, reason }),
    onSuccess: (removed) => {
      notify(`${removed.email} is no longer a staff member.`, { type: 'success' });
      setOpen(false);
      refresh();
    },
  });
  if (!record) return null;
  return (
    <>
      <Button
        size="small"
        color="error"
        disabled={remove.isPending}
        onClick={(event) => {
          event.stopPropagation();
          setOpen(true);
        }}
      >
        Remove
      </Button>
      {open && (
        <ConfirmWithReasonDialog
          open
          title={`Remove ${record.email}?`}
          confirmLabel="Remove"
          onClose={() => setOpen(false)}
          onConfirm={(reason) => remove.mutateAsync(reason)}
          pending={remove.isPending}
        >
          <Typography>
            Their {roleName(record.role as StaffRole)} role is taken away at once. Their account
            stays; add them again to give a role back.
          </Typography>
        </ConfirmWithReasonDialog>
      )}
    </>
  );
}

import { Button, MenuItem, Stack, TextField } from '@mui/material';
import { useGetIdentity, useNotify, useRecordContext, useUpdate } from 'react-admin';
import type { Tables } from '@/types/database';
import type { StaffRole } from '@/providers/rpcTypes';
import { useNotifyServerError } from '@/components/useNotifyServerError';
import { staffRoles } from './roles';

type StaffRecord = Tables<'staff'> & { id: string };

// Pessimistic on purpose: the database may refuse (the last admin), and the row must not
// show a role or state that was never saved.
function useStaffUpdate() {
  const [update, { isPending }] = useUpdate<StaffRecord>();
  const notify = useNotify();
  const notifyError = useNotifyServerError();
  const save = (record: StaffRecord, data: Partial<StaffRecord>, done: string) =>
    update(
      'staff',
      { id: record.id, data, previousData: record },
      {
        mutationMode: 'pessimistic',
        onSuccess: () => notify(done, { type: 'success' }),
        onError: notifyError,
      },
    );
  return { save, isPending };
}

export function StaffRoleSelect() {
  const record = useRecordContext<StaffRecord>();
  const { save, isPending } = useStaffUpdate();
  if (!record) return null;
  return (
    <TextField
      select
      size="small"
      value={record.role}
      disabled={isPending}
      onClick={(event) => event.stopPropagation()}
      onChange={(event) => {
        const role = event.target.value as StaffRole;
        void save(record, { role }, `${record.email} is now ${role}.`);
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
  );
}

export function ToggleStaffDisabledButton() {
  const record = useRecordContext<StaffRecord>();
  const { identity } = useGetIdentity();
  const { save, isPending } = useStaffUpdate();
  if (!record) return null;
  const disabling = !record.disabled;
  return (
    <Stack direction="row">
      <Button
        size="small"
        color={disabling ? 'error' : 'primary'}
        disabled={isPending}
        title={identity?.id === record.user_id ? 'This is you' : undefined}
        onClick={(event) => {
          event.stopPropagation();
          void save(
            record,
            { disabled: disabling },
            disabling ? `${record.email} is disabled.` : `${record.email} is enabled again.`,
          );
        }}
      >
        {disabling ? 'Disable' : 'Re-enable'}
      </Button>
    </Stack>
  );
}

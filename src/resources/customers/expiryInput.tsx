import { TextField } from '@mui/material';

/** A local date and time as the browser's datetime-local input gives it, or '' for none. */
export const toIso = (local: string): string | null =>
  local === '' || Number.isNaN(Date.parse(local)) ? null : new Date(local).toISOString();

export const isFuture = (local: string) => {
  const iso = toIso(local);
  return iso !== null && Date.parse(iso) > Date.now();
};

/** Expiry picker shared by the grant and extend dialogs: local time in, the server gets UTC. */
export function ExpiryInput({
  label,
  value,
  onChange,
  required = false,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
}) {
  const invalid = value !== '' && !isFuture(value);
  return (
    <TextField
      label={label}
      type="datetime-local"
      value={value}
      required={required}
      onChange={(e) => onChange(e.target.value)}
      error={invalid}
      helperText={
        invalid
          ? 'Choose a time in the future.'
          : required
            ? 'Your local time.'
            : 'Your local time; leave empty for credits that never expire.'
      }
      slotProps={{ inputLabel: { shrink: true } }}
    />
  );
}

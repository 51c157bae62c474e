import { TextField } from '@mui/material';
import { isFuture } from './expiry';

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

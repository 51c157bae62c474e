import { useState } from 'react';
import {
  Box,
  FormControlLabel,
  FormHelperText,
  Stack,
  Switch,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import { useInput } from 'react-admin';
import {
  convertValue,
  detectKind,
  InvalidValue,
  parseJsonText,
  parseNumberText,
  toJsonText,
  validateConfigValue,
  type ValueKind,
} from './configValue';

const KIND_LABELS: Record<ValueKind, string> = {
  boolean: 'Switch',
  number: 'Number',
  string: 'Text',
  json: 'JSON',
};

function textFor(kind: ValueKind, value: unknown): string {
  if (value instanceof InvalidValue) return value.text;
  if (kind === 'json') return toJsonText(value);
  return value === undefined || value === null ? '' : String(value);
}

// The form may hand back a copy of an object value, so drafts are compared by content.
function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof InvalidValue || b instanceof InvalidValue) {
    return a instanceof InvalidValue && b instanceof InvalidValue && a.text === b.text;
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

interface Draft {
  kind: ValueKind;
  text: string;
  value: unknown;
}

// Edits a jsonb value with the control its type calls for. The text being typed stays the
// user's (no re-formatting under the cursor); the form holds the parsed value, or an
// InvalidValue that validation refuses, so bad JSON never reaches the network.
export function ConfigValueInput({ source = 'value' }: { source?: string }) {
  const { field, fieldState, id } = useInput({
    source,
    validate: validateConfigValue,
    format: (value: unknown) => value,
    parse: (value: unknown) => value,
  });
  const [draft, setDraft] = useState<Draft>(() => {
    const kind = detectKind(field.value);
    return { kind, text: textFor(kind, field.value), value: field.value };
  });

  // A reset or a reloaded record replaces the value from outside: follow it.
  let current = draft;
  if (!sameValue(draft.value, field.value)) {
    const kind = field.value instanceof InvalidValue ? draft.kind : detectKind(field.value);
    current = { kind, text: textFor(kind, field.value), value: field.value };
    setDraft(current);
  }

  const commit = (kind: ValueKind, text: string, value: unknown) => {
    setDraft({ kind, text, value });
    field.onChange(value);
  };

  const changeKind = (kind: ValueKind | null) => {
    if (!kind || kind === current.kind) return;
    const value = convertValue(field.value, kind);
    commit(kind, textFor(kind, value), value);
  };

  const error =
    field.value instanceof InvalidValue ? field.value.message : fieldState.error?.message;

  return (
    <Box sx={{ width: '100%', mb: 2 }}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 1 }}>
        <Typography variant="subtitle2" component="label" htmlFor={id}>
          Value
        </Typography>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={current.kind}
          onChange={(_event, kind: ValueKind | null) => changeKind(kind)}
          aria-label="Value type"
        >
          {(Object.keys(KIND_LABELS) as ValueKind[]).map((kind) => (
            <ToggleButton key={kind} value={kind}>
              {KIND_LABELS[kind]}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      </Stack>
      {current.kind === 'boolean' ? (
        <FormControlLabel
          control={
            <Switch
              id={id}
              checked={field.value === true}
              onChange={(event) => commit('boolean', '', event.target.checked)}
            />
          }
          label={field.value === true ? 'On (true)' : 'Off (false)'}
        />
      ) : (
        <TextField
          id={id}
          fullWidth
          multiline={current.kind !== 'number'}
          minRows={current.kind === 'json' ? 6 : 1}
          value={current.text}
          error={Boolean(error)}
          onBlur={field.onBlur}
          slotProps={{
            htmlInput: {
              'aria-label': `Value (${KIND_LABELS[current.kind]})`,
              inputMode: current.kind === 'number' ? 'decimal' : undefined,
              style: current.kind === 'json' ? { fontFamily: 'monospace' } : undefined,
            },
          }}
          onChange={(event) => {
            const text = event.target.value;
            const parsed =
              current.kind === 'json'
                ? parseJsonText(text)
                : current.kind === 'number'
                  ? parseNumberText(text)
                  : text;
            commit(current.kind, text, parsed);
          }}
        />
      )}
      {error && (
        <FormHelperText error role="alert">
          {error}
        </FormHelperText>
      )}
    </Box>
  );
}

import {
  Box,
  FormControl,
  InputLabel,
  MenuItem,
  Select,
  TextField,
  Typography,
} from '@mui/material';
import {
  PRESETS,
  PRESET_LABELS,
  presetRange,
  toIsoDay,
  type DateRange,
  type Preset,
} from './range';

export function RangePicker({
  range,
  onChange,
  providers,
}: {
  range: DateRange;
  onChange: (next: DateRange) => void;
  providers: string[];
}) {
  const choosePreset = (preset: Preset) =>
    onChange(
      preset === 'custom'
        ? { ...range, preset } // keep the current days as the starting custom range
        : { ...range, preset, ...presetRange(preset, toIsoDay(new Date())) },
    );
  const setDay = (key: 'from' | 'to', value: string) => {
    if (value) onChange({ ...range, preset: 'custom', [key]: value });
  };
  // The selected provider stays listed even when the range holds none of its generations.
  const options = [...new Set([...providers, ...(range.provider ? [range.provider] : [])])].sort();

  // One row that wraps: react-admin's theme makes every form control full width, which
  // stacked these four one above the other, pushing the figures below the fold.
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 2, mb: 2 }}>
      <FormControl size="small" fullWidth={false} sx={{ minWidth: 160 }}>
        <InputLabel id="dashboard-range-label">Range</InputLabel>
        <Select
          labelId="dashboard-range-label"
          label="Range"
          value={range.preset}
          onChange={(e) => choosePreset(e.target.value as Preset)}
        >
          {PRESETS.map((p) => (
            <MenuItem key={p} value={p}>
              {PRESET_LABELS[p]}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <TextField
        size="small"
        fullWidth={false}
        type="date"
        label="From (UTC)"
        value={range.from}
        onChange={(e) => setDay('from', e.target.value)}
        slotProps={{ inputLabel: { shrink: true } }}
      />
      <TextField
        size="small"
        fullWidth={false}
        type="date"
        label="To (UTC)"
        value={range.to}
        onChange={(e) => setDay('to', e.target.value)}
        slotProps={{ inputLabel: { shrink: true } }}
      />
      <FormControl size="small" fullWidth={false} sx={{ minWidth: 160 }}>
        <InputLabel id="dashboard-provider-label">Provider</InputLabel>
        <Select
          labelId="dashboard-provider-label"
          label="Provider"
          value={range.provider ?? ''}
          onChange={(e) => onChange({ ...range, provider: e.target.value || null })}
        >
          <MenuItem value="">All providers</MenuItem>
          {options.map((p) => (
            <MenuItem key={p} value={p}>
              {p}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <Typography variant="body2" color="text.secondary">
        Days are UTC days ({range.from} 00:00 to {range.to} 24:00 UTC)
      </Typography>
    </Box>
  );
}

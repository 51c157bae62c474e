import { Typography } from '@mui/material';
import { useRecordContext } from 'react-admin';
import { formatInt, formatUsdPrecise } from './format';

interface Props {
  source: string;
  label?: string;
  sortable?: boolean;
  textAlign?: 'left' | 'right';
}

/** A credit amount; with `signed`, a ledger delta shown as +5 / −3 in green / red. */
export function CreditsField({ source, signed = false }: Props & { signed?: boolean }) {
  const value = useRecordContext()?.[source] as number | null | undefined;
  if (value == null) return <Typography variant="body2">—</Typography>;
  const color = !signed ? undefined : value > 0 ? 'success.main' : 'error.main';
  const text = signed && value > 0 ? `+${formatInt(value)}` : formatInt(value);
  return (
    <Typography variant="body2" component="span" sx={{ color, fontVariantNumeric: 'tabular-nums' }}>
      {text}
    </Typography>
  );
}

export function MoneyField({ source }: Props) {
  const raw = useRecordContext()?.[source] as number | string | null | undefined;
  if (raw == null || raw === '') return <Typography variant="body2">—</Typography>;
  return (
    <Typography variant="body2" component="span" sx={{ fontVariantNumeric: 'tabular-nums' }}>
      {formatUsdPrecise(raw)}
    </Typography>
  );
}

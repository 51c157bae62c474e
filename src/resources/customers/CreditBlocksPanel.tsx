import {
  Alert,
  Chip,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { formatInt, formatUsdPrecise } from '@/components/format';
import { formatDateTime, formatRelative } from '@/components/dates';
import { errorMessage } from '@/providers/serverError';
import { useCanWrite } from '@/layout/permissions';
import { balanceSplit, useCreditBlocks, type CreditBlock } from './creditBlocks';
import { ExtendExpiryButton } from './ExtendExpiryDialog';

function Expiry({ at }: { at: string | null }) {
  if (!at) return <>never</>;
  const date = new Date(at);
  return (
    <span title={formatDateTime(date)}>
      {formatDateTime(date)} ({formatRelative(date)})
    </span>
  );
}

/** Paid / free / legacy and what expires within 30 days, for the customer summary. */
export function BalanceSplitLine() {
  const { blocks } = useCreditBlocks();
  if (!blocks) return null;
  const split = balanceSplit(blocks);
  return (
    <Stack spacing={0.5} data-testid="balance-split">
      <Typography variant="body2">
        Paid {formatInt(split.paid)} · Free {formatInt(split.free)} · Legacy{' '}
        {formatInt(split.legacy)}
      </Typography>
      <Typography
        variant="body2"
        color={split.expiringSoon > 0 ? 'warning.main' : 'text.secondary'}
      >
        Expiring in the next 30 days: {formatInt(split.expiringSoon)}
      </Typography>
    </Stack>
  );
}

/** The blocks that hold the balance, in the order the next spend will draw them. */
export function CreditBlocksPanel() {
  const { blocks, isPending, error } = useCreditBlocks();
  const canWrite = useCanWrite();
  if (error) return <Alert severity="error">{errorMessage(error)}</Alert>;
  if (isPending || !blocks) return <Typography variant="body2">Loading…</Typography>;
  if (blocks.length === 0)
    return <Typography variant="body2">No credits left in any block.</Typography>;
  return (
    <TableContainer>
      <Table size="small" aria-label="Credit blocks in drawdown order">
        <TableHead>
          <TableRow>
            <TableCell>Draw order</TableCell>
            <TableCell>Kind</TableCell>
            <TableCell align="right">Remaining</TableCell>
            <TableCell align="right">Of</TableCell>
            <TableCell>Expires</TableCell>
            <TableCell align="right">Revenue per credit</TableCell>
            <TableCell>Created</TableCell>
            {canWrite && <TableCell />}
          </TableRow>
        </TableHead>
        <TableBody>
          {blocks.map((b: CreditBlock, i) => (
            <TableRow key={b.id} data-testid={`credit-block-${b.id}`}>
              <TableCell>{i + 1}</TableCell>
              <TableCell>
                <Chip
                  size="small"
                  label={b.kind}
                  color={b.kind === 'paid' ? 'primary' : 'default'}
                />
              </TableCell>
              <TableCell align="right">{formatInt(b.remaining)}</TableCell>
              <TableCell align="right">{formatInt(b.original)}</TableCell>
              <TableCell>
                <Expiry at={b.expires_at} />
              </TableCell>
              <TableCell align="right">
                {b.unit_price_usd === null ? 'unknown' : formatUsdPrecise(b.unit_price_usd)}
              </TableCell>
              <TableCell>{formatDateTime(new Date(b.created_at))}</TableCell>
              {canWrite && (
                <TableCell>{b.expires_at && <ExtendExpiryButton block={b} />}</TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

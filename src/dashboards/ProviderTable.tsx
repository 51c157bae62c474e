import { Table, TableBody, TableCell, TableContainer, TableHead, TableRow } from '@mui/material';
import { formatInt, formatMs, formatPercent, formatUsd } from '@/components/format';
import type { ProviderModelRow } from '@/providers/rpcTypes';

/** Calls, failures, cost and latency per provider and model, costliest first (as SQL sorts). */
export function ProviderTable({ rows }: { rows: ProviderModelRow[] }) {
  return (
    <TableContainer>
      <Table size="small" aria-label="Provider and model breakdown">
        <TableHead>
          <TableRow>
            <TableCell>Provider</TableCell>
            <TableCell>Model</TableCell>
            <TableCell align="right">Calls</TableCell>
            <TableCell align="right">Failures</TableCell>
            <TableCell align="right">Failure rate</TableCell>
            <TableCell align="right">Cost (USD)</TableCell>
            <TableCell align="right">Avg latency</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={`${r.provider}/${r.model}`}>
              <TableCell>{r.provider}</TableCell>
              <TableCell>{r.model || '(none)'}</TableCell>
              <TableCell align="right">{formatInt(r.calls)}</TableCell>
              <TableCell align="right">{formatInt(r.failures ?? 0)}</TableCell>
              <TableCell align="right">
                {formatPercent(r.calls ? (r.failures ?? 0) / r.calls : null)}
              </TableCell>
              <TableCell align="right">{formatUsd(r.cost_usd)}</TableCell>
              <TableCell align="right">{formatMs(r.avg_latency_ms)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

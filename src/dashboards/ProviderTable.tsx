import { useState } from 'react';
import {
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TablePagination,
  TableRow,
} from '@mui/material';
import { formatInt, formatMs, formatPercent, formatUsd } from '@/components/format';
import type { ProviderModelRow } from '@/providers/rpcTypes';

const PAGE_SIZES = [10, 25, 100];

/**
 * Calls, failures, cost and latency per provider and model, costliest first (as SQL sorts),
 * a page at a time: a long tail of models would otherwise push the charts down and add
 * hundreds of rows to the first screen.
 */
export function ProviderTable({ rows }: { rows: ProviderModelRow[] }) {
  const [page, setPage] = useState(0);
  const [perPage, setPerPage] = useState(PAGE_SIZES[0]);
  const shown = rows.slice(page * perPage, (page + 1) * perPage);
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
          {shown.map((r) => (
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
      {rows.length > PAGE_SIZES[0] && (
        <TablePagination
          component="div"
          count={rows.length}
          page={Math.min(page, Math.max(0, Math.ceil(rows.length / perPage) - 1))}
          rowsPerPage={perPage}
          rowsPerPageOptions={PAGE_SIZES}
          onPageChange={(_, p) => setPage(p)}
          onRowsPerPageChange={(e) => {
            setPerPage(Number(e.target.value));
            setPage(0);
          }}
        />
      )}
    </TableContainer>
  );
}

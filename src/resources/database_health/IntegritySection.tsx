import { useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Box,
  FormControl,
  InputLabel,
  MenuItem,
  Select,
  Skeleton,
  TableCell,
  TableRow,
  Typography,
} from '@mui/material';
import { Link, useDataProvider } from 'react-admin';
import type { CreditDeskDataProvider } from '@/providers/dataProvider';
import { DataTable } from './DataTable';
import { formatInt } from '@/components/format';
import { customerPath, formatWhen, generationPath } from './format';
import type { LedgerIntegrity } from '@/providers/rpcTypes';

const STALE_CHOICES = [
  { value: '15 minutes', label: '15 minutes' },
  { value: '1 hour', label: '1 hour' },
  { value: '1 day', label: '1 day' },
  { value: '7 days', label: '7 days' },
];

function Check({
  title,
  count,
  shown,
  ok,
  children,
}: {
  title: string;
  count: number;
  shown: number;
  ok: string;
  children: ReactNode;
}) {
  return (
    <Box component="section" aria-label={title} sx={{ mt: 2 }}>
      <Typography variant="subtitle1" component="h3">
        {title}: {formatInt(count)}
      </Typography>
      {count === 0 ? (
        <Alert severity="success">{ok}</Alert>
      ) : (
        <>
          {shown < count && (
            <Typography variant="caption" color="text.secondary">
              Showing the first {shown} of {formatInt(count)}.
            </Typography>
          )}
          {children}
        </>
      )}
    </Box>
  );
}

const CustomerLink = ({ id }: { id: string }) => <Link to={customerPath(id)}>{id}</Link>;

function Report({ r }: { r: LedgerIntegrity }) {
  return (
    <>
      <Check
        title="Balances that differ from the ledger"
        count={r.balance_mismatches.count}
        shown={r.balance_mismatches.rows.length}
        ok="Every customer's balance equals the sum of their ledger and its latest balance_after."
      >
        <DataTable
          label="Balances that differ from the ledger"
          columns={[
            { label: 'Customer' },
            { label: 'Balance', numeric: true },
            { label: 'Ledger sum', numeric: true },
            { label: 'Latest balance_after', numeric: true },
            { label: 'Difference', numeric: true },
          ]}
        >
          {r.balance_mismatches.rows.map((m) => (
            <TableRow key={m.customer_id}>
              <TableCell>
                <CustomerLink id={m.customer_id} />
                {m.email && (
                  <Typography variant="caption" component="div" color="text.secondary">
                    {m.email}
                  </Typography>
                )}
              </TableCell>
              <TableCell align="right">{formatInt(m.credits)}</TableCell>
              <TableCell align="right">{formatInt(m.ledger_sum)}</TableCell>
              <TableCell align="right">{formatInt(m.latest_balance_after)}</TableCell>
              <TableCell align="right">{formatInt(m.difference)}</TableCell>
            </TableRow>
          ))}
        </DataTable>
      </Check>
      <Check
        title="Ledger rows that break the balance chain"
        count={r.broken_chain.count}
        shown={r.broken_chain.rows.length}
        ok="Every ledger row's balance_after is the previous one plus its delta."
      >
        <DataTable
          label="Ledger rows that break the balance chain"
          columns={[
            { label: 'Transaction' },
            { label: 'Customer' },
            { label: 'Type' },
            { label: 'Delta', numeric: true },
            { label: 'balance_after', numeric: true },
            { label: 'Expected', numeric: true },
            { label: 'At' },
          ]}
        >
          {r.broken_chain.rows.map((t) => (
            <TableRow key={t.transaction_id}>
              <TableCell>#{t.transaction_id}</TableCell>
              <TableCell>
                <CustomerLink id={t.customer_id} />
              </TableCell>
              <TableCell>{t.type}</TableCell>
              <TableCell align="right">{formatInt(t.delta)}</TableCell>
              <TableCell align="right">{formatInt(t.balance_after)}</TableCell>
              <TableCell align="right">{formatInt(t.expected_balance_after)}</TableCell>
              <TableCell>{formatWhen(t.created_at)}</TableCell>
            </TableRow>
          ))}
        </DataTable>
      </Check>
      <Check
        title="Generations charged but never settled"
        count={r.unsettled_generations.count}
        shown={r.unsettled_generations.rows.length}
        ok="Every charged generation older than the threshold succeeded or was refunded."
      >
        <Typography variant="body2" color="text.secondary">
          {formatInt(r.unsettled_generations.credits)} credits charged in total. A failed one can be
          refunded from its page.
        </Typography>
        <DataTable
          label="Generations charged but never settled"
          columns={[
            { label: 'Generation' },
            { label: 'Customer' },
            { label: 'Problem' },
            { label: 'Credits', numeric: true },
            { label: 'Provider / model' },
            { label: 'Created' },
          ]}
        >
          {r.unsettled_generations.rows.map((g) => (
            <TableRow key={g.generation_id}>
              <TableCell>
                <Link to={generationPath(g.generation_id)}>{g.generation_id}</Link>
              </TableCell>
              <TableCell>
                <CustomerLink id={g.customer_id} />
              </TableCell>
              <TableCell>{g.problem}</TableCell>
              <TableCell align="right">{formatInt(g.credits_charged)}</TableCell>
              <TableCell>
                {g.provider}
                {g.model ? ` / ${g.model}` : ''}
              </TableCell>
              <TableCell>{formatWhen(g.created_at)}</TableCell>
            </TableRow>
          ))}
        </DataTable>
      </Check>
    </>
  );
}

export function IntegritySection() {
  const [staleAfter, setStaleAfter] = useState('1 hour');
  const dataProvider = useDataProvider<CreditDeskDataProvider>();
  const query = useQuery({
    queryKey: ['ledger_integrity', staleAfter],
    queryFn: () => dataProvider.ledgerIntegrity(staleAfter),
    retry: false,
  });
  return (
    <>
      <FormControl size="small" sx={{ minWidth: 220, mt: 1 }}>
        <InputLabel id="stale-after-label">Unsettled after</InputLabel>
        <Select
          labelId="stale-after-label"
          label="Unsettled after"
          value={staleAfter}
          onChange={(e) => setStaleAfter(e.target.value)}
        >
          {STALE_CHOICES.map((c) => (
            <MenuItem key={c.value} value={c.value}>
              {c.label}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      {query.isPending && <Skeleton variant="rounded" height={160} sx={{ mt: 2 }} />}
      {query.error && (
        <Alert severity="error" sx={{ mt: 2 }}>
          Could not check the ledger: {query.error.message}
        </Alert>
      )}
      {query.data && <Report r={query.data} />}
    </>
  );
}

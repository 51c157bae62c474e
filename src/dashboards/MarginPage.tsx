import { lazy, Suspense } from 'react';
import {
  Box,
  Button,
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
} from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Title, useDataProvider, useNotify } from 'react-admin';
import type { CreditDeskDataProvider } from '@/providers/dataProvider';
import { Kpi } from './KpiCards';
import { formatInt, formatUsd } from '@/components/format';
import type { FinanceMetrics } from '@/providers/rpcTypes';
import { downloadMarginCsv } from './marginCsv';
import { RangePicker } from './RangePicker';
import { ChartSkeleton, DashboardSkeleton, ErrorState, KpiGrid, Section } from './states';
import { useDateRange } from './useDateRange';

const MarginChart = lazy(() => import('./MarginChart'));
const pct = (n: number | null) => (n === null ? '—' : `${n.toFixed(1)} %`);

function useFinanceMetrics(range: { from: string; to: string; provider: string | null }) {
  const dataProvider = useDataProvider<CreditDeskDataProvider>();
  return useQuery({
    queryKey: ['finance_metrics', range.from, range.to, range.provider],
    queryFn: async () => dataProvider.financeMetrics(range),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

function ByModel({ m }: { m: FinanceMetrics }) {
  const notify = useNotify();
  return (
    <Section
      title="By provider and model"
      action={
        <Button
          size="small"
          startIcon={<DownloadIcon />}
          onClick={() =>
            downloadMarginCsv(m).catch((e: Error) =>
              notify(`CSV export failed: ${e.message}`, { type: 'error' }),
            )
          }
        >
          Export CSV
        </Button>
      }
    >
      <TableContainer>
        <Table size="small" aria-label="Margin by provider and model">
          <TableHead>
            <TableRow>
              <TableCell>Provider</TableCell>
              <TableCell>Model</TableCell>
              <TableCell align="right">Generations</TableCell>
              <TableCell align="right">Revenue</TableCell>
              <TableCell align="right">Cost</TableCell>
              <TableCell align="right">Margin</TableCell>
              <TableCell align="right">Margin %</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {m.by_model.map((r) => (
              <TableRow key={`${r.provider}/${r.model}`}>
                <TableCell>{r.provider || '—'}</TableCell>
                <TableCell>{r.model || '—'}</TableCell>
                <TableCell align="right">{formatInt(r.generations)}</TableCell>
                <TableCell align="right">{formatUsd(r.revenue_usd)}</TableCell>
                <TableCell align="right">{formatUsd(r.cost_usd)}</TableCell>
                <TableCell align="right">{formatUsd(r.margin_usd)}</TableCell>
                <TableCell align="right">{pct(r.margin_pct)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </Section>
  );
}

/** Finance and admin: what the credits earned against what the providers cost. */
export default function MarginPage() {
  const [range, setRange] = useDateRange();
  const {
    data: m,
    error,
    isPending,
    isFetching,
  } = useFinanceMetrics({
    from: range.from,
    to: range.to,
    provider: range.provider ?? null,
  });
  const providers = [...new Set(m?.by_model.map((r) => r.provider).filter(Boolean))];
  return (
    <Box sx={{ p: 2 }}>
      <Title title="Margin" />
      <RangePicker range={range} onChange={setRange} providers={providers} />
      <Box sx={{ height: 4, mb: 1 }}>
        {isFetching && !isPending && <LinearProgress aria-label="Refreshing" />}
      </Box>
      {error ? (
        <ErrorState error={error} />
      ) : isPending || !m ? (
        <DashboardSkeleton cards={6} />
      ) : (
        <>
          <KpiGrid>
            <Kpi
              title="Revenue recognised"
              value={formatUsd(m.totals.revenue_usd)}
              caption={`net of ${formatUsd(m.totals.refunds_usd)} refunded`}
            />
            <Kpi title="Provider cost" value={formatUsd(m.totals.provider_cost_usd)} />
            <Kpi
              title="Gross margin"
              value={formatUsd(m.totals.gross_margin_usd)}
              caption={pct(m.totals.margin_pct)}
            />
            <Kpi
              title="Cash in (purchases)"
              value={formatUsd(m.totals.cash_in_usd)}
              caption={`${formatInt(m.totals.credits_bought)} credits bought`}
            />
            <Kpi
              title="Deferred revenue"
              value={formatUsd(m.totals.deferred_revenue_usd)}
              caption={`paid credits unspent on ${m.to}`}
            />
            <Kpi
              title="Breakage"
              value={formatUsd(m.totals.breakage_usd)}
              caption="paid credits that expired"
            />
          </KpiGrid>
          <Section title="Revenue, cost and margin per day (USD, UTC days)">
            <Suspense fallback={<ChartSkeleton height={300} />}>
              <MarginChart daily={m.daily} />
            </Suspense>
          </Section>
          <ByModel m={m} />
        </>
      )}
    </Box>
  );
}

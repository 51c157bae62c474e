import { lazy, Suspense, useState } from 'react';
import {
  Box,
  Button,
  FormControl,
  InputLabel,
  MenuItem,
  Select,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
} from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import { useNotify } from 'react-admin';
import { Kpi } from './KpiCards';
import { formatDecimal, formatInt, formatUsd, formatUsdPrecise } from '@/components/format';
import { MetricsPage } from './MetricsPage';
import { unitEconomics, type StackedSeries } from './series';
import { useCostSeries } from './useDashboardMetrics';
import { downloadSpendCsv } from './spendCsv';
import { ChartSkeleton, ErrorState, KpiGrid, Section } from './states';
import type { DashboardMetrics } from '@/providers/rpcTypes';

const SpendChart = lazy(() => import('./SpendChart'));

function ExportButton({ series, filename }: { series: StackedSeries; filename: string }) {
  const notify = useNotify();
  const exportCsv = () =>
    downloadSpendCsv(series, filename).catch((e: Error) =>
      notify(`CSV export failed: ${e.message}`, { type: 'error' }),
    );
  return (
    <Button size="small" startIcon={<DownloadIcon />} onClick={exportCsv}>
      Export CSV
    </Button>
  );
}

function SpendByDay({ m }: { m: DashboardMetrics }) {
  const [drill, setDrill] = useState('');
  const { provider, providers, series, error } = useCostSeries(m, drill || null);
  const filename = `provider-spend_${m.from}_${m.to}${provider ? `_${provider}` : ''}`;
  return (
    <Section
      title={`Cost per day${provider ? ` of ${provider} by model` : ' by provider'} (USD, UTC days)`}
      action={
        <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
          {!m.provider && (
            <FormControl size="small" sx={{ minWidth: 180 }}>
              <InputLabel id="spend-breakdown-label">Breakdown</InputLabel>
              <Select
                labelId="spend-breakdown-label"
                label="Breakdown"
                value={drill}
                onChange={(e) => setDrill(e.target.value)}
              >
                <MenuItem value="">By provider</MenuItem>
                {providers.map((p) => (
                  <MenuItem key={p} value={p}>
                    {p} by model
                  </MenuItem>
                ))}
              </Select>
            </FormControl>
          )}
          {series && <ExportButton series={series} filename={filename} />}
        </Box>
      }
    >
      {series ? (
        <Suspense fallback={<ChartSkeleton height={300} />}>
          <SpendChart series={series} />
        </Suspense>
      ) : error ? (
        <ErrorState error={error} />
      ) : (
        <ChartSkeleton height={300} />
      )}
    </Section>
  );
}

function UnitEconomicsTable({ m }: { m: DashboardMetrics }) {
  return (
    <TableContainer>
      <Table size="small" aria-label="Spend by provider and model">
        <TableHead>
          <TableRow>
            <TableCell>Provider</TableCell>
            <TableCell>Model</TableCell>
            <TableCell align="right">Calls</TableCell>
            <TableCell align="right">Successful</TableCell>
            <TableCell align="right">Cost (USD)</TableCell>
            <TableCell align="right">Cost per success</TableCell>
            <TableCell align="right">Credits charged</TableCell>
            <TableCell align="right">Credits per USD</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {unitEconomics(m).map((r) => (
            <TableRow key={`${r.provider}/${r.model}`}>
              <TableCell>{r.provider}</TableCell>
              <TableCell>{r.model}</TableCell>
              <TableCell align="right">{formatInt(r.calls)}</TableCell>
              <TableCell align="right">{formatInt(r.successes)}</TableCell>
              <TableCell align="right">{formatUsd(r.cost_usd)}</TableCell>
              <TableCell align="right">{formatUsdPrecise(r.cost_per_success_usd)}</TableCell>
              <TableCell align="right">{formatInt(r.credits_charged)}</TableCell>
              <TableCell align="right">{formatDecimal(r.credits_per_usd)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

/** Finance: what the providers (WaveSpeed first among them) cost us, and what it earns. */
export default function SpendPage() {
  return (
    <MetricsPage
      title="Provider spend"
      skeletonCards={4}
      summary={(m) => (
        <KpiGrid>
          <Kpi
            title="Provider cost"
            value={formatUsd(m.cost_usd)}
            caption={`${formatInt(m.generations)} generations`}
          />
          <Kpi
            title="Cost per successful generation"
            value={formatUsdPrecise(m.cost_per_success_usd)}
            caption={`${formatInt(m.succeeded)} succeeded`}
          />
          <Kpi
            title="Credits earned per USD"
            value={formatDecimal(m.credits_per_usd)}
            caption={`${formatInt(m.credits_spent)} credits spent`}
          />
          <Kpi
            title="Refunds"
            value={formatInt(m.refunds)}
            caption={`${formatInt(m.refund_credits)} credits`}
          />
        </KpiGrid>
      )}
      details={(m) => (
        <>
          <SpendByDay m={m} />
          <Section title="By provider and model">
            <UnitEconomicsTable m={m} />
          </Section>
        </>
      )}
    />
  );
}

import { useMutation } from '@tanstack/react-query';
import { Alert, Box, Button, Chip, TableCell, TableRow, Typography } from '@mui/material';
import PlaylistPlayIcon from '@mui/icons-material/PlaylistPlay';
import { useDataProvider } from 'react-admin';
import type { CreditDeskDataProvider } from '@/providers/dataProvider';
import { CodeBox } from './CodeBox';
import { DataTable } from './DataTable';
import { formatInt } from '@/components/format';
import type { LegacyImportReport } from '@/providers/rpcTypes';

// A dry run only: the import writes thousands of rows and its report deserves a review
// first, so the write itself stays a deliberate command (npm run import:legacy).
function Report({ r }: { r: LegacyImportReport }) {
  return (
    <>
      <Typography variant="body2" sx={{ mt: 2 }}>
        Would import {formatInt(r.totals.imported)} rows ({formatInt(r.totals.present)} already
        present, {formatInt(r.totals.skipped)} skipped, {formatInt(r.totals.warnings)} warnings) and
        open the ledger of {formatInt(r.ledger.customers)} customers with{' '}
        {formatInt(r.ledger.opening_balances)} opening balances.
      </Typography>
      {r.sources.length > 0 && (
        <DataTable
          label="Legacy import by source"
          columns={[
            { label: 'Source' },
            { label: 'Into' },
            { label: 'Rows', numeric: true },
            { label: 'Imported', numeric: true },
            { label: 'Present', numeric: true },
            { label: 'Skipped', numeric: true },
            { label: 'Warnings', numeric: true },
          ]}
        >
          {r.sources.map((s) => (
            <TableRow key={`${s.source}:${s.target}`}>
              <TableCell sx={{ fontFamily: 'monospace' }}>{s.source}</TableCell>
              <TableCell>{s.target}</TableCell>
              <TableCell align="right">{formatInt(s.rows)}</TableCell>
              <TableCell align="right">{formatInt(s.imported)}</TableCell>
              <TableCell align="right">{formatInt(s.present)}</TableCell>
              <TableCell align="right">{formatInt(s.skipped)}</TableCell>
              <TableCell align="right">{formatInt(s.warnings)}</TableCell>
            </TableRow>
          ))}
        </DataTable>
      )}
      {r.issues.length > 0 && (
        <Box sx={{ mt: 2 }}>
          <Typography variant="subtitle2" component="h3">
            Rows skipped or changed ({formatInt(r.issues_total)})
          </Typography>
          <Box component="ul" sx={{ pl: 2, m: 0, maxHeight: 280, overflow: 'auto' }}>
            {r.issues.map((i, n) => (
              <li key={n}>
                <Chip
                  size="small"
                  label={i.outcome}
                  color={i.outcome === 'skipped' ? 'warning' : 'default'}
                  sx={{ mr: 1 }}
                />
                <code>{i.source}</code> {i.id ?? '(no id)'}: {i.reason}
              </li>
            ))}
          </Box>
        </Box>
      )}
      {r.missing_sources.length > 0 && (
        <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 1 }}>
          Not found (nothing to import): {r.missing_sources.join(', ')}
        </Typography>
      )}
    </>
  );
}

export function LegacyImportSection() {
  const dataProvider = useDataProvider<CreditDeskDataProvider>();
  // Only the dry run is offered in the UI; the import itself is `npm run import:legacy`.
  const dryRun = useMutation({ mutationFn: () => dataProvider.importLegacy({ dryRun: true }) });
  return (
    <>
      <Typography variant="body2" color="text.secondary">
        Reads the old tables from schema <code>legacy</code> (and non-colliding ones such as
        feedbacks or MEGA_* from public) and shows what an import would bring into CreditDesk.
        Nothing is written.
      </Typography>
      <Button
        variant="outlined"
        sx={{ mt: 1 }}
        startIcon={<PlaylistPlayIcon />}
        onClick={() => dryRun.mutate()}
        disabled={dryRun.isPending}
      >
        {dryRun.isPending ? 'Running dry run…' : 'Dry run legacy import'}
      </Button>
      {dryRun.error && (
        <Alert severity="error" sx={{ mt: 2 }}>
          {dryRun.error.message}
        </Alert>
      )}
      {dryRun.data && <Report r={dryRun.data} />}
      {dryRun.data && dryRun.data.totals.imported > 0 && (
        <CodeBox label="Run the import" code="npm run import:legacy" />
      )}
    </>
  );
}

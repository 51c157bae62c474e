import { useRef, useState } from 'react';
import {
  Button,
  downloadCSV,
  useDataProvider,
  useListContext,
  useNotify,
  type RaRecord,
} from 'react-admin';
import {
  Button as MuiButton,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  LinearProgress,
  Typography,
} from '@mui/material';
import DownloadIcon from '@mui/icons-material/GetApp';
import type { EstimatedTotalMeta } from '@/providers/listCounts';
import { fetchPeople, headersOf, toCsv, toRows } from './csvExport';
import { exportColumns } from './exportColumns';
import { formatInt } from './format';
import { useNotifyServerError } from './useNotifyServerError';

// PostgREST answers at most 1,000 rows a request (max_rows, as on hosted Supabase).
const PAGE = 1000;
/** Beyond this a CSV is no longer something a browser tab should build; filters narrow it. */
export const EXPORT_LIMIT = 100_000;

/**
 * Export of every row the list's filters select, page after page, with progress; people are
 * named, cells are spreadsheet-safe (csvExport.ts). At EXPORT_LIMIT it stops and says so.
 */
export function ExportAllButton() {
  const { resource, filter, filterValues, sort, total, meta } = useListContext();
  const dataProvider = useDataProvider();
  const notify = useNotify();
  const notifyError = useNotifyServerError();
  const [progress, setProgress] = useState<{ done: number; of?: number } | null>(null);
  const cancelled = useRef(false);
  const expected = total ?? (meta as EstimatedTotalMeta | undefined)?.estimatedTotal;

  async function run() {
    const columns = exportColumns[resource];
    if (!columns) return;
    cancelled.current = false;
    setProgress({ done: 0, of: expected });
    try {
      const records: RaRecord[] = [];
      let more = true;
      for (let page = 1; more && records.length < EXPORT_LIMIT; page++) {
        const { data } = await dataProvider.getList(resource, {
          sort,
          filter: filter ? { ...filterValues, ...filter } : filterValues,
          pagination: { page, perPage: PAGE },
        });
        if (cancelled.current) return;
        records.push(...data);
        more = data.length === PAGE;
        setProgress({ done: records.length, of: expected });
      }
      const people = await fetchPeople(dataProvider, records, columns);
      if (cancelled.current) return;
      const csv = await toCsv(toRows(records, columns, people), headersOf(columns));
      downloadCSV(csv, `${resource}-${new Date().toISOString().slice(0, 10)}`);
      if (more) {
        const message =
          `Exported the first ${formatInt(records.length)} rows: an export stops at ` +
          `${formatInt(EXPORT_LIMIT)}. Narrow the list (e.g. by date) to export the rest.`;
        notify(message, { type: 'warning', messageArgs: { _: message }, autoHideDuration: null });
      } else {
        const message = `Exported ${formatInt(records.length)} rows.`;
        notify(message, { type: 'success', messageArgs: { _: message } });
      }
    } catch (error) {
      notifyError(error);
    } finally {
      setProgress(null);
    }
  }

  const percent =
    progress?.of && progress.of > 0 ? Math.min(100, (progress.done / progress.of) * 100) : null;
  return (
    <>
      <Button
        label="Export"
        onClick={run}
        disabled={total === 0 || progress !== null || !exportColumns[resource]}
      >
        <DownloadIcon />
      </Button>
      <Dialog open={progress !== null} aria-labelledby="export-progress-title">
        <DialogTitle id="export-progress-title">
          Exporting {resource.replace(/_/g, ' ')}
        </DialogTitle>
        <DialogContent sx={{ minWidth: 320 }}>
          <LinearProgress
            variant={percent === null ? 'indeterminate' : 'determinate'}
            value={percent ?? undefined}
            aria-label="Export progress"
          />
          <Typography variant="body2" sx={{ mt: 1 }} role="status">
            {formatInt(progress?.done ?? 0)} rows
            {progress?.of ? ` of ${total == null ? 'about ' : ''}${formatInt(progress.of)}` : ''}
          </Typography>
        </DialogContent>
        <DialogActions>
          <MuiButton
            onClick={() => {
              cancelled.current = true;
              setProgress(null);
            }}
          >
            Cancel
          </MuiButton>
        </DialogActions>
      </Dialog>
    </>
  );
}

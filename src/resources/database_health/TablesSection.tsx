import { useMemo, useState } from 'react';
import {
  Box,
  Chip,
  FormControlLabel,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@mui/material';
import { FLAG_LABELS } from './flags';
import { formatInt } from '@/components/format';
import { formatWhen } from './format';
import type { HealthTable } from '@/providers/rpcTypes';

const CATEGORY = {
  legacy: { label: 'Legacy', color: 'warning' },
  unknown: { label: 'Other', color: 'info' },
  creditdesk: { label: 'CreditDesk', color: 'success' },
} as const;
const ORDER = { legacy: 0, unknown: 1, creditdesk: 2 };

// What needs attention first: legacy clutter, then tables nobody here owns, then ours.
const byAttention = (a: HealthTable, b: HealthTable) =>
  ORDER[a.category] - ORDER[b.category] ||
  b.flags.length - a.flags.length ||
  a.name.localeCompare(b.name);

const needsAttention = (t: HealthTable) =>
  t.flags.some((f) => f !== 'unused_indexes' && f !== 'empty') || t.category !== 'creditdesk';

// Exact for small tables, the planner's estimate (marked ~) for big ones.
const rowCount = (t: HealthTable) =>
  t.exact_rows != null ? formatInt(t.exact_rows) : `~${formatInt(t.estimated_rows)}`;

export function TablesSection({
  tables,
  statsSince,
}: {
  tables: HealthTable[];
  statsSince: string | null;
}) {
  const [problemsOnly, setProblemsOnly] = useState(false);
  const shown = useMemo(
    () => [...tables].filter((t) => !problemsOnly || needsAttention(t)).sort(byAttention),
    [tables, problemsOnly],
  );
  return (
    <>
      <Box
        sx={{
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'space-between',
          flexWrap: 'wrap',
        }}
      >
        <Typography variant="body2" color="text.secondary">
          Activity and index use are counted since the statistics were last reset (
          {formatWhen(statsSince)}).
        </Typography>
        <FormControlLabel
          control={
            <Switch checked={problemsOnly} onChange={(e) => setProblemsOnly(e.target.checked)} />
          }
          label="Only tables that need attention"
        />
      </Box>
      <TableContainer>
        <Table size="small" aria-label="Tables in schema public">
          <TableHead>
            <TableRow>
              <TableCell>Table</TableCell>
              <TableCell>Owner</TableCell>
              <TableCell align="right">Rows</TableCell>
              <TableCell align="right">Size</TableCell>
              <TableCell>Last write</TableCell>
              <TableCell>Last vacuum / analyze</TableCell>
              <TableCell>RLS</TableCell>
              <TableCell>Flags</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {shown.map((t) => (
              <TableRow key={t.name} hover>
                <TableCell>
                  <Typography variant="body2" sx={{ fontFamily: 'monospace' }}>
                    {t.name}
                  </Typography>
                  {t.reason && (
                    <Typography
                      variant="caption"
                      color="text.secondary"
                      component="div"
                      sx={{ maxWidth: 420 }}
                    >
                      {t.reason}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  <Chip size="small" variant="outlined" {...CATEGORY[t.category]} />
                </TableCell>
                <TableCell align="right">{rowCount(t)}</TableCell>
                <TableCell align="right">{t.total_size}</TableCell>
                <TableCell>{formatWhen(t.last_write)}</TableCell>
                <TableCell>
                  {formatWhen(t.last_vacuum)} / {formatWhen(t.last_analyze)}
                </TableCell>
                <TableCell>
                  {t.rls_enabled
                    ? `on, ${t.policy_count} ${t.policy_count === 1 ? 'policy' : 'policies'}`
                    : 'off'}
                </TableCell>
                <TableCell>
                  <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
                    {t.flags.map((f) => (
                      <Tooltip
                        key={f}
                        title={
                          f === 'unused_indexes'
                            ? `${FLAG_LABELS[f].help}: ${t.unused_indexes.map((i) => i.name).join(', ')}`
                            : FLAG_LABELS[f].help
                        }
                      >
                        <Chip
                          size="small"
                          label={FLAG_LABELS[f].label}
                          color={FLAG_LABELS[f].color}
                        />
                      </Tooltip>
                    ))}
                  </Box>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </>
  );
}

import {
  alpha,
  Box,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { diffRows, formatAuditValue, readChanges } from './auditChanges';

function Value({ value, kind }: { value: unknown; kind: 'before' | 'after' }) {
  return (
    <Box
      component="pre"
      data-diff={kind}
      sx={{
        m: 0,
        px: 1,
        py: 0.5,
        borderRadius: 1,
        whiteSpace: 'pre-wrap',
        wordBreak: 'break-word',
        fontFamily: 'monospace',
        fontSize: '0.8125rem',
        // Tinted rather than filled so the text stays readable in light and dark themes.
        bgcolor: (theme) =>
          alpha(kind === 'before' ? theme.palette.error.main : theme.palette.success.main, 0.12),
        color: value === undefined || value === null ? 'text.secondary' : 'text.primary',
      }}
    >
      {formatAuditValue(value)}
    </Box>
  );
}

// The before/after of an audit row's details.changes, one line per changed field.
export function AuditChanges({ details }: { details: unknown }) {
  const rows = diffRows(readChanges(details));
  if (rows.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        No field changes recorded.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Changes">
      <TableHead>
        <TableRow>
          <TableCell>Field</TableCell>
          <TableCell>Before</TableCell>
          <TableCell>After</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.path}>
            <TableCell sx={{ fontFamily: 'monospace', verticalAlign: 'top' }}>{row.path}</TableCell>
            <TableCell sx={{ verticalAlign: 'top' }}>
              <Value value={row.before} kind="before" />
            </TableCell>
            <TableCell sx={{ verticalAlign: 'top' }}>
              <Value value={row.after} kind="after" />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

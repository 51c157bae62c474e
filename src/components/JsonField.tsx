import { Box } from '@mui/material';
import { useRecordContext } from 'react-admin';

/** Read-only JSON (meta columns), indented; long values scroll instead of widening the page. */
export function JsonField({ source }: { source: string; label?: string }) {
  const value = useRecordContext()?.[source];
  const empty =
    value == null || (typeof value === 'object' && Object.keys(value as object).length === 0);
  if (empty) return <span>—</span>;
  return (
    <Box
      component="pre"
      sx={{
        m: 0,
        p: 1,
        maxHeight: 320,
        overflow: 'auto',
        fontSize: 12,
        bgcolor: 'action.hover',
        borderRadius: 1,
      }}
    >
      {JSON.stringify(value, null, 2)}
    </Box>
  );
}

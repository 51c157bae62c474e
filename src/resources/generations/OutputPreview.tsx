import { Box, Typography } from '@mui/material';
import { useRecordContext } from 'react-admin';

// Output preview by content type. The URL comes from the provider; media elements only
// display it (no HTML is injected), and text is shown as text.
export function OutputPreview() {
  const record = useRecordContext();
  if (!record) return null;
  const type = String(record.content_type ?? '');
  const url = record.output_url as string | null;
  const meta = (record.meta ?? {}) as Record<string, unknown>;
  const text = typeof meta.output_text === 'string' ? meta.output_text : null;
  if (url && type.startsWith('image/')) {
    return (
      <Box
        component="img"
        src={url}
        alt="Generated output"
        sx={{ maxWidth: '100%', maxHeight: 480, borderRadius: 1 }}
      />
    );
  }
  if (url && type.startsWith('video/')) {
    return (
      <Box
        component="video"
        src={url}
        controls
        aria-label="Generated video"
        sx={{ maxWidth: '100%', maxHeight: 480 }}
      />
    );
  }
  if (text) {
    return (
      <Typography component="pre" sx={{ whiteSpace: 'pre-wrap', m: 0 }}>
        {text}
      </Typography>
    );
  }
  if (url) {
    return (
      <a href={url} target="_blank" rel="noopener noreferrer">
        Open output ({type || 'unknown type'})
      </a>
    );
  }
  return <Typography color="text.secondary">No output.</Typography>;
}

import { useEffect, useState } from 'react';
import { Box, Button, Typography } from '@mui/material';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import { useNotify } from 'react-admin';

/** Read-only text to copy (a shell command, SQL to review); never run from here. */
export function CodeBox({ label, code }: { label: string; code: string }) {
  const notify = useNotify();
  const [copied, setCopied] = useState(false);
  // "Copied" goes back to "Copy" after a moment; the timer goes with the component, so a page
  // left within those two seconds sets no state on an unmounted box.
  useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(false), 2000);
    return () => window.clearTimeout(timer);
  }, [copied]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setCopied(true);
    } catch {
      notify('The browser refused the clipboard; select the text and copy it by hand.', {
        type: 'warning',
      });
    }
  };
  return (
    <Box sx={{ mt: 2 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', mb: 0.5 }}>
        <Typography variant="subtitle2" component="h3">
          {label}
        </Typography>
        <Button
          size="small"
          startIcon={<ContentCopyIcon />}
          onClick={copy}
          aria-label={`Copy ${label}`}
        >
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </Box>
      <Box
        component="pre"
        aria-label={label}
        tabIndex={0}
        sx={{
          m: 0,
          p: 1.5,
          maxHeight: 360,
          overflow: 'auto',
          bgcolor: 'action.hover',
          borderRadius: 1,
          fontFamily: 'monospace',
          fontSize: 13,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-word',
        }}
      >
        {code}
      </Box>
    </Box>
  );
}

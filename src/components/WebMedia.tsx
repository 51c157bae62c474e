import { useState, type ReactNode } from 'react';
import { Box, Link, Typography } from '@mui/material';

/** A link out of the app to an address webUrl() accepted: new tab, no opener, no referrer. */
export function ExternalLink({ url, children }: { url: string; children: ReactNode }) {
  return (
    <Link href={url} target="_blank" rel="noopener noreferrer">
      {children}
    </Link>
  );
}

/** An image or a video from an address webUrl() accepted; a link instead if it will not load. */
export function WebMedia(props: {
  kind: 'image' | 'video';
  url: string;
  label: string;
  maxHeight: number;
}) {
  const { kind, url, label, maxHeight } = props;
  // Keyed by URL, so a record with another address tries again.
  const [failed, setFailed] = useState<string | null>(null);
  if (failed === url)
    return (
      <Typography>
        The {kind} could not be loaded here.{' '}
        <ExternalLink url={url}>Open it in a new tab</ExternalLink>
      </Typography>
    );
  const onError = () => setFailed(url);
  return kind === 'image' ? (
    <Box
      component="img"
      src={url}
      alt={label}
      referrerPolicy="no-referrer"
      onError={onError}
      sx={{ maxWidth: '100%', maxHeight, borderRadius: 1 }}
    />
  ) : (
    <Box
      component="video"
      src={url}
      controls
      preload="metadata"
      aria-label={label}
      onError={onError}
      sx={{ maxWidth: '100%', maxHeight }}
    />
  );
}

/** What is shown instead of a URL from data that is not an http(s) address. */
export function NotWebAddress({ what, value }: { what: string; value: unknown }) {
  const text = String(value);
  return (
    <Typography color="text.secondary" role="note">
      {what} is not a web address (http or https), so it is not opened here:{' '}
      <Box component="code" sx={{ wordBreak: 'break-all' }}>
        {text.length > 120 ? `${text.slice(0, 120)}…` : text}
      </Box>
    </Typography>
  );
}

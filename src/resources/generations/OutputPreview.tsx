import { Box, Stack, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useRecordContext } from 'react-admin';
import { mediaKind, webUrl } from '@/components/webUrl';
import { ExternalLink, NotWebAddress, WebMedia } from '@/components/WebMedia';

/** Enough for any prompt answer; a larger file is cut here and opened in full in a new tab. */
const MAX_TEXT_BYTES = 256 * 1024;

/**
 * The text behind an output URL, fetched as anonymous data: no cookies, no referrer, read only
 * if the provider's server allows this origin (CORS) and calls it text, at most MAX_TEXT_BYTES.
 * It is shown as a text node, never as HTML.
 */
async function fetchText(url: string, signal: AbortSignal) {
  const res = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer', signal });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const type = res.headers.get('content-type') ?? '';
  if (type && !/^(text\/|application\/(json|x-ndjson)\b)/i.test(type))
    throw new Error(`not text: ${type}`);
  const reader = res.body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < MAX_TEXT_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  const truncated = size >= MAX_TEXT_BYTES;
  if (truncated) await reader.cancel();
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) bytes.set(c, (at += c.length) - c.length);
  const text = new TextDecoder().decode(bytes.subarray(0, MAX_TEXT_BYTES));
  return { text, truncated };
}

const Text = ({ children }: { children: string }) => (
  <Typography
    component="pre"
    sx={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', m: 0, maxHeight: 480, overflow: 'auto' }}
  >
    {children}
  </Typography>
);

function TextOutput({ url }: { url: string }) {
  const { data, isPending, isError } = useQuery({
    queryKey: ['generation-output-text', url],
    queryFn: ({ signal }) => fetchText(url, signal),
    retry: false,
    staleTime: Infinity,
  });
  if (isPending) return <Typography color="text.secondary">Loading the text…</Typography>;
  if (isError)
    return (
      <Typography>
        The text cannot be shown here (its server does not let this app read it, or it is not text).{' '}
        <ExternalLink url={url}>Open the output in a new tab</ExternalLink>
      </Typography>
    );
  return (
    <Stack spacing={1}>
      <Text>{data.text}</Text>
      {data.truncated && (
        <Typography variant="body2" color="text.secondary">
          Only the first {MAX_TEXT_BYTES / 1024} KiB are shown.{' '}
          <ExternalLink url={url}>Open the whole output</ExternalLink>
        </Typography>
      )}
    </Stack>
  );
}

/**
 * The output by content type (`image` / `video` / `text`, or a MIME type): media and text
 * inline, anything else as a link. The URL comes from the provider, so only http(s) is used.
 */
export function OutputPreview() {
  const record = useRecordContext();
  if (!record) return null;
  const type = String(record.content_type ?? '');
  const raw = record.output_url as unknown;
  const url = webUrl(raw);
  const kind = mediaKind(type);
  const meta = (record.meta ?? {}) as Record<string, unknown>;
  const inlineText = typeof meta.output_text === 'string' ? meta.output_text : null;
  if (inlineText) return <Text>{inlineText}</Text>;
  if (raw && !url) return <NotWebAddress what="The output address" value={raw} />;
  if (!url) return <Typography color="text.secondary">No output.</Typography>;
  const open = <ExternalLink url={url}>Open output ({type || 'unknown type'})</ExternalLink>;
  if (kind === 'image' || kind === 'video')
    return (
      <Stack spacing={1} sx={{ alignItems: 'flex-start' }}>
        <WebMedia
          kind={kind}
          url={url}
          label={kind === 'image' ? 'Generated output' : 'Generated video'}
          maxHeight={480}
        />
        <Box>{open}</Box>
      </Stack>
    );
  if (kind === 'text') return <TextOutput url={url} />;
  return open;
}

import { Box, Stack, Typography } from '@mui/material';
import { useRecordContext } from 'react-admin';

/** The screenshot or clip the customer attached. */
export function FeedbackMedia() {
  const record = useRecordContext();
  const image = record?.image_url as string | null | undefined;
  const video = record?.video_url as string | null | undefined;
  if (!image && !video) return <Typography color="text.secondary">No media attached.</Typography>;
  return (
    <Stack spacing={2}>
      {image && (
        <Box
          component="img"
          src={image}
          alt="Feedback attachment"
          sx={{ maxWidth: '100%', maxHeight: 420, borderRadius: 1 }}
        />
      )}
      {video && (
        <Box
          component="video"
          src={video}
          controls
          aria-label="Feedback video"
          sx={{ maxWidth: '100%', maxHeight: 420 }}
        />
      )}
    </Stack>
  );
}

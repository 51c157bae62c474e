import { Stack, Typography } from '@mui/material';
import { useRecordContext } from 'react-admin';
import { webUrl } from '@/components/webUrl';
import { NotWebAddress, WebMedia } from '@/components/WebMedia';

/** The screenshot or clip the customer attached: the customer chose these URLs. */
export function FeedbackMedia() {
  const record = useRecordContext();
  const image = record?.image_url as unknown;
  const video = record?.video_url as unknown;
  if (!image && !video) return <Typography color="text.secondary">No media attached.</Typography>;
  const imageUrl = webUrl(image);
  const videoUrl = webUrl(video);
  return (
    <Stack spacing={2}>
      {image ? (
        imageUrl ? (
          <WebMedia kind="image" url={imageUrl} label="Feedback attachment" maxHeight={420} />
        ) : (
          <NotWebAddress what="The attached image" value={image} />
        )
      ) : null}
      {video ? (
        videoUrl ? (
          <WebMedia kind="video" url={videoUrl} label="Feedback video" maxHeight={420} />
        ) : (
          <NotWebAddress what="The attached video" value={video} />
        )
      ) : null}
    </Stack>
  );
}

import type { ReactElement } from 'react';
import { Labeled, Show, TextField, TopToolbar, useRecordContext, NumberField } from 'react-admin';
import { Alert, Card, CardContent, Grid, Typography } from '@mui/material';
import { CustomerField } from '@/components/CustomerField';
import { DateField } from '@/components/DateField';
import { CreditsField, MoneyField } from '@/components/NumberFields';
import { JsonField } from '@/components/JsonField';
import { OutputPreview } from './OutputPreview';
import { RefundButton } from './RefundButton';
import { StatusChip } from './StatusChip';

function ErrorBox() {
  const record = useRecordContext();
  if (!record?.error) return null;
  return (
    <Alert severity="error" sx={{ mb: 2 }}>
      {String(record.error)}
    </Alert>
  );
}

// Times take a whole row: absolute and relative side by side need more than half the column.
const facts: [string, ReactElement, number?][] = [
  ['Status', <StatusChip key="s" source="status" />],
  ['Customer', <CustomerField key="c" source="customer_id" />, 12],
  ['Type', <TextField key="t" source="type" />],
  ['Provider', <TextField key="p" source="provider" />],
  ['Model', <TextField key="m" source="model" />],
  ['Credits charged', <CreditsField key="cr" source="credits_charged" />],
  ['Provider cost', <MoneyField key="cost" source="cost_usd" />],
  ['Latency (ms)', <NumberField key="l" source="latency_ms" />],
  ['Input tokens', <NumberField key="it" source="input_tokens" />],
  ['Output tokens', <NumberField key="ot" source="output_tokens" />],
  ['Input chars', <NumberField key="ic" source="input_chars" />],
  ['Output chars', <NumberField key="oc" source="output_chars" />],
  ['Created', <DateField key="cat" source="created_at" />, 12],
  ['Completed', <DateField key="cpl" source="completed_at" />, 12],
  ['Refunded', <DateField key="r" source="refunded_at" />, 12],
  ['Platform', <TextField key="pl" source="platform" />],
  ['Client', <TextField key="cv" source="client_version" />],
  ['Device', <TextField key="d" source="device" />],
];

export function GenerationShow() {
  return (
    <Show
      actions={
        <TopToolbar>
          <RefundButton />
        </TopToolbar>
      }
    >
      <CardContent>
        <ErrorBox />
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, md: 7 }}>
            <Card variant="outlined" sx={{ mb: 2 }}>
              <CardContent>
                <Typography variant="overline">Prompt</Typography>
                <TextField source="prompt" component="pre" sx={{ whiteSpace: 'pre-wrap', m: 0 }} />
              </CardContent>
            </Card>
            <Card variant="outlined">
              <CardContent>
                <Typography variant="overline">Output</Typography>
                <OutputPreview />
              </CardContent>
            </Card>
          </Grid>
          <Grid size={{ xs: 12, md: 5 }} container spacing={1} sx={{ alignContent: 'flex-start' }}>
            {facts.map(([label, field, size = 6]) => (
              <Grid key={label} size={size}>
                <Labeled label={label}>{field}</Labeled>
              </Grid>
            ))}
            <Grid size={12}>
              <Labeled label="Meta">
                <JsonField source="meta" />
              </Labeled>
            </Grid>
          </Grid>
        </Grid>
      </CardContent>
    </Show>
  );
}

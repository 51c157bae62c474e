import { Box, Typography } from '@mui/material';
import {
  FunctionField,
  Labeled,
  Show,
  SimpleShowLayout,
  TextField,
  useRecordContext,
} from 'react-admin';
import { DateField } from '@/components/DateField';
import type { Tables } from '@/types/database';
import { AuditChanges } from './AuditChanges';
import { AuditRecordLink } from './AuditRecordLink';

type AuditRow = Tables<'admin_audit'>;

type Details = Record<string, unknown>;

// Credit actions carry their own facts beside the field changes (the signed delta, the
// reason a person typed, the ledger row); they are what support is asked about.
const NAMED_DETAILS = ['reason', 'delta', 'type', 'transaction_id', 'ref_type', 'ref_id'];

function detailsOf(record: AuditRow | undefined): Details {
  const details = record?.details;
  return details && typeof details === 'object' && !Array.isArray(details)
    ? (details as Details)
    : {};
}

function CreditFacts() {
  const details = detailsOf(useRecordContext<AuditRow>());
  const present = NAMED_DETAILS.filter(
    (key) => details[key] !== undefined && details[key] !== null,
  );
  if (present.length === 0) return null;
  return (
    <Box sx={{ display: 'flex', gap: 4, flexWrap: 'wrap' }}>
      {present.map((key) => (
        <Labeled key={key} label={key === 'ref_id' ? 'Reference' : key.replace('_', ' ')}>
          <Typography variant="body2">
            {key === 'delta' && typeof details.delta === 'number' && details.delta > 0
              ? `+${details.delta}`
              : String(details[key])}
          </Typography>
        </Labeled>
      ))}
    </Box>
  );
}

function OtherDetails() {
  const details = detailsOf(useRecordContext<AuditRow>());
  const rest = Object.fromEntries(
    Object.entries(details).filter(([key]) => key !== 'changes' && !NAMED_DETAILS.includes(key)),
  );
  if (Object.keys(rest).length === 0) return null;
  return (
    <Labeled label="Other details">
      <Box component="pre" sx={{ m: 0, fontFamily: 'monospace', whiteSpace: 'pre-wrap' }}>
        {JSON.stringify(rest, null, 2)}
      </Box>
    </Labeled>
  );
}

export function AuditShow() {
  return (
    <Show>
      <SimpleShowLayout>
        <DateField source="at" label="When" />
        <TextField source="actor_email" label="Who" emptyText="system" />
        <TextField source="action" />
        <TextField source="table_name" label="Table" emptyText="—" />
        <Labeled label="Record">
          <AuditRecordLink />
        </Labeled>
        <TextField source="status" />
        <CreditFacts />
        <FunctionField<AuditRow>
          label="Changes"
          render={(record) => <AuditChanges details={record.details} />}
        />
        <OtherDetails />
        <TextField source="method" emptyText="—" />
        <TextField source="route" emptyText="—" />
        <TextField source="ip" label="IP" emptyText="—" />
        <TextField source="user_agent" label="User agent" emptyText="—" />
      </SimpleShowLayout>
    </Show>
  );
}

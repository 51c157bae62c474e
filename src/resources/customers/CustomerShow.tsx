import {
  BooleanField,
  EditButton,
  Labeled,
  Show,
  TabbedShowLayout,
  TextField,
  TopToolbar,
  useRecordContext,
  ReferenceField,
} from 'react-admin';
import { Alert, Box, Card, CardContent, Stack, Typography } from '@mui/material';
import { DateField } from '@/components/DateField';
import { CreditsField, MoneyField } from '@/components/NumberFields';
import { formatInt } from '@/components/format';
import { JsonField } from '@/components/JsonField';
import { useCanWrite } from '@/layout/permissions';
import { AdjustCreditsButton } from './AdjustCreditsDialog';
import { BalanceSplitLine, CreditBlocksPanel } from './CreditBlocksPanel';
import { GrantCreditsButton } from './GrantCreditsDialog';
import { DisableCustomerButton } from './DisableCustomerButton';
import { customerName } from './customerName';
import { RelatedList } from './RelatedList';

function Actions() {
  const canWrite = useCanWrite();
  if (!canWrite) return <TopToolbar />;
  return (
    <TopToolbar>
      <AdjustCreditsButton />
      <GrantCreditsButton />
      <DisableCustomerButton />
      <EditButton />
    </TopToolbar>
  );
}

function Summary() {
  const record = useRecordContext();
  if (!record) return null;
  return (
    <Card variant="outlined" sx={{ mb: 2 }}>
      <CardContent>
        <Stack
          direction={{ xs: 'column', md: 'row' }}
          spacing={3}
          sx={{ alignItems: { md: 'center' } }}
        >
          <Box sx={{ flex: 1 }}>
            <Typography variant="h6">{customerName(record)}</Typography>
            <Typography variant="body2" color="text.secondary">
              Pass ID {String(record.id)}
              {record.shopify_customer_id ? ` · Shopify ${record.shopify_customer_id}` : ''}
            </Typography>
          </Box>
          <Box>
            <Typography variant="overline">Balance</Typography>
            <Typography variant="h4" data-testid="customer-balance">
              {formatInt(Number(record.credits))}
            </Typography>
            <BalanceSplitLine />
          </Box>
          <Labeled label="Last active">
            <DateField source="last_active" />
          </Labeled>
        </Stack>
        {record.disabled && (
          <Alert severity="warning" sx={{ mt: 2 }}>
            This account is disabled{record.disabled_reason ? `: ${record.disabled_reason}` : '.'}
          </Alert>
        )}
      </CardContent>
    </Card>
  );
}

export function CustomerShow() {
  return (
    <Show actions={<Actions />} title={<ShowTitle />}>
      <Box sx={{ p: 2, pb: 0 }}>
        <Summary />
      </Box>
      <TabbedShowLayout>
        <TabbedShowLayout.Tab label="Profile">
          <TextField source="email" />
          <TextField source="first_name" />
          <TextField source="last_name" />
          <TextField source="locale" />
          <TextField source="timezone" />
          <BooleanField source="verified_email" />
          <BooleanField source="verified_google" />
          <BooleanField source="verified_apple" />
          <TextField source="verification_method" />
          <BooleanField source="marketing_opt_in" />
          <BooleanField source="product_updates_opt_in" />
          <BooleanField source="auto_topup_enabled" />
          <TextField source="topup_default_packs" />
          <TextField source="auto_topup_monthly_limit_packs" />
          <DateField source="last_topup_at" />
          <TextField source="source_system" />
          <DateField source="created_at" />
          <JsonField source="meta" />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="Credit blocks" path="blocks">
          <CreditBlocksPanel />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="Ledger" path="ledger">
          <RelatedList reference="credit_transactions" sortField="id">
            <DateField source="created_at" label="When" />
            <TextField source="type" />
            <CreditsField source="delta" signed />
            <CreditsField source="balance_after" />
            <TextField source="reason" />
            <TextField source="source" />
          </RelatedList>
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="Generations" path="generations">
          <RelatedList reference="generations" rowClick="show">
            <DateField source="created_at" label="When" />
            <TextField source="type" />
            <TextField source="model" />
            <TextField source="status" />
            <CreditsField source="credits_charged" label="Credits" />
            <MoneyField source="cost_usd" label="Cost" />
          </RelatedList>
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="Sessions" path="sessions">
          <RelatedList reference="sessions">
            <DateField source="created_at" label="Started" />
            <TextField source="title" />
            <TextField source="platform" />
          </RelatedList>
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="Feedback" path="feedback">
          <RelatedList reference="feedback" rowClick="show">
            <DateField source="created_at" label="When" />
            <TextField source="result_type" />
            <TextField source="status" />
            <TextField source="comment" />
            <ReferenceField source="generation_id" reference="generations" link="show" />
          </RelatedList>
        </TabbedShowLayout.Tab>
      </TabbedShowLayout>
    </Show>
  );
}

function ShowTitle() {
  const record = useRecordContext();
  return <span>Customer {record ? customerName(record) : ''}</span>;
}

import type { ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Skeleton,
  Typography,
} from '@mui/material';
import RefreshIcon from '@mui/icons-material/Refresh';
import { Title, useDataProvider } from 'react-admin';
import { useRole } from '@/layout/permissions';
import type { CreditDeskDataProvider } from '@/providers/dataProvider';
import { AdvisorSection } from './AdvisorSection';
import { CodeBox } from './CodeBox';
import { IntegritySection } from './IntegritySection';
import { LegacyImportSection } from './LegacyImportSection';
import { TablesSection } from './TablesSection';
import { formatWhen } from '@/components/dates';
import type { DatabaseHealth } from '@/providers/rpcTypes';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card variant="outlined" component="section" aria-label={title} sx={{ mt: 2 }}>
      <CardContent>
        <Typography variant="h6" component="h2" gutterBottom>
          {title}
        </Typography>
        {children}
      </CardContent>
    </Card>
  );
}

function Summary({ h }: { h: DatabaseHealth }) {
  const s = h.summary;
  const bytes = new Intl.NumberFormat(undefined, {
    style: 'unit',
    unit: 'megabyte',
    maximumFractionDigits: 1,
  });
  return (
    <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
      <Chip label={`${s.tables} tables`} />
      <Chip label={`${s.creditdesk_tables} CreditDesk`} color="success" variant="outlined" />
      <Chip
        label={`${s.flagged_legacy} legacy or duplicate`}
        color={s.flagged_legacy ? 'warning' : 'default'}
      />
      <Chip
        label={`${s.unknown} other`}
        color={s.unknown ? 'info' : 'default'}
        variant="outlined"
      />
      <Chip label={`${s.rls_disabled} without RLS`} color={s.rls_disabled ? 'error' : 'default'} />
      <Chip label={`${s.no_primary_key} without primary key`} variant="outlined" />
      <Chip label={bytes.format(s.total_bytes / 1e6)} variant="outlined" />
      <Typography variant="caption" color="text.secondary">
        Checked {formatWhen(h.generated_at)}
      </Typography>
    </Box>
  );
}

function Proposal({ h }: { h: DatabaseHealth }) {
  if (!h.proposal.sql) {
    return <Alert severity="success">No duplicate or obsolete tables: nothing to clean up.</Alert>;
  }
  return (
    <>
      <Alert severity="warning">
        Review before running anything: back the tables up, check their rows were imported, then run
        the SQL in the Supabase SQL editor or psql. CreditDesk never drops a table itself.
      </Alert>
      {h.proposal.backup_command && (
        <CodeBox label="Backup command" code={h.proposal.backup_command} />
      )}
      <CodeBox label="Proposed SQL" code={h.proposal.sql} />
    </>
  );
}

export function DatabaseHealthPage() {
  const { role, isPending: rolePending } = useRole();
  const queryClient = useQueryClient();
  const dataProvider = useDataProvider<CreditDeskDataProvider>();
  const health = useQuery({
    queryKey: ['database_health'],
    queryFn: () => dataProvider.databaseHealth(),
    enabled: role === 'admin',
    retry: false,
  });
  const refresh = () =>
    queryClient
      .invalidateQueries({ queryKey: ['database_health'] })
      .then(() => queryClient.invalidateQueries({ queryKey: ['database_advisor'] }))
      .then(() => queryClient.invalidateQueries({ queryKey: ['ledger_integrity'] }));

  if (rolePending) return null;
  if (role !== 'admin') {
    return (
      <Box sx={{ p: 2 }}>
        <Alert severity="info">Only admins can see the database health report.</Alert>
      </Box>
    );
  }
  return (
    <Box sx={{ p: 2 }}>
      <Title title="Database health" />
      <Box sx={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 2 }}>
        {health.data ? <Summary h={health.data} /> : <span />}
        <Button startIcon={<RefreshIcon />} onClick={refresh} disabled={health.isFetching}>
          Refresh
        </Button>
      </Box>
      {health.isPending && (
        <Skeleton variant="rounded" height={320} sx={{ mt: 2 }} aria-label="Loading tables" />
      )}
      {health.error && (
        <Alert severity="error" sx={{ mt: 2 }}>
          <AlertTitle>Could not read the database health report</AlertTitle>
          {health.error.message}
        </Alert>
      )}
      {health.data && (
        <>
          <Section title="Tables in public">
            <TablesSection tables={health.data.tables} statsSince={health.data.stats_since} />
          </Section>
          <Section title="Proposed clean-up">
            <Proposal h={health.data} />
          </Section>
        </>
      )}
      <Section title="Security and performance advisor">
        <AdvisorSection />
      </Section>
      <Section title="Ledger integrity">
        <IntegritySection />
      </Section>
      <Section title="Legacy import">
        <LegacyImportSection />
      </Section>
    </Box>
  );
}

import { useQuery } from '@tanstack/react-query';
import { Alert, Box, Chip, Skeleton, TableCell, TableRow, Typography } from '@mui/material';
import { useDataProvider } from 'react-admin';
import type { CreditDeskDataProvider } from '@/providers/dataProvider';
import type { AdvisorLint, DatabaseAdvisor } from '@/providers/rpcTypes';
import { DataTable } from './DataTable';
import { formatWhen } from '@/components/dates';

// The lint names as Supabase's advisors call them, so an admin can look each one up there.
const LINT_TITLES: Record<AdvisorLint['name'], string> = {
  rls_disabled_in_public: 'RLS disabled in an exposed schema',
  policy_exists_rls_disabled: 'Policies on a table without RLS',
  security_definer_function_executable: 'SECURITY DEFINER function beyond the access contract',
  function_search_path_mutable: 'Function search_path is mutable',
  sensitive_columns_exposed: 'Sensitive columns exposed',
  unindexed_foreign_keys: 'Unindexed foreign key',
  duplicate_index: 'Duplicate index',
  auth_rls_initplan: 'Auth call in a policy evaluated per row',
};

const LEVEL_COLOR = { ERROR: 'error', WARN: 'warning', INFO: 'default' } as const;

function Findings({ r }: { r: DatabaseAdvisor }) {
  const { errors, warnings, info } = r.summary;
  return (
    <>
      <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center', mb: 1 }}>
        <Chip label={`${errors} errors`} color={errors ? 'error' : 'default'} />
        <Chip label={`${warnings} warnings`} color={warnings ? 'warning' : 'default'} />
        <Chip label={`${info} info`} variant="outlined" />
        <Typography variant="caption" color="text.secondary">
          Exposed schemas: {r.exposed_schemas.join(', ')}. Checked {formatWhen(r.checked_at)}
        </Typography>
      </Box>
      {r.lints.length === 0 ? (
        <Alert severity="success">
          No findings: RLS is on everywhere PostgREST serves, definer functions match the access
          contract, every function fixes its search_path, foreign keys are indexed, no duplicate
          indexes, and policies call auth helpers once per statement.
        </Alert>
      ) : (
        <DataTable
          label="Advisor findings"
          columns={[
            { label: 'Level' },
            { label: 'Check' },
            { label: 'Object' },
            { label: 'What is wrong' },
            { label: 'How to fix' },
          ]}
        >
          {r.lints.map((l) => (
            <TableRow key={`${l.name} ${l.object}`}>
              <TableCell>
                <Chip size="small" label={l.level} color={LEVEL_COLOR[l.level]} />
              </TableCell>
              <TableCell>
                {LINT_TITLES[l.name] ?? l.name}
                <Typography variant="caption" component="div" color="text.secondary">
                  {l.category.toLowerCase()} · {l.name}
                </Typography>
              </TableCell>
              <TableCell sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
                {l.object}
              </TableCell>
              <TableCell>{l.detail}</TableCell>
              <TableCell sx={{ fontFamily: 'monospace', wordBreak: 'break-word' }}>
                {l.remediation}
              </TableCell>
            </TableRow>
          ))}
        </DataTable>
      )}
    </>
  );
}

/**
 * Supabase's security and performance advisor checks, as CreditDesk's own SQL
 * (public.database_advisor): read-only, the fixes are for a person to review and run.
 */
export function AdvisorSection() {
  const dataProvider = useDataProvider<CreditDeskDataProvider>();
  const query = useQuery({
    queryKey: ['database_advisor'],
    queryFn: () => dataProvider.databaseAdvisor(),
    retry: false,
  });
  if (query.isPending) {
    return <Skeleton variant="rounded" height={120} aria-label="Running the advisor checks" />;
  }
  if (query.error) {
    return <Alert severity="error">Could not run the advisor checks: {query.error.message}</Alert>;
  }
  return <Findings r={query.data} />;
}

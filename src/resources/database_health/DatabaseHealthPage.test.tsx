import { describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CustomRoutes } from 'react-admin';
import { Route } from 'react-router-dom';
import { renderResource, rpc, rpcCalls, pgError } from '../../../test/support/ui';
import DatabaseHealthPage from './index';

const databaseHealthRoute = '/database-health';
import type { DatabaseAdvisor, DatabaseHealth, LedgerIntegrity } from '@/providers/rpcTypes';

const table = (
  over: Partial<DatabaseHealth['tables'][number]>,
): DatabaseHealth['tables'][number] => ({
  name: 'customers',
  used_by_creditdesk: true,
  category: 'creditdesk',
  reason: null,
  estimated_rows: 240,
  exact_rows: 240,
  total_bytes: 65536,
  total_size: '64 kB',
  last_write: '2026-11-20T10:00:00Z',
  writes_since_stats_reset: 10,
  last_vacuum: null,
  last_analyze: null,
  rls_enabled: true,
  rls_forced: false,
  policy_count: 2,
  has_primary_key: true,
  unused_indexes: [],
  flags: [],
  ...over,
});

const health: DatabaseHealth = {
  generated_at: '2026-11-22T10:00:00Z',
  database: 'postgres',
  stats_since: null,
  summary: {
    tables: 2,
    creditdesk_tables: 1,
    flagged_legacy: 1,
    unknown: 0,
    rls_disabled: 1,
    no_primary_key: 0,
    empty: 0,
    total_bytes: 81920,
  },
  tables: [
    table({}),
    table({
      name: 'credit_pools',
      used_by_creditdesk: false,
      category: 'legacy',
      reason: 'Pre-purchased provider credit pools; generations are pay-per-use (seed 003).',
      exact_rows: 2,
      rls_enabled: false,
      policy_count: 0,
      flags: ['obsolete', 'rls_disabled'],
    }),
  ],
  proposal: {
    backup_command:
      'pg_dump "$DATABASE_URL" --format=custom --file=creditdesk-cleanup-backup.dump --table=\'public.credit_pools\'',
    sql: 'begin;\n\n-- credit_pools: Pre-purchased provider credit pools.\ndrop table public.credit_pools;\n\ncommit;\n',
  },
};

const integrity: LedgerIntegrity = {
  checked_at: '2026-11-22T10:00:00Z',
  stale_after: '01:00:00',
  row_limit: 200,
  balance_mismatches: {
    count: 1,
    rows: [
      {
        customer_id: 'pass_broken',
        email: 'b@example.com',
        credits: 80,
        ledger_sum: 90,
        latest_balance_after: 95,
        entries: 2,
        difference: -10,
      },
    ],
  },
  broken_chain: { count: 0, rows: [] },
  unsettled_generations: {
    count: 1,
    credits: 5,
    rows: [
      {
        generation_id: 'gen_stuck',
        customer_id: 'pass_broken',
        status: 'pending',
        credits_charged: 5,
        provider: 'wavespeed',
        model: 'flux',
        created_at: '2026-11-22T07:00:00Z',
        problem: 'still pending',
      },
    ],
  },
};

const advisor: DatabaseAdvisor = {
  checked_at: '2026-11-22T10:00:00Z',
  exposed_schemas: ['public'],
  checked_schemas: ['public', 'private'],
  summary: { errors: 1, warnings: 0, info: 1 },
  lints: [
    {
      name: 'rls_disabled_in_public',
      level: 'ERROR',
      category: 'SECURITY',
      object: 'public.credit_pools',
      detail: 'Row level security is off on a table PostgREST serves.',
      remediation: 'alter table public.credit_pools enable row level security;',
    },
    {
      name: 'unindexed_foreign_keys',
      level: 'INFO',
      category: 'PERFORMANCE',
      object: 'public.feedback (feedback_session_id_fkey)',
      detail: 'Foreign key on (session_id) has no index that starts with its columns.',
      remediation: 'create index on public.feedback (session_id);',
    },
  ],
};
const cleanAdvisor: DatabaseAdvisor = {
  ...advisor,
  summary: { errors: 0, warnings: 0, info: 0 },
  lints: [],
};

async function renderPage(
  role: 'admin' | 'support' = 'admin',
  handlers = [rpc('database_health', health)],
) {
  await renderResource(
    <CustomRoutes>
      <Route path={databaseHealthRoute} element={<DatabaseHealthPage />} />
    </CustomRoutes>,
    {
      role,
      initialPath: databaseHealthRoute,
      handlers: [...handlers, rpc('database_advisor', advisor), rpc('ledger_integrity', integrity)],
    },
  );
}

describe('DatabaseHealthPage', () => {
  it('lists tables with their flags and links integrity problems to the records', async () => {
    await renderPage();
    const tables = await screen.findByRole(
      'table',
      { name: 'Tables in schema public' },
      { timeout: 10_000 },
    );
    const pools = within(tables).getByText('credit_pools').closest('tr')!;
    expect(within(pools).getByText('Obsolete')).toBeInTheDocument();
    expect(within(pools).getByText('RLS off')).toBeInTheDocument();
    expect(within(pools).getByText(/pay-per-use/)).toBeInTheDocument();
    // Legacy first: it is what needs attention.
    expect(within(tables).getAllByRole('row')[1]).toBe(pools);

    const balances = await screen.findByRole('table', {
      name: 'Balances that differ from the ledger',
    });
    expect(within(balances).getByRole('link', { name: 'pass_broken' })).toHaveAttribute(
      'href',
      expect.stringMatching(/\/customers\/pass_broken\/show$/),
    );
    const unsettled = screen.getByRole('table', { name: 'Generations charged but never settled' });
    expect(within(unsettled).getByRole('link', { name: 'gen_stuck' })).toHaveAttribute(
      'href',
      expect.stringMatching(/\/generations\/gen_stuck\/show$/),
    );
    expect(
      screen.getByRole('region', { name: 'Ledger rows that break the balance chain' }),
    ).toHaveTextContent(/previous one plus its delta/);
    expect(rpcCalls('ledger_integrity')[0]).toEqual({ p_stale_after: '1 hour' });
  });

  it('lists the advisor findings, errors first, each with its fix', async () => {
    await renderPage();
    const findings = await screen.findByRole(
      'table',
      { name: 'Advisor findings' },
      { timeout: 10_000 },
    );
    const rows = within(findings).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText('ERROR')).toBeInTheDocument();
    expect(within(rows[0]).getByText('RLS disabled in an exposed schema')).toBeInTheDocument();
    expect(within(rows[0]).getByText('public.credit_pools')).toBeInTheDocument();
    expect(
      within(rows[0]).getByText('alter table public.credit_pools enable row level security;'),
    ).toBeInTheDocument();
    expect(within(rows[1]).getByText('Unindexed foreign key')).toBeInTheDocument();
    const section = screen.getByRole('region', { name: 'Security and performance advisor' });
    expect(within(section).getByText('1 errors')).toBeInTheDocument();
    expect(rpcCalls('database_advisor')).toEqual([{}]);
  });

  it('says so when the advisor finds nothing', async () => {
    await renderPage('admin', [
      rpc('database_health', health),
      rpc('database_advisor', cleanAdvisor),
    ]);
    expect(
      await screen.findByText(/No findings: RLS is on everywhere/, {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Advisor findings' })).toBeNull();
  });

  it('shows the proposed SQL read-only with a Copy button', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await renderPage();
    const sql = await screen.findByLabelText(
      'Proposed SQL',
      { selector: 'pre' },
      { timeout: 10_000 },
    );
    expect(sql).toHaveTextContent('drop table public.credit_pools;');
    expect(screen.getByLabelText('Backup command', { selector: 'pre' })).toHaveTextContent(
      /^pg_dump /,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Copy Proposed SQL' }));
    expect(writeText).toHaveBeenCalledWith(health.proposal.sql);
    expect(await screen.findByText('Copied')).toBeInTheDocument();
  });

  it('tells a non-admin the page is for admins and does not call the RPC', async () => {
    await renderPage('support');
    expect(
      await screen.findByText(/Only admins can see/, {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(rpcCalls('database_health')).toEqual([]);
    expect(rpcCalls('database_advisor')).toEqual([]);
  });

  it("shows the database's refusal as it came", async () => {
    await renderPage('admin', [
      rpc('database_health', pgError(403, 'Only admins may read the database health report.')),
    ]);
    expect(
      await screen.findByText(
        /Only admins may read the database health report/,
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
  });
});

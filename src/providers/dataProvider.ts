import { supabaseDataProvider } from 'ra-supabase';
import { withLifecycleCallbacks, type DataProvider, type GetListParams } from 'react-admin';
import type { Database, Json } from '@/types/database';
import { supabaseAnonKey, supabaseUrl } from './env';
import { supabaseClient, type CreditDeskSupabaseClient } from './supabaseClient';
import { applySearch, searchFunctions } from './listSearch';
import { expandVirtualFilters, foldRanges } from './listFilters';
import { editableFields, pickEditable } from './editableFields';
import { toHttpError } from './rpcError';
import type {
  DatabaseHealth,
  LedgerIntegrity,
  LegacyImportReport,
} from '@/resources/database_health/types';

type Rpc = Database['public']['Functions'];
export type RpcName = keyof Rpc;

export interface AdjustCreditsResult {
  transaction_id: number;
  balance: number;
  replayed: boolean;
}
/** What purchase_credits / grant_credits answer: the ledger entry and the block it made. */
export interface CreditBlockResult {
  transaction_id: number;
  block_id: number;
  balance: number;
  replayed: boolean;
}
export interface WhoAmI {
  user_id: string | null;
  email: string | null;
  role: 'admin' | 'support' | 'finance' | null;
}
export type StaffRole = NonNullable<WhoAmI['role']>;

// Tables that grow by millions of rows: an exact count on every page would scan them, so
// the list asks PostgREST for the planner's estimate instead.
const ESTIMATED_COUNT = new Set([
  'generations',
  'credit_transactions',
  'admin_audit',
  'admin_sessions',
]);

const primaryKeys = new Map<string, string[]>([
  ['runtime_config', ['key']],
  ['app_config', ['key']],
  ['generation_types', ['type_key']],
  ['staff', ['user_id']],
]);

export function createDataProvider(client: CreditDeskSupabaseClient = supabaseClient) {
  const base = supabaseDataProvider({
    instanceUrl: supabaseUrl,
    apiKey: supabaseAnonKey,
    supabaseClient: client as never,
    primaryKeys: primaryKeys as never,
  });

  // A search on a resource with a search function reads that function instead of the table
  // (see listSearch.ts); everything else about the list request stays the same.
  const routed: DataProvider = {
    ...base,
    getList: (resource, params) =>
      searchFunctions[resource] && params.filter && 'p_q@' in params.filter
        ? base.getList(`rpc/${searchFunctions[resource]}`, params)
        : base.getList(resource, params),
  };

  async function rpc<N extends RpcName>(name: N, args: Rpc[N]['Args']): Promise<Json> {
    const { data, error, status } = await client.rpc(name, args as never);
    if (error) throw toHttpError(error, status);
    return data as Json;
  }

  const withSearch = (resource: string, params: GetListParams): GetListParams => ({
    ...params,
    filter: foldRanges(expandVirtualFilters(resource, applySearch(resource, params.filter ?? {}))),
    meta: ESTIMATED_COUNT.has(resource)
      ? { ...params.meta, headers: { Prefer: 'count=estimated', ...params.meta?.headers } }
      : params.meta,
  });

  const standard = withLifecycleCallbacks(routed, [
    {
      resource: '*',
      beforeGetList: async (params, _dp, resource) => withSearch(resource, params),
      beforeGetManyReference: async (params, _dp, resource) =>
        withSearch(resource, params as GetListParams) as typeof params,
      beforeUpdate: async (params, _dp, resource) => {
        // Versioned tables (config) save with the version the editor read as their
        // precondition; it is always sent, since the editor never "changes" it.
        const versioned = editableFields[resource]?.includes('expected_version') ?? false;
        const data = pickEditable(
          resource,
          versioned
            ? { ...params.data, expected_version: params.previousData?.version }
            : params.data,
        );
        return { ...params, data };
      },
      beforeUpdateMany: async (params, _dp, resource) => ({
        ...params,
        data: pickEditable(resource, params.data),
      }),
    },
  ]);

  return {
    ...standard,
    whoami: async () => (await rpc('whoami', {} as never)) as unknown as WhoAmI,
    adjustCredits: async (args: {
      customerId: string;
      delta: number;
      reason: string;
      idempotencyKey: string;
    }) =>
      (await rpc('adjust_credits', {
        p_customer_id: args.customerId,
        p_delta: args.delta,
        p_reason: args.reason,
        p_idempotency_key: args.idempotencyKey,
      })) as unknown as AdjustCreditsResult,
    grantCredits: async (args: {
      customerId: string;
      credits: number;
      reason: string;
      expiresAt: string | null;
      idempotencyKey: string;
    }) =>
      (await rpc('grant_credits', {
        p_customer_id: args.customerId,
        p_credits: args.credits,
        p_reason: args.reason,
        ...(args.expiresAt ? { p_expires_at: args.expiresAt } : {}),
        p_idempotency_key: args.idempotencyKey,
      })) as unknown as CreditBlockResult,
    extendCreditExpiry: async (args: { blockId: number; expiresAt: string; reason: string }) =>
      (await rpc('extend_credit_expiry', {
        p_block_id: args.blockId,
        p_expires_at: args.expiresAt,
        p_reason: args.reason,
      })) as unknown as { block_id: number; expires_at: string; replayed: boolean },
    financeMetrics: async (args: { from: string; to: string; provider?: string | null }) =>
      rpc('finance_metrics', {
        p_from: args.from,
        p_to: args.to,
        ...(args.provider ? { p_provider: args.provider } : {}),
      }),
    refundGeneration: async (args: { generationId: string; reason?: string }) =>
      (await rpc('refund_generation', {
        p_generation_id: args.generationId,
        p_reason: args.reason ?? '',
      })) as unknown as AdjustCreditsResult,
    setCustomerDisabled: async (args: { customerId: string; disabled: boolean; reason: string }) =>
      (await rpc('set_customer_disabled', {
        p_customer_id: args.customerId,
        p_disabled: args.disabled,
        p_reason: args.reason,
      })) as unknown as { id: string; disabled: boolean },
    dashboardMetrics: async (args: { from: string; to: string; provider?: string | null }) =>
      rpc('dashboard_metrics', {
        p_from: args.from,
        p_to: args.to,
        ...(args.provider ? { p_provider: args.provider } : {}),
      }),
    addStaffMember: async (args: { email: string; role: StaffRole }) =>
      (await rpc('add_staff_member', { p_email: args.email, p_role: args.role })) as unknown as {
        user_id: string;
        email: string;
        role: StaffRole;
      },
    databaseHealth: async () =>
      (await rpc('database_health', {} as never)) as unknown as DatabaseHealth,
    /** @param staleAfter a Postgres interval, e.g. '1 hour' */
    ledgerIntegrity: async (staleAfter: string) =>
      (await rpc('ledger_integrity', { p_stale_after: staleAfter })) as unknown as LedgerIntegrity,
    importLegacy: async (args: { dryRun: boolean }) =>
      (await rpc('import_legacy', { p_dry_run: args.dryRun })) as unknown as LegacyImportReport,
    touchAdminSession: async () => rpc('touch_admin_session', {} as never),
    endAdminSession: async () => rpc('end_admin_session', {} as never),
  } satisfies DataProvider;
}

export type CreditDeskDataProvider = ReturnType<typeof createDataProvider>;
export const dataProvider = createDataProvider();

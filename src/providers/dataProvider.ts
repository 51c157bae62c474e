import { supabaseDataProvider } from 'ra-supabase';
import { withLifecycleCallbacks, type DataProvider, type GetListParams } from 'react-admin';
import type { Database, Json } from '@/types/database';
import { supabaseAnonKey, supabaseUrl } from './env';
import { supabaseClient, type CreditDeskSupabaseClient } from './supabaseClient';
import { applySearch, searchFunctions } from './listSearch';
import { expandDayBounds, expandVirtualFilters, foldRanges } from './listFilters';
import { editableFields, pickEditable } from './editableFields';
import { toHttpError } from './rpcError';
import { countByThreshold, EXACT_COUNT_BELOW, LARGE_TABLES } from './listCounts';
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
export interface WhoAmI {
  user_id: string | null;
  email: string | null;
  role: 'admin' | 'support' | 'finance' | null;
}
export type StaffRole = NonNullable<WhoAmI['role']>;
/** The values the generation filters offer (generation_filter_choices). */
export interface GenerationFilterChoices {
  providers: string[];
  models: { provider: string; model: string }[];
  types: { type_key: string; display_name: string }[];
}

const primaryKeys = new Map<string, string[]>([
  ['runtime_config', ['key']],
  ['app_config', ['key']],
  ['generation_types', ['type_key']],
  ['staff', ['user_id']],
]);

export function createDataProvider(
  client: CreditDeskSupabaseClient = supabaseClient,
  { exactCountBelow = EXACT_COUNT_BELOW } = {},
) {
  const base = supabaseDataProvider({
    instanceUrl: supabaseUrl,
    apiKey: supabaseAnonKey,
    supabaseClient: client as never,
    primaryKeys: primaryKeys as never,
  });

  // A search on a resource with a search function reads that function instead of the table
  // (see listSearch.ts); everything else about the list request stays the same.
  // Large tables are counted by countByThreshold (listCounts.ts).
  const routed: DataProvider = {
    ...base,
    getList: (resource, params) => {
      const target =
        searchFunctions[resource] && params.filter && 'p_q@' in params.filter
          ? `rpc/${searchFunctions[resource]}`
          : resource;
      return LARGE_TABLES.has(resource)
        ? countByThreshold((p) => base.getList(target, p), params, exactCountBelow)
        : base.getList(target, params);
    },
    // ra-data-postgrest refuses getMany on a function (it would not know the key column);
    // ours return an `id` column, so the ids become an `in` filter on the function's result.
    getMany: (resource, params) =>
      resource.startsWith('rpc/')
        ? base.getList(resource, {
            filter: { 'id@in': `(${params.ids.map(String).join(',')})` },
            pagination: { page: 1, perPage: Math.max(params.ids.length, 1) },
            sort: { field: 'id', order: 'ASC' },
            meta: params.meta,
          })
        : base.getMany(resource, params),
    getManyReference: (resource, params) =>
      LARGE_TABLES.has(resource)
        ? countByThreshold((p) => base.getManyReference(resource, p), params, exactCountBelow)
        : base.getManyReference(resource, params),
  };

  async function rpc<N extends RpcName>(name: N, args: Rpc[N]['Args']): Promise<Json> {
    const { data, error, status } = await client.rpc(name, args as never);
    if (error) throw toHttpError(error, status);
    return data as Json;
  }

  const withSearch = (resource: string, params: GetListParams): GetListParams => ({
    ...params,
    filter: foldRanges(
      expandDayBounds(expandVirtualFilters(resource, applySearch(resource, params.filter ?? {}))),
    ),
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
    importLegacy: async (args: { dryRun: boolean }) => {
      const report = (await rpc('import_legacy', {
        p_dry_run: args.dryRun,
      })) as unknown as LegacyImportReport;
      // The lists' totals start from the planner's statistics: count the imported rows now.
      if (!args.dryRun) await rpc('refresh_planner_statistics', {} as never);
      return report;
    },
    generationFilterChoices: async () =>
      (await rpc('generation_filter_choices', {} as never)) as unknown as GenerationFilterChoices,
    touchAdminSession: async () => rpc('touch_admin_session', {} as never),
    endAdminSession: async () => rpc('end_admin_session', {} as never),
  } satisfies DataProvider;
}

export type CreditDeskDataProvider = ReturnType<typeof createDataProvider>;
export const dataProvider = createDataProvider();

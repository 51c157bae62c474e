import { supabaseDataProvider } from 'ra-supabase';
import { withLifecycleCallbacks, type DataProvider, type GetListParams } from 'react-admin';
import { supabaseAnonKey, supabaseUrl } from './env';
import { supabaseClient, type CreditDeskSupabaseClient } from './supabaseClient';
import { applySearch, searchFunctions } from './listSearch';
import { expandDayBounds, expandVirtualFilters, foldRanges } from './listFilters';
import { editableFields, pickEditable } from './editableFields';
import { toServerError } from './serverError';
import { countByThreshold, EXACT_COUNT_BELOW, LARGE_TABLES } from './listCounts';
import { listByBalance, sortsByBalance } from './listByBalance';
import { relatedOfPage, withoutPrefetch, withRelated } from './prefetch';
import {
  decodeDashboardMetrics,
  decodeFinanceMetrics,
  decodeModelSeries,
} from '@/dashboards/columns';
import type { ModelSeriesAnswer, RpcAnswers, RpcArgs, RpcName, StaffRole } from './rpcTypes';

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
  // Large tables are counted by countByThreshold (listCounts.ts); customers sorted by balance
  // are read through the balance index (listByBalance.ts); the related records a list asks for
  // with `meta.prefetch` come with its page (prefetch.ts).
  const routed: DataProvider = {
    ...base,
    getList: (resource, asked) => {
      const params = withoutPrefetch(asked);
      const related = relatedOfPage(asked.meta?.prefetch, (r, p) => base.getMany(r, p));
      const target =
        searchFunctions[resource] && params.filter && 'p_q@' in params.filter
          ? `rpc/${searchFunctions[resource]}`
          : resource;
      if (target === resource && sortsByBalance(resource, params)) {
        return withRelated(
          listByBalance((r, p) => base.getList(r, p), params),
          related,
        );
      }
      return LARGE_TABLES.has(resource)
        ? countByThreshold((p) => base.getList(target, p), params, exactCountBelow, related)
        : withRelated(base.getList(target, params), related);
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
    // One customer's rows (the customer page's tabs) are few next to the table's: the
    // heaviest customer of the 2-million-row bench has ~4,500 generations, an index-only count
    // well under a millisecond. So they are counted exactly in the page request itself, one
    // round trip instead of countByThreshold's two (page with estimate, then exact count).
    getManyReference: (resource, params) =>
      LARGE_TABLES.has(resource) && params.target !== 'customer_id'
        ? countByThreshold((p) => base.getManyReference(resource, p), params, exactCountBelow)
        : base.getManyReference(resource, params),
  };

  // The one place an RPC's answer is cast: rpcTypes.ts says what each function returns.
  async function rpc<N extends RpcName>(name: N, args: RpcArgs<N>): Promise<RpcAnswers[N]> {
    const { data, error, status } = await client.rpc(name, args as never);
    if (error) throw toServerError(error, status);
    return data as unknown as RpcAnswers[N];
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

  const provider = {
    ...withServerErrors(standard),
    whoami: () => rpc('whoami', {}),
    adjustCredits: (args: {
      customerId: string;
      delta: number;
      reason: string;
      idempotencyKey: string;
    }) =>
      rpc('adjust_credits', {
        p_customer_id: args.customerId,
        p_delta: args.delta,
        p_reason: args.reason,
        p_idempotency_key: args.idempotencyKey,
      }),
    grantCredits: (args: {
      customerId: string;
      credits: number;
      reason: string;
      expiresAt: string | null;
      idempotencyKey: string;
    }) =>
      rpc('grant_credits', {
        p_customer_id: args.customerId,
        p_credits: args.credits,
        p_reason: args.reason,
        ...(args.expiresAt ? { p_expires_at: args.expiresAt } : {}),
        p_idempotency_key: args.idempotencyKey,
      }),
    extendCreditExpiry: (args: { blockId: number; expiresAt: string; reason: string }) =>
      rpc('extend_credit_expiry', {
        p_block_id: args.blockId,
        p_expires_at: args.expiresAt,
        p_reason: args.reason,
      }),
    refundGeneration: (args: { generationId: string; reason?: string }) =>
      rpc('refund_generation', { p_generation_id: args.generationId, p_reason: args.reason ?? '' }),
    setCustomerDisabled: (args: { customerId: string; disabled: boolean; reason: string }) =>
      rpc('set_customer_disabled', {
        p_customer_id: args.customerId,
        p_disabled: args.disabled,
        p_reason: args.reason,
      }),
    // The dashboards' answers arrive columnar and leave here as rows (columns.ts).
    dashboardMetrics: async (args: { from: string; to: string; provider?: string | null }) =>
      decodeDashboardMetrics(
        await rpc('dashboard_metrics', {
          p_from: args.from,
          p_to: args.to,
          ...(args.provider ? { p_provider: args.provider } : {}),
        }),
      ),
    // The cost chart's drill-down: one provider's models (the full answer leaves them out).
    dashboardModelSeries: async (args: { from: string; to: string; provider: string }) =>
      decodeModelSeries(
        (await rpc('dashboard_metrics', {
          p_from: args.from,
          p_to: args.to,
          p_models_of: args.provider,
        })) as unknown as ModelSeriesAnswer,
      ),
    financeMetrics: async (args: { from: string; to: string; provider?: string | null }) =>
      decodeFinanceMetrics(
        await rpc('finance_metrics', {
          p_from: args.from,
          p_to: args.to,
          ...(args.provider ? { p_provider: args.provider } : {}),
        }),
      ),
    // A price, a staff role, a staff account state and who is staff change only with a
    // reason (issue 16.9).
    addStaffMember: (args: { email: string; role: StaffRole; reason: string }) =>
      rpc('add_staff_member', { p_email: args.email, p_role: args.role, p_reason: args.reason }),
    removeStaffMember: (args: { userId: string; reason: string }) =>
      rpc('remove_staff_member', { p_user_id: args.userId, p_reason: args.reason }),
    setGenerationTypePrice: (args: { typeKey: string; costCredits: number; reason: string }) =>
      rpc('set_generation_type_price', {
        p_type_key: args.typeKey,
        p_cost_credits: args.costCredits,
        p_reason: args.reason,
      }),
    removeGenerationType: (args: { typeKey: string; reason: string }) =>
      rpc('remove_generation_type', { p_type_key: args.typeKey, p_reason: args.reason }),
    setStaffRole: (args: { userId: string; role: StaffRole; reason: string }) =>
      rpc('set_staff_role', { p_user_id: args.userId, p_role: args.role, p_reason: args.reason }),
    setStaffDisabled: (args: { userId: string; disabled: boolean; reason: string }) =>
      rpc('set_staff_disabled', {
        p_user_id: args.userId,
        p_disabled: args.disabled,
        p_reason: args.reason,
      }),
    databaseHealth: () => rpc('database_health', {}),
    databaseAdvisor: () => rpc('database_advisor', {}),
    /** @param staleAfter a Postgres interval, e.g. '1 hour' */
    ledgerIntegrity: (staleAfter: string) => rpc('ledger_integrity', { p_stale_after: staleAfter }),
    importLegacy: async (args: { dryRun: boolean }) => {
      const report = await rpc('import_legacy', { p_dry_run: args.dryRun });
      // The lists' totals start from the planner's statistics: count the imported rows now.
      if (!args.dryRun) await rpc('refresh_planner_statistics', {});
      return report;
    },
    generationFilterChoices: () => rpc('generation_filter_choices', {}),
    touchAdminSession: () => rpc('touch_admin_session', {}),
    endAdminSession: () => rpc('end_admin_session', {}),
  } satisfies DataProvider;
  return provider;
}

// Table requests fail the way RPCs do (see serverError.ts): every standard method's
// rejection becomes the one error shape.
function withServerErrors(provider: DataProvider): DataProvider {
  return Object.fromEntries(
    Object.entries(provider).map(([name, method]) => [
      name,
      typeof method === 'function'
        ? (...args: unknown[]) =>
            Promise.resolve(method.apply(provider, args)).catch((error: unknown) => {
              throw toServerError(error);
            })
        : method,
    ]),
  ) as DataProvider;
}

export type CreditDeskDataProvider = ReturnType<typeof createDataProvider>;
export const dataProvider = createDataProvider();

import type { ExportColumn } from './csvExport';

// What each list's CSV holds, in order: the list's columns and the few a spreadsheet needs
// beside them. People are `customer` / `staff` columns (email and name, see csvExport.ts).
const t = (source: string, header = source): ExportColumn => ({ source, header });
const n = (source: string, header = source): ExportColumn => ({ source, header, kind: 'number' });
const time = (source: string, header = `${source} (UTC)`): ExportColumn => ({
  source,
  header,
  kind: 'time',
});
const usd = (source: string, header = 'cost (USD)'): ExportColumn => ({
  source,
  header,
  kind: 'usd',
});
const customer: ExportColumn = { source: 'customer_id', header: 'customer', kind: 'customer' };
const staff = (source: string, header: string): ExportColumn => ({ source, header, kind: 'staff' });
const json = (source: string): ExportColumn => ({ source, header: source, kind: 'json' });

const config = [
  t('key'),
  json('value'),
  t('description'),
  n('version'),
  time('updated_at'),
  staff('updated_by', 'updated by'),
];

export const exportColumns: Record<string, ExportColumn[]> = {
  customers: [
    t('email'),
    t('display_name', 'name'),
    t('first_name'),
    t('last_name'),
    t('id', 'pass id'),
    t('shopify_customer_id', 'shopify id'),
    n('credits'),
    time('expires_at', 'credits expire (UTC)'),
    time('last_active', 'last active (UTC)'),
    t('verified_any', 'verified'),
    t('disabled'),
    t('disabled_reason'),
    time('created_at', 'created (UTC)'),
  ],
  generations: [
    t('id'),
    time('created_at', 'created (UTC)'),
    customer,
    t('type'),
    t('provider'),
    t('model'),
    t('status'),
    n('credits_charged', 'credits'),
    usd('cost_usd'),
    n('latency_ms', 'latency (ms)'),
    t('error'),
    time('completed_at', 'completed (UTC)'),
    time('refunded_at', 'refunded (UTC)'),
    t('prompt'),
  ],
  credit_transactions: [
    n('id'),
    time('created_at', 'when (UTC)'),
    customer,
    t('type'),
    n('delta'),
    n('balance_after', 'balance after'),
    t('reason'),
    t('source'),
    t('ref_type', 'reference type'),
    t('ref_id', 'reference'),
    t('provider'),
    usd('cost_usd'),
    staff('actor', 'by (staff)'),
  ],
  feedback: [
    t('id'),
    time('created_at', 'when (UTC)'),
    customer,
    t('result_type', 'result type'),
    t('status'),
    t('comment'),
    t('admin_note', 'admin note'),
    t('generation_id', 'generation'),
  ],
  admin_audit: [
    n('id'),
    time('at', 'when (UTC)'),
    t('actor_email', 'who'),
    t('action'),
    t('table_name', 'table'),
    t('record_id', 'record'),
    t('status'),
    json('details'),
    t('ip'),
  ],
  admin_sessions: [
    t('email'),
    t('ip'),
    t('user_agent', 'user agent'),
    time('first_seen_at', 'first seen (UTC)'),
    time('last_seen_at', 'last seen (UTC)'),
    time('ended_at', 'ended (UTC)'),
  ],
  staff: [
    t('email'),
    t('role'),
    t('disabled'),
    time('created_at', 'added (UTC)'),
    staff('created_by', 'added by'),
  ],
  generation_types: [
    t('type_key', 'type'),
    t('display_name', 'name'),
    n('cost_credits', 'credits'),
    t('active'),
    time('updated_at', 'updated (UTC)'),
  ],
  runtime_config: config,
  app_config: config,
};

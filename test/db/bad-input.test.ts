// Bad input at every browser and backend entry point, sent as raw HTTP through the gateway and
// PostgREST (supabase-js would refuse some of these bodies before they leave). Each case must be
// answered with a 4xx and a message a person can act on, and must write nothing: after every
// case the balances, the ledger, the audit trail and the rows it aimed at are as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO,
  newCustomer,
  serviceClient,
  signedIn,
  stack,
  unique,
  type Client,
} from '../support/db';

type Who = 'admin' | 'service';
interface Reply {
  status: number;
  message: string;
  code: string;
  hint: string;
}
interface Case {
  name: string;
  who?: Who;
  method?: 'GET' | 'POST' | 'PATCH';
  path: () => string;
  /** A value to send as JSON (or a function making it), or `{ raw }` for a body that is not JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  /** What the message must say: the database's own words where it controls them. */
  message: RegExp;
}

const KB100 = 'x'.repeat(100 * 1024);
// Random text, so a size check cannot be passed by compression.
const RANDOM100 = Array.from({ length: 100 * 1024 }, () =>
  String.fromCharCode(33 + Math.floor(Math.random() * 90)),
).join('');

let admin: Client;
let adminToken: string;
let customerId: string;
let configKey: string;
let feedbackId: string;
let generationId: string;

beforeAll(async () => {
  admin = await signedIn(DEMO.admin);
  adminToken = (await admin.auth.getSession()).data.session!.access_token;
  customerId = await newCustomer(admin, 100);
  configKey = unique('bad-input-knob');
  const inserted = await admin
    .from('runtime_config')
    .insert({ key: configKey, value: { enabled: true } });
  if (inserted.error) throw new Error(inserted.error.message);
  const fb = await serviceClient().from('feedback').select('id').limit(1).single();
  feedbackId = fb.data!.id;
  const gen = await serviceClient()
    .from('generations')
    .insert({ customer_id: customerId, status: 'succeeded', credits_charged: 0 })
    .select('id')
    .single();
  generationId = gen.data!.id;
});

async function send(c: Pick<Case, 'who' | 'method' | 'path' | 'body' | 'headers'>): Promise<Reply> {
  const key = c.who === 'service' ? stack().serviceRoleKey : stack().anonKey;
  const token = c.who === 'service' ? stack().serviceRoleKey : adminToken;
  const body: unknown = typeof c.body === 'function' ? (c.body as () => unknown)() : c.body;
  const raw = body && typeof body === 'object' && 'raw' in body ? String(body.raw) : undefined;
  const res = await fetch(`${stack().url}/rest/v1${c.path()}`, {
    method: c.method ?? 'POST',
    headers: {
      apikey: key,
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      prefer: 'return=representation',
      ...c.headers,
    },
    body: body === undefined ? undefined : (raw ?? JSON.stringify(body)),
  });
  const text = await res.text();
  let parsed: Partial<Reply>;
  try {
    parsed = JSON.parse(text) as Partial<Reply>;
  } catch {
    parsed = { message: text };
  }
  return {
    status: res.status,
    message: parsed.message ?? '',
    code: parsed.code ?? '',
    hint: parsed.hint ?? '',
  };
}

/** Everything a bad request could have touched. */
async function snapshot() {
  const service = serviceClient();
  const count = async (table: 'credit_transactions' | 'admin_audit') =>
    (await service.from(table).select('id', { count: 'exact', head: true })).count;
  return {
    ledgerRows: await count('credit_transactions'),
    auditRows: await count('admin_audit'),
    customer: (await service.from('customers').select('*').eq('id', customerId).single()).data,
    config: (await service.from('runtime_config').select('*').eq('key', configKey).single()).data,
    feedback: (await service.from('feedback').select('*').eq('id', feedbackId).single()).data,
    generation: (await service.from('generations').select('*').eq('id', generationId).single())
      .data,
    configKeys: (await service.from('runtime_config').select('key', { count: 'exact', head: true }))
      .count,
    customers: (await service.from('customers').select('id', { count: 'exact', head: true })).count,
  };
}

const rpc = (name: string) => () => `/rpc/${name}`;
// Bodies that name the test's own rows are built when the case runs (after beforeAll).
const adjust = (args: Record<string, unknown>) => () => ({
  p_customer_id: customerId,
  p_delta: 5,
  p_reason: 'bad input test',
  p_idempotency_key: unique('bad-input'),
  ...args,
});
const consume = (args: Record<string, unknown>) => () => ({
  p_customer_id: customerId,
  p_amount: 1,
  ...args,
});
const customersPatch = () => `/customers?id=eq.${encodeURIComponent(customerId)}`;
const configPatch = () => `/runtime_config?key=eq.${encodeURIComponent(configKey)}`;
const feedbackPatch = () => `/feedback?id=eq.${encodeURIComponent(feedbackId)}`;
const q = (s: string) => () => `/customers?${s}`;

// PostgREST's own refusals of a malformed request (PGRST1xx, PGRST2xx) say what was malformed.
const PARSE = /failed to parse|unexpected|expecting/i;

const CASES: Case[] = [
  // adjust_credits: the delta
  {
    name: 'delta as a word',
    path: rpc('adjust_credits'),
    body: adjust({ p_delta: 'five' }),
    status: 400,
    message: /invalid input syntax for type integer: "five"/,
  },
  {
    name: 'delta null',
    path: rpc('adjust_credits'),
    body: adjust({ p_delta: null }),
    status: 400,
    message: /whole number other than 0/,
  },
  {
    name: 'delta 0',
    path: rpc('adjust_credits'),
    body: adjust({ p_delta: 0 }),
    status: 400,
    message: /whole number other than 0/,
  },
  {
    name: 'delta 1.5',
    path: rpc('adjust_credits'),
    body: adjust({ p_delta: 1.5 }),
    status: 400,
    message: /type integer: "1.5"/,
  },
  {
    name: 'delta NaN (not JSON)',
    path: rpc('adjust_credits'),
    body: { raw: `{"p_customer_id":"x","p_delta":NaN,"p_reason":"r"}` },
    status: 400,
    message: /json/i,
  },
  {
    name: 'delta "NaN"',
    path: rpc('adjust_credits'),
    body: adjust({ p_delta: 'NaN' }),
    status: 400,
    message: /type integer: "NaN"/,
  },
  {
    name: 'delta "Infinity"',
    path: rpc('adjust_credits'),
    body: adjust({ p_delta: 'Infinity' }),
    status: 400,
    message: /type integer: "Infinity"/,
  },
  {
    name: 'delta 2^31',
    path: rpc('adjust_credits'),
    body: adjust({ p_delta: 2 ** 31 }),
    status: 400,
    message: /"2147483648" is out of range for type integer/,
  },
  {
    name: 'delta -2^31',
    path: rpc('adjust_credits'),
    body: adjust({ p_delta: -(2 ** 31) }),
    status: 400,
    message: /beyond the 1,000,000 limit/,
  },
  {
    name: 'delta 2^31-1',
    path: rpc('adjust_credits'),
    body: adjust({ p_delta: 2 ** 31 - 1 }),
    status: 400,
    message: /beyond the 1,000,000 limit/,
  },
  {
    name: 'delta 1e308',
    path: rpc('adjust_credits'),
    body: { raw: `{"p_customer_id":"x","p_delta":1e308,"p_reason":"r"}` },
    status: 400,
    message: /integer/,
  },
  {
    name: 'overdraft',
    path: rpc('adjust_credits'),
    body: adjust({ p_delta: -1000 }),
    status: 409,
    message: /cannot go below 0/,
  },
  // adjust_credits: the reason, the customer and the key
  {
    name: 'reason null',
    path: rpc('adjust_credits'),
    body: adjust({ p_reason: null }),
    status: 400,
    message: /A reason is required/,
  },
  {
    name: 'reason of spaces and a tab',
    path: rpc('adjust_credits'),
    body: adjust({ p_reason: ' \t ' }),
    status: 400,
    message: /A reason is required/,
  },
  {
    name: 'reason of newlines',
    path: rpc('adjust_credits'),
    body: adjust({ p_reason: '\n\r\n' }),
    status: 400,
    message: /A reason is required/,
  },
  {
    name: 'reason 100 KB',
    path: rpc('adjust_credits'),
    body: adjust({ p_reason: KB100 }),
    status: 400,
    message: /102400 characters long; keep it under 500/,
  },
  {
    name: 'reason with a bell and an escape',
    path: rpc('adjust_credits'),
    body: adjust({ p_reason: 'ok\u0007\u001b[2J' }),
    status: 400,
    message: /control characters/,
  },
  {
    name: 'reason with NUL',
    path: rpc('adjust_credits'),
    body: adjust({ p_reason: 'a\u0000b' }),
    status: 400,
    message: /\\u0000|unicode/i,
  },
  {
    name: 'reason with a lone surrogate',
    path: rpc('adjust_credits'),
    body: { raw: `{"p_customer_id":"x","p_delta":1,"p_reason":"\\ud800"}` },
    status: 400,
    message: /invalid json/i,
  },
  {
    name: 'customer null',
    path: rpc('adjust_credits'),
    body: adjust({ p_customer_id: null }),
    status: 400,
    message: /Choose the customer/,
  },
  {
    name: 'customer 100 KB',
    path: rpc('adjust_credits'),
    body: adjust({ p_customer_id: KB100 }),
    status: 404,
    message: /^No customer with id "x{200}"\.$/,
  },
  {
    name: 'customer in emoji and RTL',
    path: rpc('adjust_credits'),
    body: adjust({ p_customer_id: '👩‍💻\u202Eevil' }),
    status: 404,
    message: /No customer with id/,
  },
  {
    name: 'customer as an object',
    path: rpc('adjust_credits'),
    body: () => ({ ...adjust({})(), p_customer_id: { id: customerId } }),
    status: 404,
    message: /No customer with id/,
  },
  {
    name: 'idempotency key too short',
    path: rpc('adjust_credits'),
    body: adjust({ p_idempotency_key: 'k' }),
    status: 400,
    message: /8 to 200 characters/,
  },
  {
    name: 'idempotency key 100 KB',
    path: rpc('adjust_credits'),
    body: adjust({ p_idempotency_key: KB100 }),
    status: 400,
    message: /8 to 200 characters/,
  },
  {
    name: 'unknown argument',
    path: rpc('adjust_credits'),
    body: adjust({ p_bonus: 1 }),
    status: 404,
    message: /adjust_credits\(.*p_bonus.*\)/,
  },
  {
    name: 'missing reason argument',
    path: rpc('adjust_credits'),
    body: { p_customer_id: 'x', p_delta: 1 },
    status: 404,
    message: /adjust_credits\(p_customer_id, p_delta\)/,
  },
  {
    name: 'body not JSON',
    path: rpc('adjust_credits'),
    body: { raw: `p_delta=5&p_reason=x` },
    status: 400,
    message: /json/i,
  },
  // other RPCs
  {
    name: 'disable: "maybe"',
    path: rpc('set_customer_disabled'),
    body: { p_customer_id: 'x', p_disabled: 'maybe', p_reason: 'r' },
    status: 400,
    message: /invalid input syntax for type boolean: "maybe"/,
  },
  {
    name: 'disable: null',
    path: rpc('set_customer_disabled'),
    body: { p_customer_id: 'x', p_disabled: null, p_reason: 'r' },
    status: 400,
    message: /disabled \(true\) or enabled \(false\)/,
  },
  {
    name: 'refund: empty generation id',
    path: rpc('refund_generation'),
    body: { p_generation_id: '' },
    status: 400,
    message: /generation id is empty/,
  },
  {
    name: 'refund: succeeded generation',
    path: rpc('refund_generation'),
    body: () => ({ p_generation_id: generationId }),
    status: 409,
    message: /Only failed generations/,
  },
  {
    name: 'dashboard: not a date',
    path: rpc('dashboard_metrics'),
    body: { p_from: 'yesterday-ish', p_to: '2026-01-01' },
    status: 400,
    message: /invalid input syntax for type date: "yesterday-ish"/,
  },
  {
    name: 'dashboard: 30 years',
    path: rpc('dashboard_metrics'),
    body: { p_from: '2000-01-01', p_to: '2030-01-01' },
    status: 400,
    message: /at most three years/,
  },
  {
    name: 'dashboard: reversed',
    path: rpc('dashboard_metrics'),
    body: { p_from: '2026-02-01', p_to: '2026-01-01' },
    status: 400,
    message: /start date .* is after the end date/,
  },
  {
    name: 'staff: email with a newline',
    path: rpc('add_staff_member'),
    body: { p_email: 'a@b.dev\nx@y.dev', p_role: 'support' },
    status: 400,
    message: /email address/,
  },
  {
    name: 'staff: 100 KB email',
    path: rpc('add_staff_member'),
    body: { p_email: KB100, p_role: 'support' },
    status: 400,
    message: /email address/,
  },
  // the backend's RPCs (service role)
  {
    name: 'consume: negative amount',
    who: 'service',
    path: rpc('consume_credits'),
    body: consume({ p_amount: -5 }),
    status: 400,
    message: /above 0/,
  },
  {
    name: 'consume: 2^31',
    who: 'service',
    path: rpc('consume_credits'),
    body: consume({ p_amount: 2 ** 31 }),
    status: 400,
    message: /out of range for type integer/,
  },
  {
    name: 'consume: cost NaN',
    who: 'service',
    path: rpc('consume_credits'),
    body: consume({ p_cost_usd: 'NaN' }),
    status: 400,
    message: /provider cost must be .*, not NaN/,
  },
  {
    name: 'consume: cost Infinity',
    who: 'service',
    path: rpc('consume_credits'),
    body: consume({ p_cost_usd: 'Infinity' }),
    status: 400,
    message: /provider cost must be .*, not Infinity/,
  },
  {
    name: 'consume: cost negative',
    who: 'service',
    path: rpc('consume_credits'),
    body: consume({ p_cost_usd: -1 }),
    status: 400,
    message: /provider cost must be a number of USD from 0/,
  },
  {
    name: 'consume: cost 1e20',
    who: 'service',
    path: rpc('consume_credits'),
    body: consume({ p_cost_usd: 1e20 }),
    status: 400,
    message: /provider cost must be/,
  },
  {
    name: 'consume: provider 100 KB',
    who: 'service',
    path: rpc('consume_credits'),
    body: consume({ p_provider: KB100 }),
    status: 400,
    message: /provider name is 102400 characters long/,
  },
  {
    name: 'consume: generation id 100 KB',
    who: 'service',
    path: rpc('consume_credits'),
    body: consume({ p_generation_id: KB100 }),
    status: 400,
    message: /generation id is 102400 characters long/,
  },
  {
    name: 'consume: reason 100 KB',
    who: 'service',
    path: rpc('consume_credits'),
    body: consume({ p_reason: KB100 }),
    status: 400,
    message: /keep it under 500/,
  },
  {
    name: 'consume: reason with control characters',
    who: 'service',
    path: rpc('consume_credits'),
    body: consume({ p_reason: 'gen\u0008\u0008' }),
    status: 400,
    message: /control characters/,
  },
  {
    name: 'refund_credits: 0',
    who: 'service',
    path: rpc('refund_credits'),
    body: consume({ p_amount: 0 }),
    status: 400,
    message: /above 0/,
  },
  // PATCH bodies
  {
    name: 'customer: unknown column',
    method: 'PATCH',
    path: customersPatch,
    body: { favourite_colour: 'red' },
    status: 400,
    message: /favourite_colour/,
  },
  {
    name: 'customer: boolean as words',
    method: 'PATCH',
    path: customersPatch,
    body: { marketing_opt_in: 'yes please' },
    status: 400,
    message: /type boolean: "yes please"/,
  },
  {
    name: 'customer: credits (read-only)',
    method: 'PATCH',
    path: customersPatch,
    body: { credits: 1_000_000 },
    status: 403,
    message: /permission denied for table customers/,
  },
  {
    name: 'customer: id (read-only)',
    method: 'PATCH',
    path: customersPatch,
    body: { id: 'hijacked' },
    status: 403,
    message: /permission denied for table customers/,
  },
  {
    name: 'customer: verified_any (generated)',
    method: 'PATCH',
    path: customersPatch,
    body: { verified_any: true },
    status: 400,
    message: /"verified_any" can only be updated to DEFAULT/,
  },
  {
    name: 'customer: packs -1',
    method: 'PATCH',
    path: customersPatch,
    body: { topup_default_packs: -1 },
    status: 400,
    message: /topup_default_packs/,
  },
  {
    name: 'customer: packs 2^31',
    method: 'PATCH',
    path: customersPatch,
    body: { topup_default_packs: 2 ** 31 },
    status: 400,
    message: /out of range for type integer/,
  },
  {
    name: 'customer: 100 KB first name',
    method: 'PATCH',
    path: customersPatch,
    body: { first_name: KB100 },
    status: 400,
    message: /first_name/,
  },
  {
    name: 'customer: meta not JSON',
    method: 'PATCH',
    path: customersPatch,
    body: { raw: `{"meta": {"a": }}` },
    status: 400,
    message: /json/i,
  },
  {
    name: 'customer: email null byte',
    method: 'PATCH',
    path: customersPatch,
    body: { email: 'a\u0000@b.dev' },
    status: 400,
    message: /\\u0000|unicode/i,
  },
  {
    name: 'feedback: unknown status',
    method: 'PATCH',
    path: feedbackPatch,
    body: { status: 'escalated' },
    status: 400,
    message: /status/,
  },
  {
    name: 'feedback: comment (read-only)',
    method: 'PATCH',
    path: feedbackPatch,
    body: { comment: 'rewritten' },
    status: 403,
    message: /permission denied for table feedback/,
  },
  // JSON config values
  {
    name: 'config: value null',
    method: 'PATCH',
    path: configPatch,
    body: { value: null, expected_version: 1 },
    status: 400,
    message: /Give ".*" a value: any JSON except null/,
  },
  {
    name: 'config: value 100 KB',
    method: 'PATCH',
    path: configPatch,
    body: { value: { text: RANDOM100 }, expected_version: 1 },
    status: 400,
    message: /is 100 KB; a config value may be at most 64 KB/,
  },
  {
    name: 'config: value with NUL',
    method: 'PATCH',
    path: configPatch,
    body: { value: 'a\u0000b', expected_version: 1 },
    status: 400,
    message: /\\u0000|unicode/i,
  },
  {
    name: 'config: version as a word',
    method: 'PATCH',
    path: configPatch,
    body: { value: 1, expected_version: 'latest' },
    status: 400,
    message: /type integer: "latest"/,
  },
  {
    name: 'config: stale version',
    method: 'PATCH',
    path: configPatch,
    body: { value: 1, expected_version: 0 },
    status: 409,
    message: /changed by someone else/,
  },
  {
    name: 'config: save without the version it was based on',
    method: 'PATCH',
    path: configPatch,
    body: { value: 1 },
    status: 400,
    message: /needs the version you edited \(expected_version\)/,
  },
  {
    name: 'config: version written directly',
    method: 'PATCH',
    path: configPatch,
    body: { value: 1, version: 99 },
    status: 403,
    message: /permission denied/,
  },
  {
    name: 'config: updated_by (read-only)',
    method: 'PATCH',
    path: configPatch,
    body: { updated_by: '00000000-0000-0000-0000-000000000000' },
    status: 403,
    message: /permission denied for table runtime_config/,
  },
  {
    name: 'config: key with a newline',
    path: () => '/runtime_config',
    body: { key: 'feature\nflag', value: true },
    status: 400,
    message: /"feature\?flag" is not a valid key/,
  },
  {
    name: 'config: 100 KB key',
    path: () => '/runtime_config',
    body: { key: KB100, value: true },
    status: 400,
    message: /is not a valid key/,
  },
  {
    name: 'config: 100 KB description',
    path: () => '/runtime_config',
    body: () => ({ key: unique('k'), value: 1, description: KB100 }),
    status: 400,
    message: /description is 102400 characters long/,
  },
  {
    name: 'config: value not JSON',
    path: () => '/runtime_config',
    body: { raw: `{"key":"k1","value":undefined}` },
    status: 400,
    message: /json/i,
  },
  // filters in the query string
  {
    name: 'filter: unbalanced or=()',
    method: 'GET',
    path: q('or=(id.eq.a,credits.gt.0'),
    status: 400,
    message: PARSE,
  },
  {
    name: 'filter: unknown operator',
    method: 'GET',
    path: q('credits=hack.0'),
    status: 400,
    message: PARSE,
  },
  {
    name: 'filter: unknown column',
    method: 'GET',
    path: q('password=eq.x'),
    status: 400,
    message: /column customers.password does not exist/,
  },
  {
    name: 'filter: number expected',
    method: 'GET',
    path: q('credits=gt.1;delete'),
    status: 400,
    message: /type integer: "1;delete"/,
  },
  {
    name: 'filter: date expected',
    method: 'GET',
    path: q(`created_at=gt.${encodeURIComponent("now()' or '1'='1")}`),
    status: 400,
    message: /timestamp with time zone/,
  },
  {
    name: 'filter: unclosed in.()',
    method: 'GET',
    path: q('id=in.(a,b'),
    status: 400,
    message: PARSE,
  },
  {
    name: 'select: unknown embed',
    method: 'GET',
    path: q('select=id,auth_users(*)'),
    status: 400,
    message: /relationship between 'customers' and 'auth_users'/,
  },
  {
    name: 'order: unknown column',
    method: 'GET',
    path: q('order=nope.desc'),
    status: 400,
    message: /nope/,
  },
  {
    name: 'filter: not/or nesting left open',
    method: 'GET',
    path: q('not.or=(id.eq.a,and(credits.gt.1)'),
    status: 400,
    message: PARSE,
  },
  {
    name: 'filter: is. with a value',
    method: 'GET',
    path: q('deleted_at=is.1;drop'),
    status: 400,
    message: PARSE,
  },
  {
    name: 'private schema',
    method: 'GET',
    path: () => '/staff_role',
    headers: { 'accept-profile': 'private' },
    status: 406,
    message: /schema must be one of the following/,
  },
];

// Injection that reaches the database only as a value (rows: 'none') finds nothing; SQL after a
// complete PostgREST term (rows: 'any') is ignored by PostgREST's parser, which reads the
// term and builds its SQL from quoted identifiers and parameters. Either way nothing is written.
const INERT: { name: string; path: () => string; rows: 'none' | 'any' }[] = [
  {
    name: 'quote-or-1=1 as an id',
    path: q(`id=eq.${encodeURIComponent("' or 1=1 --")}`),
    rows: 'none',
  },
  {
    name: 'or=() smuggled inside a value',
    path: q(`email=eq.${encodeURIComponent('x,or=(credits.gt.0)')}`),
    rows: 'none',
  },
  {
    name: 'ilike with SQL',
    path: q(`email=ilike.${encodeURIComponent("%'; drop table customers; --%")}`),
    rows: 'none',
  },
  {
    name: 'search with PostgREST syntax in the term',
    path: q(`or=${encodeURIComponent('(email.ilike.*"),credits.gt.(0*,id.ilike.*x*)')}`),
    rows: 'none',
  },
  {
    name: 'SQL after a closed or=()',
    path: q(`or=(id.eq.a);drop table customers;--`),
    rows: 'none',
  },
  {
    name: 'SQL after a column in select',
    path: q(`select=id,${encodeURIComponent('credits);delete from customers;--')}&limit=2`),
    rows: 'any',
  },
  { name: 'SQL after limit', path: q('select=id&limit=2;delete from customers'), rows: 'any' },
];

describe('bad input', () => {
  const replies: string[] = [];
  let violations = 0;

  it.each(CASES.map((c) => [c.name, c] as const))(
    '%s: 4xx with a message, nothing written',
    async (_name, c) => {
      const before = await snapshot();
      const reply = await send(c);
      replies.push(
        `${reply.status} ${reply.code.padEnd(8)} ${c.name}: ${reply.message.slice(0, 140)}`,
      );
      const after = await snapshot();
      if (JSON.stringify(after) !== JSON.stringify(before)) violations++;
      expect({ status: reply.status, message: reply.message }).toEqual({
        status: c.status,
        message: expect.stringMatching(c.message),
      });
      expect(reply.message.length).toBeGreaterThan(10);
      expect(after).toEqual(before);
    },
  );

  it.each(INERT.map((c) => [c.name, c] as const))(
    '%s: read as a plain value, finds nothing',
    async (_name, c) => {
      const before = await snapshot();
      const reply = await fetch(`${stack().url}/rest/v1${c.path()}`, {
        headers: { apikey: stack().anonKey, authorization: `Bearer ${adminToken}` },
      });
      const rows = (await reply.json()) as unknown;
      replies.push(`${reply.status} inert    ${c.name}: ${JSON.stringify(rows).slice(0, 80)}`);
      // A 400 (unparseable) is as good as an empty answer; what must never happen is a write.
      expect([200, 400]).toContain(reply.status);
      if (reply.status === 200 && c.rows === 'none') expect(rows).toEqual([]);
      expect(await snapshot()).toEqual(before);
    },
  );

  afterAll(() => {
    const fours = replies.filter((r) => /^4\d\d/.test(r)).length;
    console.log(replies.join('\n'));
    console.log(
      `bad input: ${CASES.length + INERT.length} requests, ${fours} answered 4xx, ` +
        `${replies.filter((r) => /^5/.test(r)).length} answered 5xx, partial writes ${violations}`,
    );
    expect(violations).toBe(0);
  });
});

import { http, HttpResponse, type JsonBodyType } from 'msw';

export const SUPABASE_URL = 'http://supabase.test';
export const REST = `${SUPABASE_URL}/rest/v1`;

export type Row = Record<string, unknown>;

/** One request the app sent, as the harness saw it (for assertions on query strings and bodies). */
export interface RecordedRequest {
  method: string;
  url: URL;
  /** Table or `rpc/<name>` (or the auth path) after /rest/v1/ or /auth/v1/. */
  path: string;
  headers: Headers;
  body: unknown;
}

const recorded: RecordedRequest[] = [];

/** Called by the server for every request to the fake Supabase origin. */
export async function record(request: Request) {
  const url = new URL(request.url);
  if (url.origin !== SUPABASE_URL) return;
  let body: unknown = undefined;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const text = await request.clone().text();
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
  }
  recorded.push({
    method: request.method,
    url,
    path: url.pathname.replace(/^\/(rest|auth)\/v1\//, ''),
    headers: request.headers,
    body,
  });
}

export function resetRecorded() {
  recorded.length = 0;
}

/** Requests to a table (`'customers'`), an RPC (`'rpc/adjust_credits'`) or an auth path (`'token'`). */
export function requestsTo(path: string, method?: string): RecordedRequest[] {
  return recorded.filter((r) => r.path === path && (!method || r.method === method));
}

/** Bodies of the calls to an RPC, oldest first. */
export function rpcCalls<T = Record<string, unknown>>(name: string): T[] {
  return requestsTo(`rpc/${name}`, 'POST').map((r) => r.body as T);
}

/** A PostgREST error body, the shape supabase-js and the data provider turn into messages. */
export function pgError(
  status: number,
  message: string,
  hint: string | null = null,
  code = 'P0001',
) {
  return HttpResponse.json({ code, message, details: null, hint }, { status });
}

function matchesFilters(row: Row, params: URLSearchParams): boolean {
  for (const [key, raw] of params) {
    if (['select', 'order', 'offset', 'limit', 'or', 'and'].includes(key)) continue;
    const value = row[key];
    if (raw.startsWith('eq.')) {
      if (String(value) !== raw.slice(3)) return false;
    } else if (raw.startsWith('in.(')) {
      const ids = raw
        .slice(4, -1)
        .split(',')
        .map((v) => v.replace(/^"|"$/g, ''));
      if (!ids.includes(String(value))) return false;
    }
    // Other operators (gt, ilike, is...) are left to the test: assert the query string instead.
  }
  return true;
}

type RowsSource = Row[] | ((url: URL, request: Request) => Row[]);

export interface TableOptions {
  /** Total for Content-Range, when the test wants a larger (or estimated) count than rows.length. */
  total?: number;
}

/**
 * GET /rest/v1/<table>: a list (array + Content-Range, offset/limit applied) or, when the client
 * asks for application/vnd.pgrst.object+json, the one row matching the eq. filters (406 if none).
 * `eq.` and `in.(...)` filters are applied, so getOne / getMany / ReferenceManyField just work.
 */
export function table(name: string, rows: RowsSource, options: TableOptions = {}) {
  return http.get(`${REST}/${name}`, ({ request }) => {
    const url = new URL(request.url);
    const all = typeof rows === 'function' ? rows(url, request) : rows;
    const matching = all.filter((row) => matchesFilters(row, url.searchParams));
    if (request.headers.get('accept')?.includes('vnd.pgrst.object')) {
      if (matching.length !== 1) {
        return pgError(
          406,
          'JSON object requested, multiple (or no) rows returned',
          null,
          'PGRST116',
        );
      }
      return HttpResponse.json(matching[0] as JsonBodyType);
    }
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? matching.length);
    const page = matching.slice(offset, offset + limit);
    const total = options.total ?? matching.length;
    const range = page.length ? `${offset}-${offset + page.length - 1}/${total}` : `*/${total}`;
    return HttpResponse.json(page as JsonBodyType, { headers: { 'Content-Range': range } });
  });
}

/** PATCH /rest/v1/<table>: answers with the merged row (react-admin's update / updateMany). */
export function tableUpdate(name: string, rows: Row[]) {
  return http.patch(`${REST}/${name}`, async ({ request }) => {
    const url = new URL(request.url);
    const patch = (await request.json()) as Row;
    const updated = rows
      .filter((r) => matchesFilters(r, url.searchParams))
      .map((r) => ({ ...r, ...patch }));
    if (request.headers.get('accept')?.includes('vnd.pgrst.object')) {
      return HttpResponse.json((updated[0] ?? null) as JsonBodyType);
    }
    return HttpResponse.json(updated as JsonBodyType);
  });
}

type RpcAnswer = JsonBodyType | Response;

/**
 * POST /rest/v1/rpc/<name>. `answer` is a JSON body, a Response (e.g. pgError(409, ...)), or a
 * function of the request body (and the call number, 0-based) returning either.
 */
export function rpc(
  name: string,
  answer: RpcAnswer | ((body: Row, call: number) => RpcAnswer | Promise<RpcAnswer>),
) {
  let calls = 0;
  return http.post(`${REST}/rpc/${name}`, async ({ request }) => {
    const text = await request.text();
    const body = (text ? JSON.parse(text) : {}) as Row;
    const result = typeof answer === 'function' ? await answer(body, calls++) : answer;
    return result instanceof Response ? result : HttpResponse.json(result);
  });
}

// Anything the screen asks for that the test did not set up comes back empty, not as a
// network error: the test then fails on what it asserts, with a readable message.
export const fallbackHandlers = [
  http.get(`${REST}/:table`, () => HttpResponse.json([], { headers: { 'Content-Range': '*/0' } })),
  http.post(`${REST}/rpc/touch_admin_session`, () =>
    HttpResponse.json({
      id: 1,
      first_seen_at: new Date().toISOString(),
      last_seen_at: new Date().toISOString(),
    }),
  ),
  http.post(`${REST}/rpc/end_admin_session`, () => new HttpResponse(null, { status: 204 })),
];

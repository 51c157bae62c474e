// One origin like Supabase's Kong: /rest/v1 → PostgREST, /auth/v1 → auth server,
// CORS for the browser, and the apikey check.
import http from 'node:http';
import httpProxy from 'http-proxy';
import { REAL_CLIENT_HEADER } from './auth-server.mjs';

const DEFAULT_ALLOW_HEADERS =
  'authorization, apikey, x-client-info, content-type, prefer, range, accept-profile, content-profile, x-supabase-api-version, x-upsert';
const EXPOSE_HEADERS =
  'Content-Range, Content-Location, Preference-Applied, Range-Unit, Location, X-Total-Count, X-Supabase-Api-Version';
// Kong serves these without a key: they are opened from email links, so only as GET (a
// POST /verify comes from supabase-js, which sends the key).
const OPEN_AUTH_PATHS = new Set(['/verify', '/callback', '/authorize']);

function cors(req, res) {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, PUT, PATCH, POST, DELETE, OPTIONS');
  // Kong's cors plugin echoes what the browser asks for; fall back to Supabase's list.
  res.setHeader(
    'Access-Control-Allow-Headers',
    req.headers['access-control-request-headers'] || DEFAULT_ALLOW_HEADERS,
  );
  res.setHeader('Access-Control-Expose-Headers', EXPOSE_HEADERS);
  res.setHeader('Access-Control-Max-Age', '3600');
}

const json = (res, status, body) =>
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
    .end(JSON.stringify(body));

/**
 * @param {{
 *   host: string, port: number, anonKey: string, serviceRoleKey: string, postgrestUrl: string,
 *   auth: { handle(req: http.IncomingMessage, res: http.ServerResponse, subPath: string): Promise<void> },
 *   log: (s: string) => void
 * }} o
 * @returns {Promise<{ url: string, port: number, close(): Promise<void> }>}
 */
export async function startGateway(o) {
  const proxy = httpProxy.createProxyServer({ target: o.postgrestUrl, xfwd: true });
  // PostgREST adds its own CORS headers; ours (set before proxying) must win.
  proxy.on('proxyRes', (proxyRes) => {
    for (const h of Object.keys(proxyRes.headers))
      if (h.startsWith('access-control-')) delete proxyRes.headers[h];
  });
  proxy.on('error', (err, _req, res) => {
    if (!(res instanceof http.ServerResponse) || res.headersSent) return void res.destroy?.();
    json(res, 502, { message: 'An invalid response was received from the upstream server' });
  });

  const server = http.createServer((req, res) => {
    // Hosted Supabase sits behind Cloudflare, which overwrites CF-Connecting-IP with the address
    // that connected to it (and appends to X-Forwarded-For); PostgREST hands every header to
    // SQL in request.headers. This gateway is the edge here, so it does the same from the
    // socket: whatever a client sent in that header is replaced, never trusted.
    req.headers[REAL_CLIENT_HEADER] = String(req.socket.remoteAddress ?? '').replace(
      /^::ffff:/,
      '',
    );
    cors(req, res);
    if (req.method === 'OPTIONS') return void res.writeHead(200, { 'content-length': '0' }).end();

    const url = new URL(req.url ?? '/', 'http://local');
    const m = /^\/(rest|auth)\/v1(\/.*)?$/.exec(url.pathname);
    if (!m) return json(res, 404, { message: 'no Route matched with those values' });
    const [, service, rest = '/'] = m;

    const open = service === 'auth' && OPEN_AUTH_PATHS.has(rest) && req.method === 'GET';
    if (!open) {
      const key = req.headers.apikey ?? url.searchParams.get('apikey');
      if (!key) return json(res, 401, { message: 'No API key found in request' });
      if (key !== o.anonKey && key !== o.serviceRoleKey)
        return json(res, 401, { message: 'Invalid API key' });
      if (!req.headers.authorization) req.headers.authorization = `Bearer ${key}`;
    }
    // PostgREST would read ?apikey= as a column filter.
    url.searchParams.delete('apikey');
    const subPath = rest + (url.search || '');

    if (service === 'auth') {
      o.auth.handle(req, res, subPath).catch((e) => {
        o.log(`[gateway] auth handler failed: ${e.stack ?? e}`);
        if (!res.headersSent) json(res, 500, { message: 'auth handler failed' });
      });
      return;
    }
    req.url = subPath;
    proxy.web(req, res);
  });

  await new Promise((resolve, reject) => {
    server.once('error', (e) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new Error(`port ${o.port} is in use (another stack running? set API_PORT)`)
          : e,
      ),
    );
    server.listen(o.port, o.host, resolve);
  });
  const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  return {
    url: `http://${o.host}:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        proxy.close();
      }),
  };
}

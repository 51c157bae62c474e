// GoTrue-compatible endpoints for supabase-js 2.x / ra-supabase, mounted at /auth/v1.
// It has no database connection: PGlite is a single session owned by PostgREST,
// so every read and write goes through PostgREST RPC into the local_auth schema
// (see local_auth.sql), authorised with the service-role key.
import { SignJWT, jwtVerify } from 'jose';
import { globMatch } from './config.mjs';

/** GoTrue's messages and statuses for the error codes local_auth returns. */
const ERRORS = {
  invalid_credentials: [400, 'Invalid login credentials'],
  email_not_confirmed: [400, 'Email not confirmed'],
  user_banned: [400, 'User is banned'],
  refresh_token_not_found: [400, 'Invalid Refresh Token: Refresh Token Not Found'],
  refresh_token_already_used: [400, 'Invalid Refresh Token: Already Used'],
  session_expired: [400, 'Invalid Refresh Token: Session Expired'],
  over_request_rate_limit: [429, 'Request rate limit reached'],
  session_not_found: [403, 'Session from session_id claim in JWT does not exist'],
  user_not_found: [403, 'User from sub claim in JWT does not exist'],
  weak_password: [422, 'Password should be at least 6 characters.'],
  same_password: [422, 'New password should be different from the old password.'],
  email_exists: [422, 'A user with this email address has already been registered'],
  otp_expired: [403, 'Email link is invalid or has expired'],
  validation_failed: [400, 'Unable to validate email address: invalid format'],
};

class AuthError extends Error {
  /** @param {number} status @param {string} code @param {string} [msg] @param {object} [extra] */
  constructor(status, code, msg, extra) {
    super(msg ?? ERRORS[code]?.[1] ?? code);
    Object.assign(this, { status, code, extra });
  }
}

const fail = (code, extra) => new AuthError(ERRORS[code]?.[0] ?? 400, code, undefined, extra);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Auth bodies are a few hundred bytes; anything near this is not a client of ours. */
export const MAX_BODY_BYTES = 64 * 1024;
/** A body still arriving after this long is a slow-body attack, not a browser. */
export const BODY_TIMEOUT_MS = 10_000;
const RATE_WINDOW_MS = 5 * 60_000;

/**
 * GoTrue decodes bodies into Go structs, so a field of the wrong JSON type (a number for the
 * password) is refused as bad_json before anything else looks at it.
 */
function strings(body, ...fields) {
  for (const f of fields) {
    const v = body[f];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      throw new AuthError(
        400,
        'bad_json',
        `Could not parse request body as JSON: "${f}" must be a string, not ${Array.isArray(v) ? 'an array' : `a ${typeof v}`}`,
      );
    }
  }
  return body;
}

/**
 * @param {{
 *   apiUrl: () => string, postgrestUrl: string, jwtSecret: string, serviceRoleKey: string,
 *   jwtExpiry?: number, siteUrl: () => string, redirectUrls?: string[], minPasswordLength?: number,
 *   signInRateLimit?: number, doubleConfirmChanges?: boolean, log: (s: string) => void
 * }} o
 */
export function createAuthServer(o) {
  const secret = new TextEncoder().encode(o.jwtSecret);
  const expiry = o.jwtExpiry ?? 3600;
  const minPassword = o.minPasswordLength ?? 6;
  const weak = (password) => {
    if (typeof password === 'string' && password.length < minPassword) {
      throw new AuthError(
        422,
        'weak_password',
        `Password should be at least ${minPassword} characters.`,
        {
          weak_password: { reasons: ['length'] },
        },
      );
    }
  };
  /**
   * The links "mailed" so far, by `${type} ${address}`: no mail leaves the machine, so the
   * console and the tests read them here.
   * @type {Map<string, { email: string, type: string, link: string, token: string, sent_at: string }>}
   */
  const mailbox = new Map();
  function mail(type, email, token, redirect) {
    const address = email.trim().toLowerCase();
    const link =
      `${o.apiUrl()}/auth/v1/verify?token=${token}&type=${type}` +
      `&redirect_to=${encodeURIComponent(redirect)}`;
    mailbox.set(`${type} ${address}`, {
      email: address,
      type,
      link,
      token,
      sent_at: new Date().toISOString(),
    });
    o.log(
      `[auth] ${type.replace('_', ' ')} link for ${address} (no mail is sent locally): ${link}`,
    );
  }

  // Failed sign-ins per client address and email, in GoTrue's 5-minute window; past the limit
  // every attempt is refused until the window ends, the right password too. Hosted counts all
  // sign-ins per address alone. Here the email is in the key, so one guessing client cannot
  // lock staff out everywhere, and only failures count, so the test suites' many sign-ins as
  // the demo staff from one address never meet the limit; a guesser gets this many tries.
  const signInLimit = o.signInRateLimit ?? 30;
  /** @type {Map<string, { count: number, resetAt: number }>} */
  const failures = new Map();
  const limitKey = (ip, email) => `${ip} ${email.trim().toLowerCase()}`;
  function checkLimit(key) {
    const hit = failures.get(key);
    if (hit && hit.resetAt > Date.now() && hit.count >= signInLimit)
      throw fail('over_request_rate_limit');
  }
  function countFailure(key) {
    const now = Date.now();
    if (failures.size > 10_000)
      for (const [k, v] of failures) if (v.resetAt <= now) failures.delete(k);
    let hit = failures.get(key);
    if (!hit || hit.resetAt <= now)
      failures.set(key, (hit = { count: 0, resetAt: now + RATE_WINDOW_MS }));
    hit.count++;
  }

  async function rpc(fn, args) {
    let r;
    try {
      r = await fetch(`${o.postgrestUrl}/rpc/${fn}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${o.serviceRoleKey}`,
          'content-type': 'application/json',
          'content-profile': 'local_auth',
          'accept-profile': 'local_auth',
        },
        body: JSON.stringify(args),
      });
    } catch (e) {
      throw new AuthError(
        500,
        'unexpected_failure',
        `database unreachable: ${e.cause?.message ?? e.message}`,
      );
    }
    const body = await r.json().catch(() => null);
    if (!r.ok)
      throw new AuthError(
        500,
        'unexpected_failure',
        `local_auth.${fn}: ${body?.message ?? r.status}`,
      );
    if (body?.error) throw fail(body.error);
    return body;
  }

  async function session(bundle) {
    const now = Math.floor(Date.now() / 1000);
    const u = bundle.user;
    const accessToken = await new SignJWT({
      iss: `${o.apiUrl()}/auth/v1`,
      sub: u.id,
      aud: 'authenticated',
      exp: now + expiry,
      iat: now,
      email: u.email,
      phone: u.phone,
      app_metadata: u.app_metadata,
      user_metadata: u.user_metadata,
      role: u.role || 'authenticated',
      aal: bundle.aal,
      amr: bundle.amr,
      session_id: bundle.session_id,
      is_anonymous: u.is_anonymous,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(secret);
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: expiry,
      expires_at: now + expiry,
      refresh_token: bundle.refresh_token,
      user: u,
    };
  }

  /** GoTrue's requireAuthentication: a valid bearer JWT. */
  async function claims(req) {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m)
      throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
    try {
      return (await jwtVerify(m[1], secret, { algorithms: ['HS256'] })).payload;
    } catch (e) {
      const why =
        e.code === 'ERR_JWT_EXPIRED' ? 'token has invalid claims: token is expired' : e.message;
      throw new AuthError(
        403,
        'bad_jwt',
        `invalid JWT: unable to parse or verify signature, ${why}`,
      );
    }
  }

  async function userClaims(req) {
    const c = await claims(req);
    if (!c.sub) throw new AuthError(403, 'bad_jwt', 'invalid claim: missing sub claim');
    return c;
  }

  async function requireAdmin(req) {
    const c = await claims(req);
    if (c.role !== 'service_role' && c.role !== 'supabase_admin')
      throw new AuthError(403, 'not_admin', 'User not allowed');
  }

  /** The caller as the gateway saw it: its real-client header, never a client-sent one. */
  function client(req) {
    const ip = String(req.headers[REAL_CLIENT_HEADER] ?? req.socket.remoteAddress ?? '').trim();
    return {
      p_user_agent: req.headers['user-agent'] ?? null,
      p_ip: ip.replace(/^::ffff:/, '') || null,
    };
  }

  /**
   * Where an email link may lead: an http(s) URL on the site's origin (scheme, host and port,
   * not only the host name as GoTrue compares it), or one matching the allow list; anything
   * else goes to SITE_URL. `javascript://127.0.0.1/…` has the site's host name, but it is not
   * a page.
   */
  function redirectTo(value) {
    if (typeof value === 'string' && value) {
      try {
        const u = new URL(value);
        const web = u.protocol === 'http:' || u.protocol === 'https:';
        if (web && !u.username && !u.password) {
          if (u.origin === new URL(o.siteUrl()).origin) return value;
          if ((o.redirectUrls ?? []).some((p) => globMatch(p, value))) return value;
        }
      } catch {
        /* not a URL */
      }
    }
    return o.siteUrl();
  }

  const routes = {
    'POST /token': async (req, q, body) => {
      const grant = q.get('grant_type');
      strings(body, 'email', 'phone', 'password', 'refresh_token');
      if (grant === 'password') {
        if (!body.email && !body.phone)
          throw new AuthError(400, 'validation_failed', 'missing email or phone');
        if (!body.email)
          throw new AuthError(400, 'phone_provider_disabled', 'Phone logins are disabled');
        const who = client(req);
        const key = limitKey(who.p_ip ?? '', body.email);
        checkLimit(key);
        try {
          return session(
            await rpc('sign_in_password', {
              p_email: body.email,
              p_password: body.password ?? '',
              ...who,
            }),
          );
        } catch (e) {
          if (e.code === 'invalid_credentials') countFailure(key);
          throw e;
        }
      }
      if (grant === 'refresh_token') {
        if (!body.refresh_token) throw fail('refresh_token_not_found');
        return session(
          await rpc('refresh', { p_refresh_token: body.refresh_token, ...client(req) }),
        );
      }
      throw new AuthError(400, 'validation_failed', 'unsupported_grant_type');
    },

    'GET /user': async (req) => {
      const c = await userClaims(req);
      return (await rpc('get_user', { p_user_id: c.sub, p_session_id: c.session_id ?? null })).user;
    },

    'PUT /user': async (req, q, body) => {
      const c = await userClaims(req);
      strings(body, 'email', 'password', 'nonce');
      if (body.email != null && !EMAIL.test(body.email)) throw fail('validation_failed');
      weak(body.password);
      const args = {
        p_user_id: c.sub,
        p_session_id: c.session_id ?? null,
        p_password: body.password ?? null,
        p_email: body.email ?? null,
        p_data: body.data ?? null,
        p_double: o.doubleConfirmChanges ?? true,
      };
      let result;
      try {
        result = await rpc('update_user', args);
      } catch (e) {
        if (e.code === 'weak_password') e.extra = { weak_password: { reasons: ['length'] } };
        throw e;
      }
      const change = result.email_change;
      if (change) {
        const redirect = redirectTo(q.get('redirect_to'));
        mail('email_change', change.new_email, change.token_new, redirect);
        if (change.token_current)
          mail('email_change', change.current_email, change.token_current, redirect);
      }
      return result.user;
    },

    'POST /logout': async (req, q) => {
      const scope = q.get('scope') ?? 'global';
      if (!['global', 'local', 'others'].includes(scope)) {
        throw new AuthError(400, 'validation_failed', `Unsupported logout scope "${scope}"`);
      }
      const c = await userClaims(req);
      await rpc('sign_out', {
        p_user_id: c.sub,
        p_session_id: c.session_id ?? null,
        p_scope: scope,
      });
      return null; // 204
    },

    'POST /recover': async (req, q, body) => {
      strings(body, 'email', 'redirect_to');
      if (!body.email)
        throw new AuthError(422, 'validation_failed', 'Password recovery requires an email');
      if (!EMAIL.test(body.email)) throw fail('validation_failed');
      const { token } = await rpc('create_recovery', { p_email: body.email });
      // Like GoTrue, the answer does not tell whether the address exists.
      if (token)
        mail('recovery', body.email, token, redirectTo(q.get('redirect_to') ?? body.redirect_to));
      return {};
    },

    'POST /verify': async (req, _q, body) => {
      strings(body, 'type', 'token', 'token_hash', 'email', 'redirect_to');
      if (!VERIFY[body.type])
        throw new AuthError(
          400,
          'validation_failed',
          `Verify type ${body.type} is not supported locally`,
        );
      const result = await verify(body.type, body.token_hash ?? body.token ?? '', req);
      // The first of two email-change links: GoTrue answers with a message, not a session.
      if (result.message) return { msg: result.message, code: 200 };
      return session(result);
    },

    'GET /settings': async () => ({
      external: {
        email: true,
        phone: false,
        anonymous_users: false,
        google: false,
        github: false,
        apple: false,
      },
      disable_signup: true,
      mailer_autoconfirm: false,
      phone_autoconfirm: false,
      sms_provider: '',
      saml_enabled: false,
    }),

    'GET /health': async () => ({
      version: 'local',
      name: 'GoTrue',
      description: 'CreditDesk local stand-in for GoTrue',
    }),

    'POST /signup': async () => {
      throw new AuthError(422, 'signup_disabled', 'Signups not allowed for this instance');
    },

    // GoTrue's invite (supabase-js auth.admin.inviteUserByEmail): service role only; the link
    // lands like a recovery link, on the app's set-password page.
    'POST /invite': async (req, q, body) => {
      await requireAdmin(req);
      strings(body, 'email', 'redirect_to');
      if (!body.email || !EMAIL.test(body.email)) throw fail('validation_failed');
      const { token, user } = await rpc('create_invite', {
        p_email: body.email,
        p_data: body.data ?? null,
      });
      mail('invite', body.email, token, redirectTo(q.get('redirect_to') ?? body.redirect_to));
      return user;
    },

    'POST /admin/users': async (req, _q, body) => {
      await requireAdmin(req);
      strings(body, 'email', 'password', 'id');
      if (!body.email || !EMAIL.test(body.email)) throw fail('validation_failed');
      weak(body.password);
      return (
        await rpc('admin_create_user', {
          p_email: body.email,
          p_password: body.password ?? null,
          p_email_confirm: body.email_confirm === true,
          p_user_metadata: body.user_metadata ?? body.data ?? null,
          p_app_metadata: body.app_metadata ?? null,
          p_id: body.id ?? null,
        })
      ).user;
    },

    'GET /admin/users': async (req, q, _b, res) => {
      await requireAdmin(req);
      const page = Number(q.get('page') ?? 1) || 1;
      const perPage = Number(q.get('per_page') ?? 50) || 50;
      const { users, total } = await rpc('admin_list_users', { p_page: page, p_per_page: perPage });
      res.setHeader('X-Total-Count', String(total));
      return { users, aud: 'authenticated' };
    },

    'GET /_dev/last-recovery-link': async (req, q) => {
      await requireAdmin(req);
      return lastLink('recovery', q.get('email'));
    },

    'GET /_dev/last-email-link': async (req, q) => {
      await requireAdmin(req);
      return lastLink(q.get('type') ?? 'recovery', q.get('email'));
    },
  };

  function lastLink(type, email) {
    const hit = mailbox.get(
      `${type} ${String(email ?? '')
        .trim()
        .toLowerCase()}`,
    );
    if (!hit) throw new AuthError(404, 'not_found', `No ${type} link was issued for this email`);
    return hit;
  }

  /** Spends the token of an email link of this type (see VERIFY). */
  function verify(type, token, req) {
    const fn = VERIFY[type];
    const kind = fn === 'verify_link' ? { p_type: type } : {};
    return rpc(fn, { ...kind, p_token: token, ...client(req) });
  }

  // GoTrue's email link: 303 to redirect_to with the session (or the error) in the fragment.
  async function verifyLink(req, res, q) {
    const target = redirectTo(q.get('redirect_to'));
    let location;
    try {
      const type = q.get('type') ?? '';
      if (!VERIFY[type]) throw fail('otp_expired');
      const result = await verify(type, q.get('token') ?? '', req);
      if (result.message) {
        location = `${target.split('#')[0]}#${new URLSearchParams({ message: result.message })}`;
        return void res.writeHead(303, { Location: location }).end();
      }
      const s = await session(result);
      // GoTrue appends to the whole URL, so a hash route (#/set-password) is kept before it.
      location = `${target}#${new URLSearchParams({
        access_token: s.access_token,
        expires_at: String(s.expires_at),
        expires_in: String(s.expires_in),
        refresh_token: s.refresh_token,
        token_type: 'bearer',
        type,
      })}`;
    } catch (e) {
      if (!(e instanceof AuthError) || e.status >= 500) throw e;
      // Errors replace the fragment, as GoTrue's error redirect does.
      const error = new URLSearchParams({
        error: 'access_denied',
        error_code: e.code,
        error_description: e.message,
      });
      location = `${target.split('#')[0]}#${error}`;
    }
    res.writeHead(303, { Location: location }).end();
  }

  async function adminUser(req, res, method, id) {
    await requireAdmin(req);
    const args = { p_id: id };
    const notFound = new AuthError(404, 'user_not_found', 'User not found');
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound;
    try {
      if (method === 'GET') return (await rpc('admin_get_user', args)).user;
      if (method === 'DELETE') return await rpc('admin_delete_user', args);
    } catch (e) {
      throw e.code === 'user_not_found' ? notFound : e;
    }
    throw new AuthError(405, 'method_not_allowed', 'Method not allowed');
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {string} subPath the path after /auth/v1, with its query string
   */
  async function handle(req, res, subPath) {
    const u = new URL(subPath, 'http://local');
    const route = `${req.method} ${u.pathname.replace(/\/+$/, '') || '/'}`;
    try {
      const body = await readJson(req);
      if (route === 'GET /verify') return await verifyLink(req, res, u.searchParams);
      const admin = /^\/admin\/users\/([^/]+)$/.exec(u.pathname);
      const fn = routes[route];
      let result;
      if (fn) result = await fn(req, u.searchParams, body, res);
      else if (admin) result = await adminUser(req, res, req.method, admin[1]);
      else throw new AuthError(404, 'not_found', `${route} is not served by the local auth server`);
      if (result === null) return void res.writeHead(204).end();
      send(res, 200, result);
    } catch (e) {
      // The rest of an oversized or stalled body is not read: the connection goes with it.
      if (e instanceof AuthError && (e.status === 408 || e.status === 413)) {
        res.setHeader('connection', 'close');
        res.on('finish', () => req.destroy());
      }
      sendError(req, res, e, o.log);
    }
  }

  return {
    handle,
    lastRecoveryLink: (email) => mailbox.get(`recovery ${email.trim().toLowerCase()}`) ?? null,
  };
}

/** Which local_auth function checks the token of each email link type. */
const VERIFY = {
  recovery: 'verify_link',
  invite: 'verify_link',
  email_change: 'verify_email_change',
};

/** Read by the gateway from the socket and set on every request (see gateway.mjs). */
export const REAL_CLIENT_HEADER = 'cf-connecting-ip';

/** The body as JSON, at most MAX_BODY_BYTES and within BODY_TIMEOUT_MS, or a 4xx. */
async function readJson(req) {
  if (req.method === 'GET' || req.method === 'HEAD') return {};
  const tooLarge = () =>
    new AuthError(413, 'request_too_large', `Request body larger than ${MAX_BODY_BYTES} bytes`);
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  const chunks = [];
  let size = 0;
  let timer;
  const reading = (async () => {
    for await (const c of req) {
      size += c.length;
      if (size > MAX_BODY_BYTES) throw tooLarge();
      chunks.push(c);
    }
  })();
  // The loser of the race must not become an unhandled rejection once the socket is destroyed.
  reading.catch(() => {});
  try {
    await Promise.race([
      reading,
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new AuthError(408, 'request_timeout', 'Request body took too long to arrive')),
          BODY_TIMEOUT_MS,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' ? v : {};
  } catch (e) {
    throw new AuthError(400, 'bad_json', `Could not parse request body as JSON: ${e.message}`);
  }
}

function send(res, status, body, headers = {}) {
  res
    .writeHead(status, { 'content-type': 'application/json', ...headers })
    .end(JSON.stringify(body));
}

/** GoTrue's two error shapes: {code, message} for API version 2024-01-01 (supabase-js), else the legacy one. */
function sendError(req, res, e, log) {
  const err = e instanceof AuthError ? e : new AuthError(500, 'unexpected_failure', e.message);
  if (err.status >= 500) log(`[auth] ${req.method} ${req.url}: ${err.message}`);
  const msg =
    err.status >= 500
      ? 'Unexpected failure, please check server logs for more information'
      : err.message;
  const code = err.status >= 500 ? 'unexpected_failure' : err.code;
  const version = String(req.headers['x-supabase-api-version'] ?? '');
  if (/^\d{4}-\d{2}-\d{2}$/.test(version) && version >= '2024-01-01') {
    send(
      res,
      err.status,
      { code, message: msg, ...err.extra },
      { 'x-supabase-api-version': '2024-01-01' },
    );
  } else {
    send(res, err.status, { code: err.status, error_code: code, msg, ...err.extra });
  }
}

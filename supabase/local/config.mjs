// The few supabase/config.toml settings the embedded stack honours, so that it
// behaves like `supabase start` with the same project file.
import fs from 'node:fs';
import path from 'node:path';

/** Just enough TOML for config.toml: [sections], key = string | number | boolean | [strings]. */
function parseToml(text) {
  const out = {};
  let section = out;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (!line || line.startsWith('#')) continue;
    const head = /^\[([^\]]+)\]$/.exec(line);
    if (head) {
      section = head[1].split('.').reduce((o, k) => (o[k] ??= {}), out);
      continue;
    }
    const kv = /^([\w-]+)\s*=\s*(.+)$/.exec(line);
    if (!kv) continue;
    try {
      section[kv[1]] = JSON.parse(kv[2]);
    } catch {
      section[kv[1]] = kv[2];
    }
  }
  return out;
}

/**
 * @param {string} supabaseDir
 * @returns {{ siteUrl: string, redirectUrls: string[], jwtExpiry: number, minPasswordLength: number,
 *             refreshTokenReuseInterval: number, signInRateLimit: number, doubleConfirmChanges: boolean,
 *             signupEnabled: boolean, maxRows: number | null, schemas: string[] }}
 */
export function readConfig(supabaseDir) {
  const file = path.join(supabaseDir, 'config.toml');
  const c = fs.existsSync(file) ? parseToml(fs.readFileSync(file, 'utf8')) : {};
  const auth = c.auth ?? {};
  return {
    siteUrl: auth.site_url ?? 'http://127.0.0.1:5173',
    redirectUrls: auth.additional_redirect_urls ?? [],
    jwtExpiry: Number(auth.jwt_expiry ?? 3600),
    minPasswordLength: Math.max(6, Number(auth.minimum_password_length ?? 6)),
    // GoTrue's defaults when config.toml says nothing.
    refreshTokenReuseInterval: Number(auth.refresh_token_reuse_interval ?? 10),
    signInRateLimit: Number(auth.rate_limit?.sign_in_sign_ups ?? 30),
    doubleConfirmChanges: auth.email?.double_confirm_changes ?? true,
    signupEnabled: (auth.enable_signup ?? true) && (auth.email?.enable_signup ?? true),
    maxRows: c.api?.max_rows ?? null,
    schemas: c.api?.schemas ?? ['public', 'graphql_public'],
  };
}

/** GoTrue's redirect allow-list globs: `**` any characters, `*` any but a slash or a dot. */
export function globMatch(pattern, value) {
  const re = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/.]*'),
    )
    .join('.*');
  return new RegExp(`^${re}$`).test(value);
}

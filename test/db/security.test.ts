// What a browser can learn or reach: the built bundle holds no secret, the API exposes exactly
// the contract's RPCs, and the embedded stack's own auth plumbing is closed to clients.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_RPCS, BROWSER_RPCS } from '../support/access';
import { DEMO, signedIn, stack } from '../support/db';

const REPO = path.resolve(import.meta.dirname, '../..');

describe('the built bundle', () => {
  it('contains the anon key and no service-role key or JWT secret', () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'creditdesk-bundle-'));
    try {
      // The secrets are in the build's environment too, as on a CI runner that also deploys
      // the backend: only VITE_* may reach the bundle, and nothing may copy the rest in.
      const build = spawnSync(
        'npx',
        ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'],
        {
          cwd: REPO,
          encoding: 'utf8',
          timeout: 240_000,
          env: {
            ...process.env,
            VITE_SUPABASE_URL: stack().url,
            VITE_SUPABASE_ANON_KEY: stack().anonKey,
            SUPABASE_SERVICE_ROLE_KEY: stack().serviceRoleKey,
            SUPABASE_JWT_SECRET: stack().jwtSecret,
            JWT_SECRET: stack().jwtSecret,
          },
        },
      );
      expect(build.status, `vite build failed:\n${build.stderr}\n${build.stdout}`).toBe(0);
      const files = fs
        .readdirSync(outDir, { recursive: true, encoding: 'utf8' })
        .filter((f) => fs.statSync(path.join(outDir, f)).isFile());
      const text = files.map((f) => fs.readFileSync(path.join(outDir, f), 'latin1')).join('\n');
      // Any JWT in the bundle, decoded: none may carry the service role.
      const jwts = [...new Set(text.match(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/g) ?? [])];
      const roles = jwts.map(
        (t) =>
          (JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString()) as { role?: string })
            .role,
      );
      const found = {
        anonKey: text.includes(stack().anonKey),
        serviceRoleKey: text.includes(stack().serviceRoleKey),
        serviceRoleSignature: text.includes(stack().serviceRoleKey.split('.')[2]),
        jwtSecret: text.includes(stack().jwtSecret),
        serviceRoleJwts: roles.filter((r) => r === 'service_role').length,
      };
      console.log(
        `security: bundle of ${files.length} files, ${(text.length / 1024).toFixed(0)} KB; JWTs found ${jwts.length} ` +
          `(roles ${roles.join(', ') || 'none'}); service-role key ${found.serviceRoleKey}, JWT secret ${found.jwtSecret}`,
      );
      expect(found).toEqual({
        anonKey: true,
        serviceRoleKey: false,
        serviceRoleSignature: false,
        jwtSecret: false,
        serviceRoleJwts: 0,
      });
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });
});

describe('what PostgREST exposes', () => {
  let adminToken: string;
  let customerToken: string;
  beforeAll(async () => {
    adminToken = (await (await signedIn(DEMO.admin)).auth.getSession()).data.session!.access_token;
    customerToken = (await (await signedIn(DEMO.customer)).auth.getSession()).data.session!
      .access_token;
  });

  async function openApi(token: string | null) {
    const key = token === stack().serviceRoleKey ? token : stack().anonKey;
    const res = await fetch(`${stack().url}/rest/v1/`, {
      headers: { apikey: key, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    expect(res.status).toBe(200);
    const paths = Object.keys(((await res.json()) as { paths: Record<string, unknown> }).paths);
    return {
      rpcs: paths
        .filter((p) => p.startsWith('/rpc/'))
        .map((p) => p.slice(5))
        .sort(),
      tables: paths.filter((p) => p !== '/' && !p.startsWith('/rpc/')).sort(),
    };
  }

  it('the RPCs in the OpenAPI document are exactly the contract, per caller', async () => {
    const anon = await openApi(null);
    const staff = await openApi(adminToken);
    const customer = await openApi(customerToken);
    const backend = await openApi(stack().serviceRoleKey);
    console.log(
      `security: OpenAPI /rpc/ paths: anon ${anon.rpcs.length} (tables ${anon.tables.length}); ` +
        `staff ${staff.rpcs.length} [${staff.rpcs.join(', ')}]; non-staff user ${customer.rpcs.length}; ` +
        `service role ${backend.rpcs.length} [${backend.rpcs.join(', ')}]`,
    );
    expect(anon).toEqual({ rpcs: [], tables: [] });
    expect(staff.rpcs).toEqual(BROWSER_RPCS);
    // Privileges are per database role: a signed-in stranger sees the same list (and every
    // function refuses them; test/native/security-catalog checks each one).
    expect(customer.rpcs).toEqual(BROWSER_RPCS);
    expect(backend.rpcs).toEqual(BACKEND_RPCS);
  });

  it("the embedded stack's local_auth schema is closed to anon and signed-in users", async () => {
    const replies: number[] = [];
    for (const token of [null, customerToken, adminToken]) {
      const res = await fetch(`${stack().url}/rest/v1/rpc/sign_in_password`, {
        method: 'POST',
        headers: {
          apikey: stack().anonKey,
          'content-type': 'application/json',
          'content-profile': 'local_auth',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ p_email: DEMO.admin, p_password: 'guess' }),
      });
      await res.arrayBuffer();
      replies.push(res.status);
    }
    console.log(
      `security: local_auth.sign_in_password over /rest/v1 as anon/customer/admin → ${replies.join('/')}`,
    );
    expect(replies).toEqual([401, 403, 403]);
  });

  it('public sign-up is off: a stranger cannot create an account', async () => {
    const res = await fetch(`${stack().url}/auth/v1/signup`, {
      method: 'POST',
      headers: { apikey: stack().anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `stranger-${Date.now()}@example.com`,
        password: 'a-long-enough-password',
      }),
    });
    const body = (await res.json()) as { msg?: string; message?: string; error_code?: string };
    console.log(
      `security: anonymous sign-up → ${res.status} ${body.error_code ?? ''} ${body.msg ?? body.message ?? ''}`,
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

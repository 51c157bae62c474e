// How long a failed sign-in takes for an address with an account and for one without, through
// the gateway of a fresh embedded stack: if the two differ, the answer's timing tells an
// outsider which addresses are accounts (issue 17.5). Prints the medians and their ratio.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack } from '../../supabase/local/stack.mjs';
import { log, median, percentile } from '../lib/common.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 41);
// Well inside the sign-in limit per address and email, so no answer is a 429.
const PER_ACCOUNT = 3;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'creditdesk-bench-auth-'));
const stack = await startStack({ dataDir, reset: true, port: 0, quiet: true, seed: false });
try {
  const call = (p, body, key = stack.anonKey) =>
    fetch(`${stack.url}/auth/v1${p}`, {
      method: 'POST',
      headers: { apikey: key, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const accounts = [];
  for (let i = 0; i < Math.ceil(RUNS / PER_ACCOUNT); i++) {
    const email = `bench-auth-${i}@example.com`;
    const r = await call(
      '/admin/users',
      { email, password: 'a-long-enough-password', email_confirm: true },
      stack.serviceRoleKey,
    );
    if (!r.ok) throw new Error(`createUser: ${r.status} ${await r.text()}`);
    accounts.push(email);
  }
  const timed = async (email) => {
    const t = performance.now();
    const r = await call('/token?grant_type=password', { email, password: 'not-the-password' });
    await r.arrayBuffer();
    if (r.status !== 400) throw new Error(`sign-in as ${email}: ${r.status}, expected 400`);
    return performance.now() - t;
  };
  const known = [];
  const unknown = [];
  // Interleaved, so a slow patch of the machine hits both series alike.
  for (let i = 0; i < RUNS; i++) {
    known.push(await timed(accounts[i % accounts.length]));
    unknown.push(await timed(`nobody-${i}@example.com`));
  }
  const row = (name, xs) =>
    `${name.padEnd(28)} median ${median(xs).toFixed(1).padStart(6)} ms   p90 ${percentile(xs, 0.9)
      .toFixed(1)
      .padStart(6)} ms`;
  log(`failed sign-ins, ${RUNS} each, through the gateway:`);
  log(row('email with an account', known));
  log(row('email without an account', unknown));
  log(`ratio (with / without): ${(median(known) / median(unknown)).toFixed(2)}`);
} finally {
  await stack.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

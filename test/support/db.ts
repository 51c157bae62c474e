import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { inject } from 'vitest';
import ws from 'ws';
import type { Database } from '@/types/database';
import { DEMO_PASSWORD } from '../../supabase/local/keys.mjs';

export type Client = SupabaseClient<Database>;
export { DEMO_EMAILS as DEMO, DEMO_PASSWORD } from '../../supabase/local/keys.mjs';

export const stack = () => inject('stack');

// Node 20 has no global WebSocket; supabase-js builds its realtime client eagerly.
const options = {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  realtime: { transport: ws as never },
};

export const anonClient = (): Client =>
  createClient<Database>(stack().url, stack().anonKey, options);
export const serviceClient = (): Client =>
  createClient<Database>(stack().url, stack().serviceRoleKey, options);

/** A supabase-js client signed in through the stack's auth endpoints, as the browser would be. */
export async function signedIn(email: string, password = DEMO_PASSWORD): Promise<Client> {
  const client = anonClient();
  const { error } = await client.auth.signInWithPassword({ email, password });
  if (error) throw new Error(`sign-in as ${email} failed: ${error.message}`);
  return client;
}

let counter = 0;
export const unique = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 7)}`;

/** A new Auth user (not staff unless a role is given), signed in. */
export async function newUser(
  role?: 'admin' | 'support' | 'finance',
  opts: { disabled?: boolean } = {},
) {
  const email = `${unique('user')}@test.creditdesk.dev`;
  const service = serviceClient();
  const { data, error } = await service.auth.admin.createUser({
    email,
    password: DEMO_PASSWORD,
    email_confirm: true,
  });
  if (error || !data.user) throw new Error(`createUser failed: ${error?.message}`);
  if (role) {
    const { error: staffError } = await service
      .from('staff')
      .insert({ user_id: data.user.id, email, role, disabled: opts.disabled ?? false });
    if (staffError) throw new Error(`staff insert failed: ${staffError.message}`);
  }
  return { id: data.user.id, email, client: await signedIn(email) };
}

/** A fresh customer owned by the test, optionally funded through the ledger by an admin. */
export async function newCustomer(admin: Client, credits = 0) {
  const id = unique('cust');
  const { error } = await serviceClient()
    .from('customers')
    .insert({ id, email: `${id}@example.com` });
  if (error) throw new Error(`customer insert failed: ${error.message}`);
  if (credits > 0) {
    const { error: e2 } = await admin.rpc('adjust_credits', {
      p_customer_id: id,
      p_delta: credits,
      p_reason: 'test funding',
      p_idempotency_key: unique('fund'),
    });
    if (e2) throw new Error(`funding failed: ${e2.message}`);
  }
  return id;
}

/** Every row of a query, page by page: PostgREST caps one response at db-max-rows like hosted. */
export async function allRows<T>(
  page: (from: number, to: number) => PromiseLike<{ data: T[] | null; error: unknown }>,
) {
  const out: T[] = [];
  for (let from = 0; ; from += 1000) {
    const { data, error } = await page(from, from + 999);
    if (error) throw error;
    out.push(...(data ?? []));
    if (!data || data.length < 1000) return out;
  }
}

/**
 * Checks balance row = credits = sum(delta) = latest balance_after = sum of the blocks' remaining for the given
 * customers, and original − remaining = sum of draws for their blocks; returns the violations.
 */
export async function ledgerViolations(customerIds: string[], service: Client = serviceClient()) {
  const problems: string[] = [];
  // One request per chunk, so one statement and one snapshot: the stack's expiry job writes to
  // seed customers at any moment, and separate reads of balances, entries and blocks could see
  // a write between them and report a violation that never existed. Chunks keep the `in.(...)`
  // filter well inside URL limits; embedded rows are not capped by db-max-rows.
  for (let i = 0; i < customerIds.length; i += 100) {
    const chunk = customerIds.slice(i, i + 100);
    const { data: customers, error } = await service
      .from('customers')
      .select(
        'id, credits, customer_balances(credits), credit_transactions(id, delta, balance_after), credit_blocks(id, original, remaining, credit_block_draws(amount))',
      )
      .in('id', chunk)
      .order('id')
      .order('id', { referencedTable: 'credit_transactions' });
    if (error) throw error;
    for (const c of customers ?? []) {
      // The balance row is the one source; customers.credits follows it by a foreign key.
      const balance = c.customer_balances?.credits;
      if (balance !== c.credits)
        problems.push(`${c.id}: balance row ${balance} ≠ customers.credits ${c.credits}`);
      let running = 0;
      for (const r of c.credit_transactions) {
        running += r.delta;
        if (r.balance_after !== running)
          problems.push(`${c.id}: tx ${r.id} balance_after ${r.balance_after} ≠ ${running}`);
      }
      if (running !== c.credits)
        problems.push(`${c.id}: credits ${c.credits} ≠ sum(delta) ${running}`);
      const held = c.credit_blocks.reduce((n, b) => n + b.remaining, 0);
      if (held !== c.credits)
        problems.push(`${c.id}: credits ${c.credits} ≠ blocks' remaining ${held}`);
      for (const b of c.credit_blocks) {
        const drawn = b.credit_block_draws.reduce((n, d) => n + d.amount, 0);
        if (b.original - b.remaining !== drawn)
          problems.push(
            `block ${b.id}: original − remaining ${b.original - b.remaining} ≠ draws ${drawn}`,
          );
      }
    }
  }
  return problems;
}

export async function auditRows(filter: { record_id: string; action?: string }) {
  let query = serviceClient().from('admin_audit').select('*').eq('record_id', filter.record_id);
  if (filter.action) query = query.eq('action', filter.action);
  const { data, error } = await query.order('id');
  if (error) throw error;
  return data ?? [];
}

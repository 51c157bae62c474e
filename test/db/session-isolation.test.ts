// PGlite is one Postgres session behind PostgREST. Interleaved requests as anon, a non-staff
// user and an admin, some of them writing, must never see each other's role or rows.
import { beforeAll, describe, expect, it } from 'vitest';
import { anonClient, DEMO, newCustomer, signedIn, unique, type Client } from '../support/db';

let admin: Client;
let customer: Client;
let target: string;

beforeAll(async () => {
  admin = await signedIn(DEMO.admin);
  customer = await signedIn(DEMO.customer);
  target = await newCustomer(admin, 1000);
});

describe('request isolation', () => {
  it('60 interleaved requests keep their own identity', async () => {
    const anon = anonClient();
    const jobs: PromiseLike<string | null>[] = [];
    for (let i = 0; i < 20; i++) {
      jobs.push(
        anon
          .from('customers')
          .select('id')
          .limit(5)
          .then((r) => (r.status === 401 ? null : `anon saw ${r.status} ${r.data?.length}`)),
        customer
          .from('customers')
          .select('id')
          .limit(5)
          .then((r) => (r.error || r.data!.length ? `customer saw ${r.data?.length} rows` : null)),
        i % 2
          ? admin
              .from('customers')
              .select('id')
              .limit(5)
              .then((r) => (r.data?.length === 5 ? null : `admin saw ${r.data?.length}`))
          : admin
              .rpc('adjust_credits', {
                p_customer_id: target,
                p_delta: 1,
                p_reason: 'isolation',
                p_idempotency_key: unique('iso'),
              })
              .then((r) => (r.error ? `admin write failed: ${r.error.message}` : null)),
      );
    }
    const whoamis = await Promise.all([
      customer.rpc('whoami'),
      admin.rpc('whoami'),
      customer.rpc('whoami'),
    ]);
    expect(whoamis.map((w) => (w.data as { role: string | null }).role)).toEqual([
      null,
      'admin',
      null,
    ]);
    expect((await Promise.all(jobs)).filter(Boolean)).toEqual([]);
    const { data } = await admin.from('customers').select('credits').eq('id', target).single();
    expect(data!.credits).toBe(1010);
  });
});

// The product's write path under a short same-customer storm on a native Postgres: several
// backend clients per customer run the documented path (one transaction inserts a generation
// and charges it; a failed one is marked failed and refunded), while staff adjust and refund
// the same customers through PostgREST. Any deadlock or any other failure fails the test, and
// so does any break of the ledger invariant, of a generation's charge/refund, or of the
// dashboard rollups against the raw rows. Figures are printed, not timed.
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  DEMO,
  ledgerViolations,
  newCustomer,
  serviceClient,
  signedIn,
  type Client,
} from '../support/db';
import { serviceTransaction } from '../support/service-transaction.mjs';

const databaseUrl = inject('databaseUrl');

const CUSTOMERS = 4;
const CLIENTS_PER_CUSTOMER = 4;
const GENERATIONS_PER_CLIENT = 30;
const FAIL_SHARE = 0.25;
const STAFF_CLIENTS = 3;
const STAFF_CALLS = 25;

describe.skipIf(!databaseUrl)('write path storm on a native Postgres', () => {
  let pool: pg.Pool;
  let admin: Client;
  beforeAll(async () => {
    pool = new pg.Pool({
      connectionString: databaseUrl!,
      max: CUSTOMERS * CLIENTS_PER_CUSTOMER + 2,
    });
    admin = await signedIn(DEMO.admin);
  });
  afterAll(async () => {
    await pool?.end();
  });

  /** One backend transaction as the service role, the way PostgREST runs a service-key call. */
  const asBackend = (fn: (c: pg.PoolClient) => Promise<void>) => serviceTransaction(pool)(fn);

  it(`${CUSTOMERS} customers × ${CLIENTS_PER_CUSTOMER} backend clients + ${STAFF_CLIENTS} staff: no deadlock, no failure, ledger and rollups exact`, async () => {
    const customers = await Promise.all(
      Array.from({ length: CUSTOMERS }, () => newCustomer(admin, 100_000)),
    );
    const failed: { id: string; customer: string }[] = [];
    const errors: string[] = [];
    let charged = 0;
    let refunded = 0;
    const note = (e: unknown) => {
      const err = e as { code?: string; message?: string };
      errors.push(`${err.code ?? '?'} ${err.message ?? String(e)}`);
    };

    const backend = async (customer: string) => {
      for (let i = 0; i < GENERATIONS_PER_CLIENT; i++) {
        const id = crypto.randomUUID();
        const failing = Math.random() < FAIL_SHARE;
        try {
          await asBackend(async (c) => {
            await c.query(
              `insert into public.generations (id, customer_id, provider, model, status, cost_usd)
               values ($1, $2, $3, 'storm-model', $4, 0.01)`,
              [id, customer, i % 2 ? 'fal' : 'wavespeed', failing ? 'processing' : 'succeeded'],
            );
            await c.query('select public.consume_credits($1, 3, $2)', [customer, id]);
          });
          charged++;
        } catch (e) {
          note(e);
          continue;
        }
        if (!failing) continue;
        try {
          await asBackend(async (c) => {
            await c.query("update public.generations set status = 'failed' where id = $1", [id]);
            // Half of them the backend refunds itself; staff refund the rest.
            if (i % 2) await c.query('select public.refund_credits($1, null, $2)', [customer, id]);
          });
          if (i % 2) refunded++;
          else failed.push({ id, customer });
        } catch (e) {
          note(e);
        }
      }
    };

    const staffClients = await Promise.all(
      Array.from({ length: STAFF_CLIENTS }, (_, i) => signedIn(i % 2 ? DEMO.support : DEMO.admin)),
    );
    let staffRefunds = 0;
    const staff = async (client: Client, n: number) => {
      for (let i = 0; i < STAFF_CALLS; i++) {
        const gen = failed.shift();
        const { error } = gen
          ? await client.rpc('refund_generation', { p_generation_id: gen.id, p_reason: 'Storm' })
          : await client.rpc('adjust_credits', {
              p_customer_id: customers[(i + n) % CUSTOMERS],
              p_delta: i % 2 ? 2 : -2,
              p_reason: 'Storm adjustment',
              p_idempotency_key: crypto.randomUUID(),
            });
        if (error) errors.push(`${error.code} ${error.message}`);
        else if (gen) staffRefunds++;
      }
    };

    const t0 = performance.now();
    await Promise.all([
      ...customers.flatMap((c) => Array.from({ length: CLIENTS_PER_CUSTOMER }, () => backend(c))),
      ...staffClients.map((c, n) => staff(c, n)),
    ]);
    // What the staff clients did not get to, the backend refunds now (not concurrently).
    for (const g of failed.splice(0))
      await asBackend(async (c) => {
        await c.query('select public.refund_credits($1, null, $2)', [g.customer, g.id]);
      });
    const seconds = (performance.now() - t0) / 1000;

    const { rows: gen } = await pool.query(
      `select count(*)::int as generations,
              count(*) filter (where g.credits_charged <> coalesce(t.spent, 0)
                or (g.status = 'failed') <> (coalesce(t.refunds, 0) = 1)
                or (g.refunded_at is not null) <> (coalesce(t.refunds, 0) = 1)
                or coalesce(t.refunds, 0) > 1
                or (t.refunds = 1 and t.refunded <> g.credits_charged))::int as broken
         from public.generations g
         left join (select ref_id, sum(-delta) filter (where type = 'spend') as spent,
                           sum(delta) filter (where type = 'refund') as refunded,
                           count(*) filter (where type = 'refund') as refunds
                      from public.credit_transactions where ref_type = 'generation'
                     group by ref_id) t on t.ref_id = g.id
        where g.customer_id = any($1)`,
      [customers],
    );
    const violations = await ledgerViolations(customers, serviceClient());

    // The dashboard (rollups) counts exactly the raw generations of today.
    const today = new Date().toISOString().slice(0, 10);
    const dash = await admin.rpc('dashboard_metrics', { p_from: today, p_to: today });
    const { rows: raw } = await pool.query(
      `select count(*)::int as n from public.generations
        where (created_at at time zone 'UTC')::date = $1::date`,
      [today],
    );

    console.log(
      `write storm: ${charged} generations charged by ${CUSTOMERS * CLIENTS_PER_CUSTOMER} backend clients on ` +
        `${CUSTOMERS} customers, ${refunded} refunded by the backend and ${staffRefunds} by staff, ` +
        `${STAFF_CLIENTS * STAFF_CALLS - staffRefunds} staff adjustments, in ${seconds.toFixed(1)} s; ` +
        `errors ${errors.length} (deadlocks ${errors.filter((e) => e.startsWith('40P01')).length}); ` +
        `generations with a wrong charge or refund ${gen[0].broken}; ledger violations ${violations.length}; ` +
        `dashboard today ${(dash.data as { generations?: number } | null)?.generations} vs raw ${raw[0].n}`,
    );
    expect(errors.slice(0, 5)).toEqual([]);
    expect(charged).toBe(CUSTOMERS * CLIENTS_PER_CUSTOMER * GENERATIONS_PER_CLIENT);
    expect(gen[0]).toEqual({ generations: charged, broken: 0 });
    expect(violations).toEqual([]);
    expect(dash.error).toBeNull();
    expect(Number((dash.data as { generations: number }).generations)).toBe(raw[0].n);
  });

  it('a spend waiting on the customer lock while a disable commits is refused', async () => {
    const customer = await newCustomer(admin, 50);
    const disabler = new pg.Client({ connectionString: databaseUrl! });
    await disabler.connect();
    try {
      await disabler.query('begin');
      await disabler.query('update public.customers set disabled = true where id = $1', [customer]);
      // Promise.resolve sends it now (a query builder only runs when awaited).
      const spend = Promise.resolve(
        serviceClient().rpc('consume_credits', { p_customer_id: customer, p_amount: 5 }),
      );
      // Commit only once the spend is really queued behind the disable's row lock (by pid:
      // the test's role may not read other roles' query text).
      const { rows: me } = await disabler.query('select pg_backend_pid() as pid');
      for (let i = 0; ; i++) {
        const { rows } = await pool.query(
          'select count(*)::int as n from pg_stat_activity where $1 = any(pg_blocking_pids(pid))',
          [me[0].pid],
        );
        if (rows[0].n > 0) break;
        if (i > 400) throw new Error('the spend never waited on the customer lock');
        await new Promise((r) => setTimeout(r, 25));
      }
      await disabler.query('commit');
      const { error, status } = await spend;
      expect(status).toBe(409);
      expect(error?.message).toMatch(/disabled; it cannot spend credits/);
    } finally {
      await disabler.end();
    }
    const { data } = await serviceClient()
      .from('customers')
      .select('credits')
      .eq('id', customer)
      .single();
    expect(data!.credits).toBe(50);
    expect(await ledgerViolations([customer])).toEqual([]);
  });
});

// customer_monthly_costs is kept by the periodic fold from the generation deltas, not by the
// generation trigger (supabase/schemas/70_rollups.sql, "The monthly costs"), and readers add
// the unfolded tail. On a native Postgres, where sessions really run in parallel: a generation
// that commits after a fold took its snapshot is left for the next fold and counted exactly
// once; and under a storm of inserts, cost and status updates, moves across a month boundary
// and deletes, with folds running all the while, every snapshot shows monthly rows plus tail
// equal to the raw rows, the top customers by cost equal a direct grouping, and after a last
// fold the monthly rows alone equal the raw rows. Figures are printed, not timed.
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { unique } from '../support/db';

const databaseUrl = inject('databaseUrl');

const CUSTOMERS = 40; // more than the 32 each monthly list is first read to
const WRITERS = 8;
const OPS_PER_WRITER = 40;
const FOLD_LOCK = "hashtext('creditdesk.fold_dashboard_rollups')";
// Days on both sides of a month boundary, in a year no other test writes.
const DAYS = ['2018-03-30', '2018-03-31', '2018-04-01', '2018-04-02'];
const RANGES = [
  ['2018-03-01', '2018-03-31'],
  ['2018-03-31', '2018-04-01'],
  ['2018-03-02', '2018-04-30'],
];

const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
const cents = () => (Math.floor(Math.random() * 300) / 100).toFixed(2);
const at = () =>
  `${pick(DAYS)}T${String(Math.floor(Math.random() * 24)).padStart(2, '0')}:${String(Math.floor(Math.random() * 60)).padStart(2, '0')}:00Z`;

/**
 * (customer, month) cost and count as readers see them (monthly rows plus the unfolded
 * deltas) against the raw generations, in one snapshot: the rows that differ.
 */
const MONTHLY_VS_RAW = `
  with raw as (
    select customer_id, date_trunc('month', created_at at time zone 'UTC')::date as month,
           sum(cost_usd)::numeric(18, 6) as cost, count(*)::bigint as n
      from public.generations where provider = $1 group by 1, 2
  ), seen as (
    select customer_id, month, sum(cost)::numeric(18, 6) as cost, sum(n)::bigint as n
      from (select customer_id, month, cost_usd as cost, generations as n
              from public.customer_monthly_costs where provider = $1
            union all
            select customer_id, date_trunc('month', day)::date, cost_usd, calls
              from public.generation_daily_deltas where provider = $1 and $2) x
     group by 1, 2 having sum(n) <> 0 or sum(cost) <> 0
  )
  select * from ((table raw except table seen) union all (table seen except table raw)) d`;

const TOP = `select customer_id, cost_usd::numeric(18, 6)::text as cost, generations::int as n
               from private.top_customers_by_cost($1::date, $2::date, $3, 5)`;
const RAW_TOP = `
  select customer_id, sum(cost_usd)::numeric(18, 6)::text as cost, count(*)::int as n
    from public.generations
   where provider = $3 and created_at >= $1::date::timestamp at time zone 'UTC'
     and created_at < ($2::date + 1)::timestamp at time zone 'UTC'
   group by customer_id order by sum(cost_usd) desc, customer_id limit 5`;

describe.skipIf(!databaseUrl)('customer_monthly_costs folded under concurrency', () => {
  let pool: pg.Pool;
  const customers = Array.from({ length: CUSTOMERS }, () => unique('mcost'));
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: databaseUrl!, max: WRITERS + 4 });
    await pool.query(
      `insert into public.customers (id, email) select c, c || '@example.com' from unnest($1::text[]) c`,
      [customers],
    );
  });
  afterAll(async () => {
    await pool?.end();
  });

  const insertGeneration = (
    c: pg.Pool | pg.PoolClient,
    provider: string,
    customer: string,
    cost: string,
    created: string,
  ) =>
    c.query(
      `insert into public.generations (id, customer_id, provider, model, status, cost_usd, created_at)
       values ($1, $2, $3, 'fold-model', 'succeeded', $4, $5) returning id`,
      [crypto.randomUUID(), customer, provider, cost, created],
    );

  /** Folds until a fold ran (the stack's timer may hold the fold's lock for a moment). */
  async function foldNow() {
    for (;;) {
      const { rows } = await pool.query('select private.fold_dashboard_rollups() as r');
      if (rows[0].r.folded) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('a generation committed after the fold took its snapshot is folded by the next fold, once', async () => {
    const P = unique('fold');
    const [x, y] = customers;
    await insertGeneration(pool, P, y, '1.00', '2018-03-31T12:00:00Z');
    await foldNow(); // y's monthly row exists now
    await insertGeneration(pool, P, y, '0.25', '2018-03-31T13:00:00Z'); // y's next delta

    const writer = await pool.connect();
    const locker = await pool.connect();
    const folder = await pool.connect();
    try {
      // This session's fold for sure: it takes the fold's lock first (the fold's own try-lock
      // is then granted again to the same transaction), so the stack's timer cannot fold
      // meanwhile. First, so a timer's fold under way finishes before y's row is held.
      await folder.query('begin');
      await folder.query(`select pg_advisory_xact_lock(${FOLD_LOCK})`);
      // The late generation: inserted, not committed yet.
      await writer.query('begin');
      await insertGeneration(writer, P, x, '2.50', '2018-03-31T14:00:00Z');
      // Hold y's monthly row, so the fold waits on it mid-statement, after its snapshot.
      await locker.query('begin');
      await locker.query(
        `select 1 from public.customer_monthly_costs where customer_id = $1 and provider = $2 for update`,
        [y, P],
      );
      const { rows: me } = await folder.query('select pg_backend_pid() as pid');
      const { rows: lockerPid } = await locker.query('select pg_backend_pid() as pid');
      const folding = folder.query('select private.fold_dashboard_rollups() as r');
      for (let i = 0; ; i++) {
        const { rows } = await pool.query('select $2::int = any(pg_blocking_pids($1)) as blocked', [
          me[0].pid,
          lockerPid[0].pid,
        ]);
        if (rows[0].blocked) break;
        if (i > 400) throw new Error('the fold never waited on the held monthly row');
        await new Promise((r) => setTimeout(r, 25));
      }
      await writer.query('commit'); // while the fold is between its snapshot and its commit
      await locker.query('commit');
      expect((await folding).rows[0].r).toMatchObject({ folded: true });
      await folder.query('commit');
    } finally {
      for (const c of [writer, locker, folder]) {
        await c.query('rollback').catch(() => {});
        c.release();
      }
    }

    const monthly = async (customer: string) =>
      (
        await pool.query(
          `select cost_usd::text as cost, generations::int as n from public.customer_monthly_costs
            where customer_id = $1 and provider = $2`,
          [customer, P],
        )
      ).rows;
    const deltas = async (customer: string) =>
      (
        await pool.query(
          `select count(*)::int as n from public.generation_daily_deltas where customer_id = $1 and provider = $2`,
          [customer, P],
        )
      ).rows[0].n;
    // The fold took y's second delta but not x's: x committed after the fold's snapshot.
    expect(await monthly(y)).toEqual([{ cost: '1.250000', n: 2 }]);
    expect(await monthly(x)).toEqual([]);
    expect(await deltas(x)).toBe(1);
    // Readers add it from the tail meanwhile.
    expect((await pool.query(MONTHLY_VS_RAW, [P, true])).rows).toEqual([]);
    expect((await pool.query(TOP, ['2018-03-01', '2018-03-31', P])).rows).toEqual(
      (await pool.query(RAW_TOP, ['2018-03-01', '2018-03-31', P])).rows,
    );
    // The next fold takes it, once.
    await foldNow();
    expect(await monthly(x)).toEqual([{ cost: '2.500000', n: 1 }]);
    expect(await deltas(x)).toBe(0);
    expect((await pool.query(MONTHLY_VS_RAW, [P, false])).rows).toEqual([]);
  });

  it(`${WRITERS} writers × ${OPS_PER_WRITER} generation writes while folds run: monthly rows plus tail exact in every snapshot, exact after the last fold`, async () => {
    const P = unique('fold');
    const committed: string[] = [];
    const errors: string[] = [];
    let writing = true;
    let writes = 0;

    const writer = async () => {
      for (let i = 0; i < OPS_PER_WRITER; i++) {
        const c = await pool.connect();
        try {
          await c.query('begin');
          const r = Math.random();
          let ids: string[] = [];
          if (r < 0.55 || committed.length < 10) {
            // One or three generations in one statement (the trigger sees a bulk insert).
            const n = Math.random() < 0.3 ? 3 : 1;
            const { rows } = await c.query(
              `insert into public.generations (id, customer_id, provider, model, status, cost_usd, created_at)
               select gen_random_uuid()::text, c, $3, 'fold-model', s, v::numeric, t::timestamptz
                 from unnest($1::text[], $2::text[], $4::text[], $5::text[]) as u(c, v, s, t)
               returning id`,
              [
                Array.from({ length: n }, () => pick(customers)),
                Array.from({ length: n }, cents),
                P,
                Array.from({ length: n }, () => pick(['pending', 'succeeded', 'failed'])),
                Array.from({ length: n }, at),
              ],
            );
            ids = rows.map((row) => row.id as string);
          } else if (r < 0.8) {
            // A late finish: an old generation's cost and status.
            await c.query(
              `update public.generations set cost_usd = $2, status = $3 where id = $1`,
              [pick(committed), cents(), pick(['succeeded', 'failed', 'cancelled'])],
            );
          } else if (r < 0.92) {
            // Moved to another day (maybe across the month boundary) or customer.
            await c.query(
              `update public.generations set created_at = $2, customer_id = $3 where id = $1`,
              [pick(committed), at(), pick(customers)],
            );
          } else {
            await c.query(`delete from public.generations where id = $1`, [pick(committed)]);
          }
          // Commit a little later, so commits land while a fold is between snapshot and commit.
          await c.query('select pg_sleep($1)', [Math.random() * 0.015]);
          await c.query('commit');
          committed.push(...ids);
          writes++;
        } catch (e) {
          await c.query('rollback').catch(() => {});
          const err = e as { code?: string; message?: string };
          errors.push(`${err.code ?? '?'} ${err.message ?? String(e)}`);
        } finally {
          c.release();
        }
      }
    };

    let folds = 0;
    const folder = async () => {
      while (writing) {
        const { rows } = await pool.query('select private.fold_dashboard_rollups() as r');
        if (rows[0].r.folded) folds++;
        await new Promise((r) => setTimeout(r, Math.random() * 30));
      }
    };

    // A reader's snapshot, taken at random moments of the storm.
    let checks = 0;
    let withTail = 0;
    const mismatches: string[] = [];
    const checker = async () => {
      while (writing) {
        const c = await pool.connect();
        try {
          await c.query('begin isolation level repeatable read');
          const { rows: differ } = await c.query(MONTHLY_VS_RAW, [P, true]);
          if (differ.length) mismatches.push(`monthly: ${JSON.stringify(differ.slice(0, 3))}`);
          for (const [from, to] of RANGES) {
            const got = (await c.query(TOP, [from, to, P])).rows;
            const want = (await c.query(RAW_TOP, [from, to, P])).rows;
            if (JSON.stringify(got) !== JSON.stringify(want))
              mismatches.push(
                `top ${from}..${to}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`,
              );
          }
          const { rows: tail } = await c.query(
            'select count(*)::int as n from public.generation_daily_deltas where provider = $1',
            [P],
          );
          if (tail[0].n > 0) withTail++;
          checks++;
          await c.query('commit');
        } finally {
          await c.query('rollback').catch(() => {});
          c.release();
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    };

    const t0 = performance.now();
    const writers = Promise.all(Array.from({ length: WRITERS }, writer)).finally(() => {
      writing = false;
    });
    await Promise.all([writers, folder(), checker()]);
    const seconds = (performance.now() - t0) / 1000;

    await foldNow();
    const { rows: left } = await pool.query(
      'select count(*)::int as n from public.generation_daily_deltas where provider = $1',
      [P],
    );
    const { rows: finalDiffer } = await pool.query(MONTHLY_VS_RAW, [P, false]);
    const finalTop: string[] = [];
    for (const [from, to] of RANGES) {
      const got = (await pool.query(TOP, [from, to, P])).rows;
      const want = (await pool.query(RAW_TOP, [from, to, P])).rows;
      if (JSON.stringify(got) !== JSON.stringify(want)) finalTop.push(`${from}..${to}`);
    }
    const { rows: raw } = await pool.query(
      'select count(*)::int as n from public.generations where provider = $1',
      [P],
    );
    console.log(
      `monthly-cost fold storm: ${writes} writes by ${WRITERS} clients (${raw[0].n} generations left), ` +
        `${folds} folds meanwhile, in ${seconds.toFixed(1)} s; ${checks} snapshot checks (${withTail} with a tail), ` +
        `${mismatches.length} mismatches; errors ${errors.length}; after the last fold: ${finalDiffer.length} ` +
        `monthly rows differ, top differs for ${finalTop.length} ranges, ${left[0].n} deltas left`,
    );
    expect(errors.slice(0, 5)).toEqual([]);
    expect(writes).toBe(WRITERS * OPS_PER_WRITER);
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(folds).toBeGreaterThanOrEqual(3);
    expect(checks).toBeGreaterThanOrEqual(3);
    expect(finalDiffer).toEqual([]);
    expect(finalTop).toEqual([]);
    expect(left[0].n).toBe(0);
  });
});

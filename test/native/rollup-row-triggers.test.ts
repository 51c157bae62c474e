// The generation rollups are row triggers (supabase/schemas/70_rollups.sql,
// private.rollup_generations). Two things only a direct session can see: an update that keeps
// a generation's (day, provider, customer) adjusts its customer_daily_activity row in place —
// never empties and refills it, never records an activity change — and the dashboard's figures
// equal the raw rows after inserts, status changes, a day and a provider move, deletes, a fold
// and a TRUNCATE. Everything runs in one transaction that is rolled back, so the TRUNCATE
// leaves the cluster's other rows alone; the transaction holds the fold's lock, so the stack's
// timer cannot fold in between (its folds would not see these rows anyway).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO, signedIn, unique } from '../support/db';
import { decodeDashboardMetrics } from '@/dashboards/columns';
import type { DashboardMetricsAnswer } from '@/providers/rpcTypes';

const databaseUrl = inject('databaseUrl');
const FOLD_LOCK = "hashtext('creditdesk.fold_dashboard_rollups')";
// Days in a year no other test writes.
const FROM = '2016-08-01';
const TO = '2016-08-09';

/** Rollup rows (folded plus the unfolded tail) that differ from a direct grouping of the raw rows. */
const ROLLUPS_VS_RAW = `
  with raw_stats as (
    select (created_at at time zone 'UTC')::date as day, provider, coalesce(model, '') as model, status,
           count(*)::bigint as calls, sum(credits_charged)::bigint as credits,
           sum(cost_usd)::numeric(18, 6) as cost, coalesce(sum(latency_ms), 0)::bigint as latency,
           count(latency_ms)::bigint as timed, count(refunded_at)::bigint as refunded
      from public.generations where provider = any($1) group by 1, 2, 3, 4
  ), stats as (
    select day, provider, model, status, sum(calls)::bigint, sum(credits_charged)::bigint,
           sum(cost_usd)::numeric(18, 6), sum(latency_ms_sum)::bigint, sum(latency_count)::bigint,
           sum(refunded)::bigint
      from (select day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum,
                   latency_count, refunded from public.generation_daily_stats
            union all
            select day, provider, model, status, calls, credits_charged, cost_usd, latency_ms_sum,
                   latency_count, refunded from public.generation_daily_deltas) s
     where provider = any($1) group by 1, 2, 3, 4
    having sum(calls) <> 0 or sum(credits_charged) <> 0 or sum(cost_usd) <> 0
        or sum(latency_ms_sum) <> 0 or sum(latency_count) <> 0 or sum(refunded) <> 0
  ), raw_activity as (
    select (created_at at time zone 'UTC')::date as day, provider, customer_id,
           count(*)::bigint as n, sum(cost_usd)::numeric(18, 6) as cost
      from public.generations where provider = any($1) group by 1, 2, 3
  ), activity as (
    select day, provider, customer_id, generations, cost_usd::numeric(18, 6)
      from public.customer_daily_activity where provider = any($1)
  ), raw_monthly as (
    select customer_id, date_trunc('month', created_at at time zone 'UTC')::date as month, provider,
           count(*)::bigint as n, sum(cost_usd)::numeric(18, 6) as cost
      from public.generations where provider = any($1) group by 1, 2, 3
  ), monthly as (
    select customer_id, month, provider, sum(n)::bigint, sum(cost)::numeric(18, 6)
      from (select customer_id, month, provider, generations as n, cost_usd as cost
              from public.customer_monthly_costs
            union all
            select customer_id, date_trunc('month', day)::date, provider, calls, cost_usd
              from public.generation_daily_deltas) m
     where provider = any($1) group by 1, 2, 3 having sum(n) <> 0 or sum(cost) <> 0
  )
  select 'stats' as t, row_to_json(d)::text as r
    from ((table raw_stats except table stats) union all (table stats except table raw_stats)) d
  union all
  select 'activity', row_to_json(d)::text
    from ((table raw_activity except table activity) union all (table activity except table raw_activity)) d
  union all
  select 'monthly', row_to_json(d)::text
    from ((table raw_monthly except table monthly) union all (table monthly except table raw_monthly)) d`;

const money = (n: unknown) => Math.round(Number(n) * 1e6) / 1e6;

describe.skipIf(!databaseUrl)('generation rollups as row triggers', () => {
  let c: pg.Client;
  const P = unique('rowtrg');
  const P2 = unique('rowtrg2');
  const customers = [unique('rowtrg-c'), unique('rowtrg-c'), unique('rowtrg-c')];
  let ids: string[] = [];

  beforeAll(async () => {
    // The admin's signed-in claims, so dashboard_metrics runs as staff in this session and sees
    // its uncommitted rows.
    const admin = await signedIn(DEMO.admin);
    const token = (await admin.auth.getSession()).data.session!.access_token;
    const claims = Buffer.from(token.split('.')[1], 'base64url').toString();
    c = new pg.Client({ connectionString: databaseUrl! });
    await c.connect();
    await c.query('begin');
    await c.query(`select pg_advisory_xact_lock(${FOLD_LOCK})`);
    await c.query("select set_config('request.jwt.claims', $1, true)", [claims]);
    await c.query(
      `insert into public.customers (id, email) select x, x || '@example.com' from unnest($1::text[]) x`,
      [customers],
    );
  });
  afterAll(async () => {
    await c?.query('rollback').catch(() => {});
    await c?.end();
  });

  const insert = async (
    rows: { customer: string; at: string; status?: string; model?: string | null; cost?: string }[],
  ) => {
    const { rows: out } = await c.query(
      `insert into public.generations (id, customer_id, provider, model, status, cost_usd, created_at)
       select gen_random_uuid()::text, u.c, $2, u.m, u.s, u.v::numeric, u.t::timestamptz
         from unnest($1::text[], $3::text[], $4::text[], $5::text[], $6::text[]) as u(c, m, s, v, t)
       returning id`,
      [
        rows.map((r) => r.customer),
        P,
        rows.map((r) => (r.model === undefined ? 'm1' : r.model)),
        rows.map((r) => r.status ?? 'pending'),
        rows.map((r) => r.cost ?? '0'),
        rows.map((r) => r.at),
      ],
    );
    return out.map((r) => r.id as string);
  };

  async function expectRollupsMatchRaw() {
    const { rows } = await c.query(ROLLUPS_VS_RAW, [[P, P2]]);
    expect(rows).toEqual([]);
  }

  /** dashboard_metrics for the range against the raw rows, for one provider. */
  async function expectDashboardMatchesRaw(provider: string) {
    const { rows } = await c.query('select public.dashboard_metrics($1, $2, $3) as m', [
      FROM,
      TO,
      provider,
    ]);
    const m = decodeDashboardMetrics(rows[0].m as DashboardMetricsAnswer);
    const { rows: raw } = await c.query(
      `select count(*)::int as generations, count(*) filter (where status = 'succeeded')::int as succeeded,
              count(*) filter (where status = 'failed')::int as failed, coalesce(sum(cost_usd), 0)::text as cost,
              count(distinct customer_id)::int as active
         from public.generations
        where provider = $3 and (created_at at time zone 'UTC')::date between $1 and $2`,
      [FROM, TO, provider],
    );
    const { rows: byModel } = await c.query(
      `select coalesce(model, '') as model, count(*)::int as calls, sum(cost_usd)::text as cost
         from public.generations
        where provider = $3 and (created_at at time zone 'UTC')::date between $1 and $2
        group by 1 order by 1`,
      [FROM, TO, provider],
    );
    expect({
      generations: m.generations,
      succeeded: m.succeeded,
      failed: m.failed,
      cost: money(m.cost_usd),
      active: m.active_customers,
    }).toEqual({ ...raw[0], cost: money(raw[0].cost) });
    expect(
      m.by_provider_model
        .map((r) => ({ model: r.model, calls: r.calls, cost: money(r.cost_usd) }))
        .sort((a, b) => a.model.localeCompare(b.model)),
    ).toEqual(byModel.map((r) => ({ ...r, cost: money(r.cost) })));
    return m;
  }

  /** This session's writes to customer_daily_activity so far, and the activity changes of a key. */
  async function activityWrites(day: string, customer: string) {
    const { rows } = await c.query(
      `select (select n_tup_ins + n_tup_upd + n_tup_del from pg_stat_xact_user_tables
                where relid = 'public.customer_daily_activity'::regclass)::int as writes,
              (select count(*) from public.customer_activity_changes
                where day = $1 and provider = $2 and customer_id = $3)::int as changes,
              (select ctid::text from public.customer_daily_activity
                where day = $1 and provider = $2 and customer_id = $3) as ctid,
              (select generations::int from public.customer_daily_activity
                where day = $1 and provider = $2 and customer_id = $3) as generations,
              (select cost_usd::text from public.customer_daily_activity
                where day = $1 and provider = $2 and customer_id = $3) as cost`,
      [day, P, customer],
    );
    return rows[0] as {
      writes: number;
      changes: number;
      ctid: string;
      generations: number;
      cost: string;
    };
  }

  it('inserts, one at a time and in one statement, equal the raw rows', async () => {
    const [a, b, x] = customers;
    ids = [
      ...(await insert([{ customer: a, at: '2016-08-01T10:00:00Z' }])),
      ...(await insert([
        { customer: a, at: '2016-08-01T11:00:00Z', model: null },
        { customer: b, at: '2016-08-01T23:59:59Z', status: 'succeeded', cost: '0.5' },
        { customer: x, at: '2016-08-02T00:00:00Z', status: 'failed', cost: '0.25' },
        { customer: b, at: '2016-08-03T12:00:00Z', model: 'm2', cost: '1.125' },
      ])),
    ];
    await expectRollupsMatchRaw();
    const m = await expectDashboardMatchesRaw(P);
    expect([m.generations, m.active_customers]).toEqual([5, 3]);
  });

  it("a status, model or cost change keeps the generation's activity row: no delete, no re-insert, no activity change", async () => {
    const [a, , x] = customers;
    const before = await activityWrites('2016-08-01', a);
    expect(before).toMatchObject({ generations: 2, changes: 1, cost: '0.000000' });

    // Status only: the activity row is not written at all.
    await c.query(`update public.generations set status = 'processing' where id = $1`, [ids[0]]);
    const afterStatus = await activityWrites('2016-08-01', a);
    expect(afterStatus).toEqual({ ...before });

    // Status, model and cost: one update of the row's cost, nothing else.
    await c.query(
      `update public.generations set status = 'succeeded', model = 'm3', cost_usd = 0.75, latency_ms = 900
        where id = $1`,
      [ids[0]],
    );
    const afterCost = await activityWrites('2016-08-01', a);
    expect(afterCost).toMatchObject({
      writes: before.writes + 1,
      changes: 1,
      generations: 2,
      cost: '0.750000',
    });

    // x's only generation of 08-02: its row is not emptied on the way (no delete, no change).
    const single = await activityWrites('2016-08-02', x);
    expect(single).toMatchObject({ generations: 1, changes: 1 });
    await c.query(
      `update public.generations set status = 'succeeded', cost_usd = 0.3 where id = $1`,
      [ids[3]],
    );
    expect(await activityWrites('2016-08-02', x)).toMatchObject({
      writes: single.writes + 1,
      changes: 1,
      generations: 1,
      cost: '0.300000',
    });

    // An update the rollups hold nothing of fires no rollup at all.
    const beforeEdit = await activityWrites('2016-08-01', a);
    await c.query(`update public.generations set prompt = 'edited' where id = any($1)`, [ids]);
    expect(await activityWrites('2016-08-01', a)).toEqual(beforeEdit);
    await expectRollupsMatchRaw();
    await expectDashboardMatchesRaw(P);
  });

  it('a move to another day and to another provider moves the activity, and deletes empty it', async () => {
    const [a, b] = customers;
    // b's only generation of 08-03 moves to 08-05: the 08-03 row goes, the 08-05 row comes.
    await c.query(
      `update public.generations set created_at = '2016-08-05T09:00:00Z' where id = $1`,
      [ids[4]],
    );
    // Two changes pending for 08-03 (the fold has not run): b became active, then was not.
    expect(await activityWrites('2016-08-03', b)).toMatchObject({ ctid: null, changes: 2 });
    expect(await activityWrites('2016-08-05', b)).toMatchObject({ generations: 1, changes: 1 });
    // a's second generation of 08-01 to the other provider: a stays active on P that day.
    await c.query(`update public.generations set provider = $2 where id = $1`, [ids[1], P2]);
    expect(await activityWrites('2016-08-01', a)).toMatchObject({ generations: 1, changes: 1 });
    await expectRollupsMatchRaw();
    await expectDashboardMatchesRaw(P);
    expect((await expectDashboardMatchesRaw(P2)).generations).toBe(1);

    // Deleting a's last generation of 08-01 on P empties that row and records the change.
    await c.query(`delete from public.generations where id = $1`, [ids[0]]);
    expect(await activityWrites('2016-08-01', a)).toMatchObject({ ctid: null, changes: 2 });
    await expectRollupsMatchRaw();
    expect((await expectDashboardMatchesRaw(P)).active_customers).toBe(2);
  });

  it('a fold keeps the figures, and a TRUNCATE empties the rollups that the next insert starts again', async () => {
    const { rows } = await c.query('select private.fold_dashboard_rollups() as r');
    expect(rows[0].r).toMatchObject({ folded: true });
    await expectRollupsMatchRaw();
    await expectDashboardMatchesRaw(P);
    await expectDashboardMatchesRaw(P2);

    // feedback refers to generations; both are emptied, and rolled back with the rest.
    await c.query('truncate public.generations cascade');
    const { rows: left } = await c.query(
      `select (select count(*) from public.generation_daily_stats)
            + (select count(*) from public.generation_daily_deltas)
            + (select count(*) from public.customer_daily_activity)
            + (select count(*) from public.customer_monthly_costs) as n`,
    );
    expect(Number(left[0].n)).toBe(0);
    expect((await expectDashboardMatchesRaw(P)).generations).toBe(0);

    await insert([{ customer: customers[2], at: '2016-08-09T08:00:00Z', cost: '0.1' }]);
    await expectRollupsMatchRaw();
    const m = await expectDashboardMatchesRaw(P);
    expect([m.generations, m.active_customers]).toEqual([1, 1]);
    console.log(
      `rollup row triggers: ${ids.length + 1} generations through inserts, updates, moves, a delete, a fold and a truncate; rollups equal the raw rows after each`,
    );
  });
});

// Scheduled jobs: private.schedule_job hands a job to pg_cron where it is installed (hosted; the
// test cluster preloads Debian's postgresql-15-cron), and otherwise keeps it for the stack's
// timer, which runs it through local_auth.run_due_jobs. Both paths, as postgres.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pgClient } from '../support/pg-client';
import { openDatabase } from '../../supabase/local/database.mjs';
import { hasExtension } from '../support/native-postgres.mjs';

const databaseUrl = inject('databaseUrl');
const adminDatabaseUrl = inject('adminDatabaseUrl');

describe.skipIf(!databaseUrl || !hasExtension('pg_cron'))(
  'scheduled jobs where pg_cron is installed',
  () => {
    const client = pgClient(() => databaseUrl!);

    it('schedule_job registers the job with pg_cron, as postgres, and the stack timer keeps out', async () => {
      await client().query(
        "select private.schedule_job('test-probe', '*/5 * * * *', 'select private.staff_role()')",
      );
      const { rows } = await client().query(
        "select schedule, command, username, database, active from cron.job where jobname = 'test-probe'",
      );
      expect(rows).toEqual([
        {
          schedule: '*/5 * * * *',
          command: 'select private.staff_role()',
          username: 'postgres',
          database: 'postgres',
          active: true,
        },
      ]);
      // Registering again changes the job, not a second one.
      await client().query(
        "select private.schedule_job('test-probe', '0 3 * * *', 'select private.staff_role()')",
      );
      const again = await client().query(
        "select schedule from cron.job where jobname = 'test-probe'",
      );
      expect(again.rows).toEqual([{ schedule: '0 3 * * *' }]);
      const { rows: ran } = await client().query(
        "select local_auth.run_due_jobs('2026-12-01 03:00:00+00') as ran",
      );
      expect(ran[0].ran).toEqual([]);
      // pg_cron checks the schedule itself (our check only counts its five fields).
      await expect(
        client().query("select private.schedule_job('test-bad', '61 * * * *', 'select 1')"),
      ).rejects.toThrow(/schedule/);
      await client().query("select private.unschedule_job('test-probe')");
      expect(
        (await client().query("select from cron.job where jobname = 'test-probe'")).rowCount,
      ).toBe(0);
    });
  },
);

describe.skipIf(!databaseUrl)('scheduled jobs without pg_cron (the stack timer)', () => {
  const name = `jobs_${process.pid}`;
  let admin: pg.Client;
  let db: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: adminDatabaseUrl! });
    await admin.connect();
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    const url = new URL(adminDatabaseUrl!);
    url.pathname = `/${name}`;
    // pg_cron lives in the cluster's postgres database only: this one has none.
    await openDatabase({ databaseUrl: url.toString(), seed: false, log: () => {} });
    const asPostgres = new URL(databaseUrl!);
    asPostgres.pathname = `/${name}`;
    db = new pg.Client({ connectionString: asPostgres.toString() });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await admin?.query(`drop database if exists ${name} with (force)`);
    await admin?.end();
  });

  it('reads cron schedules as cron does', async () => {
    const due = async (schedule: string, at: string) =>
      (await db.query('select local_auth.cron_due($1, $2) as due', [schedule, at])).rows[0].due;
    expect(await due('* * * * *', '2026-12-01 10:07:00+00')).toBe(true);
    expect(await due('*/5 * * * *', '2026-12-01 10:05:30+00')).toBe(true);
    expect(await due('*/5 * * * *', '2026-12-01 10:07:00+00')).toBe(false);
    expect(await due('0 3 * * *', '2026-12-01 03:00:00+00')).toBe(true);
    expect(await due('0 3 * * *', '2026-12-01 04:00:00+00')).toBe(false);
    expect(await due('15,45 8-10 * * *', '2026-12-01 09:45:00+00')).toBe(true);
    expect(await due('15,45 8-10 * * *', '2026-12-01 11:45:00+00')).toBe(false);
    // 2026-12-01 is a Tuesday; Sunday is 0 or 7.
    expect(await due('0 0 * * 2', '2026-12-01 00:00:00+00')).toBe(true);
    expect(await due('0 0 * * 1-5', '2026-12-06 00:00:00+00')).toBe(false);
    expect(await due('0 0 * * 7', '2026-12-06 00:00:00+00')).toBe(true);
    // Day of month and day of week both restricted: either matches.
    expect(await due('0 0 1 * 0', '2026-12-01 00:00:00+00')).toBe(true);
    await expect(due('every minute', '2026-12-01 00:00:00+00')).rejects.toThrow(/five cron fields/);
  });

  it('runs a due job once per minute, and records a failing one without stopping the others', async () => {
    await db.query('create table public.job_probe (at timestamptz default now())');
    await db.query(
      "select private.schedule_job('probe', '*/5 * * * *', 'insert into public.job_probe default values')",
    );
    await db.query(
      "select private.schedule_job('broken', '*/5 * * * *', 'select * from public.no_such_table')",
    );
    const run = async (at: string) =>
      (await db.query('select local_auth.run_due_jobs($1) as ran', [at])).rows[0].ran;
    // The migrations registered the credit expiry job (45_credit_blocks.sql), every 5 minutes:
    // the timer runs it beside the probes.
    expect(await run('2026-12-01 10:05:00+00')).toEqual([
      { name: 'broken', ok: false, error: 'relation "public.no_such_table" does not exist' },
      { name: 'creditdesk-expire-credits', ok: true },
      { name: 'probe', ok: true },
    ]);
    expect(await run('2026-12-01 10:05:40+00')).toEqual([]); // same minute: already ran
    expect(await run('2026-12-01 10:06:00+00')).toEqual([]); // not due
    expect((await run('2026-12-01 10:10:00+00')).map((j: { name: string }) => j.name)).toEqual([
      'broken',
      'creditdesk-expire-credits',
      'probe',
    ]);
    expect((await db.query('select count(*)::int as n from public.job_probe')).rows[0].n).toBe(2);
    const { rows } = await db.query(
      'select name, last_error from private.scheduled_jobs order by name',
    );
    expect(rows).toEqual([
      { name: 'broken', last_error: 'relation "public.no_such_table" does not exist' },
      { name: 'creditdesk-expire-credits', last_error: null },
      { name: 'probe', last_error: null },
    ]);
  });
});

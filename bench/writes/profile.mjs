// node bench/writes/profile.mjs — what the rollups cost one transaction of the write path, in
// CPU rather than in throughput. bench:writes' ratio (tx/s with rollups over tx/s without, at
// 16 and 64 clients on 2 cores) is CPU-bound, so it is about 1 / (1 + rollup CPU / base CPU)
// per transaction; on a shared machine its runs swing by ±0.1–0.2, too much to see a change of
// a few percent. Here one client runs bench:writes' SQL path (insert a generation as the
// service role, consume_credits for it, commit) in rounds, rollups on and off in turn, and
// each round reads the backend's own CPU time (/proc/<pid>/stat: other processes' load slows
// the wall clock, not this counter) and, with track_functions = all, every trigger function's
// self time per transaction (pg_stat_user_functions).
//
// PROFILE_VARIANT=<file.sql>: a third arm. The file is applied once (in a transaction); it
// creates replacement trigger functions and triggers named `<rollup trigger>_variant` on the
// same tables. They are disabled except in the variant's rounds, where the rollup triggers
// they replace are disabled instead. So two designs are measured on one backend, one
// cluster, interleaved: on, off, variant, on, off, variant, …
//
// PROFILE_ROUNDS (8), PROFILE_TX (500 per round). Small data set (the size does not matter to
// one customer's write path); loopback only; stops everything it started.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { log, median, sqlSections, startBudget } from '../lib/common.mjs';

const env = process.env;
env.BENCH_CUSTOMERS ||= '2000';
env.BENCH_GENERATIONS ||= '20000';
env.BENCH_LEDGER ||= '30000';
env.BENCH_AUDIT ||= '2000';
const { seedBench } = await import('../seed/seed.mjs');

const ROUNDS = Number(env.PROFILE_ROUNDS || 8);
const TX = Number(env.PROFILE_TX || 500);
const VARIANT = env.PROFILE_VARIANT ? path.resolve(env.PROFILE_VARIANT) : null;
const sql = sqlSections(path.join(import.meta.dirname, 'bench.sql'));
const CLK_TCK = 100; // Linux's USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s

const PROVIDERS = ['wavespeed', 'fal', 'replicate', 'openai'];
const MODELS = ['flux-dev', 'flux-schnell', 'sdxl', 'kling-v2'];
const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];

/** utime + stime of a process, in ms. */
function cpuMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

async function main() {
  startBudget('profile', 30);
  const seeded = await seedBench({ settings: ['track_functions=all'] });
  const { db } = seeded;
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: seeded.postgres.url });
  try {
    await db.query(sql('setup'));
    await db.query(sql('customers', { count: 1 }));
    const rollups = (await db.query(sql('rollup_triggers'))).rows;
    let variants = [];
    if (VARIANT) {
      await db.query('begin');
      await db.query(fs.readFileSync(VARIANT, 'utf8'));
      await db.query('commit');
      variants = (
        await db.query(
          `select tgrelid::regclass::text as tbl, tgname as name from pg_trigger
            where not tgisinternal and tgname like '%\\_variant' order by 1, 2`,
        )
      ).rows;
      log(`variant ${VARIANT}: ${variants.map((t) => `${t.tbl}.${t.name}`).join(', ')}`);
    }
    const setTriggers = async (list, on) => {
      for (const t of list)
        await db.query(`alter table ${t.tbl} ${on ? 'enable' : 'disable'} trigger ${t.name}`);
    };
    const replaced = rollups.filter((t) =>
      variants.some((v) => v.tbl === t.tbl && v.name === `${t.name}_variant`),
    );
    const arms = {
      on: async () => {
        await setTriggers(variants, false);
        await setTriggers(rollups, true);
      },
      off: async () => {
        await setTriggers(variants, false);
        await setTriggers(rollups, false);
      },
      ...(VARIANT && {
        variant: async () => {
          await setTriggers(rollups, true);
          await setTriggers(replaced, false);
          await setTriggers(variants, true);
        },
      }),
    };

    await c.connect();
    const pid = (await c.query('select pg_backend_pid() as pid')).rows[0].pid;
    const tx = async () => {
      const id = crypto.randomUUID();
      const provider = pick(PROVIDERS);
      const cost = Number((Math.random() * 0.05).toFixed(6));
      await c.query('begin');
      await c.query(
        "select set_config('role', 'service_role', true), set_config('request.jwt.claims', $1, true)",
        [JSON.stringify({ role: 'service_role' })],
      );
      await c.query(
        `insert into public.generations (id, customer_id, provider, model, status, latency_ms, cost_usd)
         values ($1, 'bench-0001', $2, $3, 'succeeded', $4, $5)`,
        [id, provider, pick(MODELS), 500 + Math.floor(Math.random() * 5000), cost],
      );
      await c.query("select public.consume_credits('bench-0001', 1, $1, null, null, $2, $3)", [
        id,
        provider,
        cost,
      ]);
      await c.query('commit');
    };
    const functionTimes = async () => {
      // The backend's pending counters reach the shared statistics when it next goes idle.
      await c.query('select pg_stat_force_next_flush()');
      await c.query('select 1');
      await db.query('select pg_stat_clear_snapshot()');
      const { rows } = await db.query(
        `select schemaname || '.' || funcname as fn, calls::bigint as calls, self_time, total_time
           from pg_stat_user_functions`,
      );
      return new Map(rows.map((r) => [r.fn, r]));
    };

    // Warm: every arm once, so plans and catalogs are cached before anything is counted.
    for (const arm of Object.values(arms)) {
      await arm();
      for (let i = 0; i < 50; i++) await tx();
    }
    const samples = Object.fromEntries(Object.keys(arms).map((a) => [a, []]));
    const fnTotals = Object.fromEntries(Object.keys(arms).map((a) => [a, new Map()]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, arm] of Object.entries(arms)) {
        await arm();
        const fnBefore = await functionTimes();
        const cpu0 = cpuMs(pid);
        const t0 = performance.now();
        for (let i = 0; i < TX; i++) await tx();
        const wall = performance.now() - t0;
        const cpu = cpuMs(pid) - cpu0;
        const fnAfter = await functionTimes();
        samples[name].push({ wallUs: (wall * 1000) / TX, cpuUs: (cpu * 1000) / TX });
        for (const [fn, r] of fnAfter) {
          const b = fnBefore.get(fn);
          const t = fnTotals[name].get(fn) ?? { calls: 0, self: 0, total: 0 };
          t.calls += Number(r.calls) - Number(b?.calls ?? 0);
          t.self += r.self_time - (b?.self_time ?? 0);
          t.total += r.total_time - (b?.total_time ?? 0);
          fnTotals[name].set(fn, t);
        }
      }
      log(
        `round ${round + 1}/${ROUNDS}: ${Object.entries(samples)
          .map(
            ([a, s]) =>
              `${a} ${s.at(-1).cpuUs.toFixed(0)} µs CPU / ${s.at(-1).wallUs.toFixed(0)} µs wall`,
          )
          .join(', ')} per tx; load ${os.loadavg()[0].toFixed(1)}`,
      );
    }

    const n = ROUNDS * TX;
    console.log(
      `\nprofile: ${ROUNDS} rounds × ${TX} tx per arm, one client, insert + consume_credits; load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')} at the end, ${os.cpus().length} cores`,
    );
    console.log('| arm | backend CPU µs/tx (median of rounds) | wall µs/tx | CPU ratio off/arm |');
    console.log('| --- | ---: | ---: | ---: |');
    const off = median(samples.off.map((s) => s.cpuUs));
    for (const [name, s] of Object.entries(samples)) {
      const cpu = median(s.map((x) => x.cpuUs));
      console.log(
        `| ${name} | ${cpu.toFixed(0)} | ${median(s.map((x) => x.wallUs)).toFixed(0)} | ${(off / cpu).toFixed(2)} |`,
      );
    }
    console.log(
      '\ntrigger and ledger functions, µs per tx (self / total, calls per tx), rollups on' +
        (VARIANT ? ' | variant' : ''),
    );
    const names = [...fnTotals.on.keys()]
      .filter((fn) => fnTotals.on.get(fn).calls > 0)
      .sort((a, b) => fnTotals.on.get(b).self - fnTotals.on.get(a).self);
    for (const fn of names) {
      const cell = (arm) => {
        const t = fnTotals[arm]?.get(fn);
        return t && t.calls
          ? `${((t.self * 1000) / n).toFixed(0)} / ${((t.total * 1000) / n).toFixed(0)} (${(t.calls / n).toFixed(1)})`
          : '-';
      };
      console.log(
        `  ${fn.padEnd(44)} ${cell('on').padStart(20)}${VARIANT ? ` | ${cell('variant')}` : ''}`,
      );
    }
    if (VARIANT) {
      const fns = [...fnTotals.variant.keys()].filter(
        (fn) => !fnTotals.on.get(fn)?.calls && fnTotals.variant.get(fn).calls > 0,
      );
      for (const fn of fns) {
        const t = fnTotals.variant.get(fn);
        console.log(
          `  ${fn.padEnd(44)} ${'-'.padStart(20)} | ${((t.self * 1000) / n).toFixed(0)} / ${((t.total * 1000) / n).toFixed(0)} (${(t.calls / n).toFixed(1)})`,
        );
      }
    }
  } finally {
    await c.end().catch(() => {});
    await seeded.stop();
  }
}

await main();

// BENCH_FOLD_STATS=1 of npm run bench:writes (run.mjs): what the rollups' fold costs while the
// writers run, from pg_stat_statements and the delta tables' counters.

const DELTA_TABLES = [
  'generation_daily_deltas',
  'ledger_daily_deltas',
  'customer_activity_changes',
  'finance_daily_deltas',
];

/**
 * BENCH_FOLD_STATS: per scenario, each side's statements (pg_stat_statements, nested ones too,
 * snapshotted and reset after every run and summed per side), the fold's apart, and the delta
 * tables' appends, deletes and autovacuums over the scenario's runs. `load` labels the report
 * with the machine's load average (run.mjs samples it).
 */
export function foldStatsOf(db, load) {
  const tables = async () =>
    new Map(
      (
        await db.query(
          `select relname, n_tup_ins::bigint as ins, n_tup_del::bigint as del,
                  autovacuum_count::int as av, pg_relation_size(relid) as bytes
             from pg_catalog.pg_stat_user_tables
            where schemaname = 'public' and relname = any($1)`,
          [DELTA_TABLES],
        )
      ).rows.map((r) => [r.relname, r]),
    );
  // The fold's own statements (private.fold_dashboard_rollups and what it runs, finance's
  // fold included).
  const FOLD =
    /fold_dashboard_rollups|fold_finance_deltas|^with (d|c|taken) as \( delete from|where calls = 0|customer_activity_(keys|bitmaps|period_bitmaps)/i;
  return {
    async start() {
      await db.query('select pg_stat_statements_reset()');
      const t0 = await tables();
      const side = { on: new Map(), off: new Map() };
      const seconds = { on: 0, off: 0 };
      return {
        async afterRun(name, run) {
          seconds[name] += run.seconds;
          const { rows } = await db.query(
            `select queryid::text as id, calls::bigint as calls, rows::bigint as rows,
                    total_exec_time as ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 100) as q
               from pg_stat_statements where not toplevel`,
          );
          await db.query('select pg_stat_statements_reset()');
          for (const r of rows) {
            const m = side[name].get(r.id) ?? { q: r.q, calls: 0, rows: 0, ms: 0 };
            m.calls += Number(r.calls);
            m.rows += Number(r.rows);
            m.ms += r.ms;
            side[name].set(r.id, m);
          }
        },
        async report(name) {
          await new Promise((r) => setTimeout(r, 1200)); // backends flush their table stats
          const t1 = await tables();
          console.log(
            `\nfold stats, ${name} (rollups on ${seconds.on.toFixed(0)} s, off ${seconds.off.toFixed(0)} s of runs, ${load()}); ms of statement time per side:`,
          );
          for (const s of ['on', 'off']) {
            const fold = [...side[s].values()].filter((m) => FOLD.test(m.q));
            const call = fold.find((m) => /^select private\.fold_dashboard_rollups\(\)/i.test(m.q));
            console.log(
              `  during rollups ${s}: ${call ? `${call.calls} folds, ${(call.ms / call.calls).toFixed(1)} ms each, ${call.ms.toFixed(0)} ms in all (${((call.ms / 1000 / seconds[s]) * 100).toFixed(1)} % of one core)` : 'no fold'}`,
            );
            for (const m of fold.sort((x, y) => y.ms - x.ms).slice(0, 10))
              if (m !== call)
                console.log(
                  `    ${m.ms.toFixed(1).padStart(8)} ms ${String(m.calls).padStart(5)} calls ${String(m.rows).padStart(7)} rows  ${m.q}`,
                );
          }
          const ids = new Set([...side.on.keys(), ...side.off.keys()]);
          const diff = [...ids]
            .map((id) => {
              const on = side.on.get(id);
              const off = side.off.get(id);
              return { q: (on ?? off).q, on, off, d: (on?.ms ?? 0) - (off?.ms ?? 0) };
            })
            .sort((x, y) => Math.abs(y.d) - Math.abs(x.d))
            .slice(0, 12);
          console.log('  nested statements by |on - off| (ms / calls on, ms / calls off):');
          for (const r of diff)
            console.log(
              `  ${(r.on?.ms ?? 0).toFixed(0).padStart(7)} / ${String(r.on?.calls ?? 0).padStart(6)}  ${(r.off?.ms ?? 0).toFixed(0).padStart(7)} / ${String(r.off?.calls ?? 0).padStart(6)}  ${r.q}`,
            );
          for (const [rel, b] of t1) {
            const a = t0.get(rel) ?? b;
            console.log(
              `  ${rel}: ${b.ins - a.ins} appended, ${b.del - a.del} deleted, ${b.av - a.av} autovacuums, ${(a.bytes / 8192).toFixed(0)} -> ${(b.bytes / 8192).toFixed(0)} pages`,
            );
          }
        },
      };
    },
  };
}

// Small helpers every bench shares: a timestamped log, order statistics, SQL files split into
// named sections, and a staff member's access token signed like the auth server signs them.
import fs from 'node:fs';
import { SignJWT } from 'jose';

const t0 = performance.now();
export const log = (s) =>
  console.log(`[bench ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${s}`);

const sorted = (xs) => [...xs].sort((a, b) => a - b);
export const median = (xs) => {
  const s = sorted(xs);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Nearest-rank percentile: the smallest sample with at least p of the samples at or below it. */
export const percentile = (xs, p) => {
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
};

export const isoDay = (d) => d.toISOString().slice(0, 10);
export const addDays = (day, n) =>
  isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000));

/**
 * A .sql file cut at `-- @name` lines into sections; `{{key}}` placeholders are filled from vars.
 * @returns {(name: string, vars?: Record<string, unknown>) => string}
 */
export function sqlSections(file) {
  const sections = Object.fromEntries(
    fs
      .readFileSync(file, 'utf8')
      .split(/^-- @/m)
      .slice(1)
      .map((s) => [s.slice(0, s.indexOf('\n')).trim(), s.slice(s.indexOf('\n') + 1)]),
  );
  return (name, vars = {}) => {
    if (!(name in sections)) throw new Error(`no section ${name} in ${file}`);
    return sections[name].replace(/\{\{(\w+)\}\}/g, (_, k) => {
      if (!(k in vars)) throw new Error(`section ${name} needs {{${k}}}`);
      return String(vars[k]);
    });
  };
}

/** An access token as the auth server issues them, for a user the loader made staff. */
export async function staffToken({ jwtSecret, userId, email, role = 'authenticated' }) {
  // Staff authority needs a live sign-in: the loader's auth.sessions row, whose id is the user's.
  return new SignJWT({ role, aud: 'authenticated', email, session_id: userId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(jwtSecret));
}

/**
 * A bench stops itself after `minutes`: SIGTERM to itself, which the seed's handler answers
 * by stopping the cluster and PostgREST (and which ends any other bench at once).
 */
/**
 * Times each of `fns` run by run in turn, the order alternating from run to run, so the load
 * drifts of a shared machine hit all of them alike; `warmups` untimed rounds first. Returns
 * one array of milliseconds per function.
 */
export async function timeInTurn(fns, runs, warmups = 5) {
  for (let i = 0; i < warmups; i++) for (const fn of fns) await fn(i);
  const times = fns.map(() => []);
  const forward = fns.map((_, k) => k);
  const backward = [...forward].reverse();
  for (let i = 0; i < runs; i++)
    for (const k of i % 2 ? forward : backward) {
      const t = performance.now();
      await fns[k](i);
      times[k].push(performance.now() - t);
    }
  return times;
}

export function startBudget(name, minutes) {
  const timer = setTimeout(() => {
    console.error(`${name}: over its ${minutes}-minute budget, stopping`);
    process.kill(process.pid, 'SIGTERM');
  }, minutes * 60_000);
  timer.unref();
}

// SQL files run the way the Supabase CLI runs supabase/seed.sql: split into statements, every
// statement prepared (Parse + Describe) before any runs, then all of them run in one
// transaction. A statement that needs an object an earlier statement of the same file creates
// (a temporary table, say) fails in the prepare phase here exactly as it does under
// `supabase db reset` or `db push --include-seed`, instead of passing when the file runs in one go.

/**
 * SQL cut into its lexical pieces, in order: `space`, `comment` (line or nested block),
 * `string` ('…', E'…' with backslash escapes), `quoted` ("identifier"), `dollar` ($$…$$,
 * $tag$…$tag$), `word` and single-character `punct`. Enough to find statement ends and
 * keywords without mistaking text inside quotes or comments for code.
 * @param {string} sql
 * @returns {Generator<{ kind: string, text: string, at: number }>}
 */
export function* sqlPieces(sql) {
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const at = i;
    const c = sql[i];
    let kind;
    if (/\s/.test(c)) {
      kind = 'space';
      while (i < n && /\s/.test(sql[i])) i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      kind = 'comment';
      const eol = sql.indexOf('\n', i);
      i = eol === -1 ? n : eol;
    } else if (c === '/' && sql[i + 1] === '*') {
      kind = 'comment';
      let depth = 0;
      do {
        if (sql.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (sql.startsWith('*/', i)) {
          depth--;
          i += 2;
        } else i++;
      } while (depth > 0 && i < n);
    } else if (c === "'" || c === '"') {
      kind = c === "'" ? 'string' : 'quoted';
      // E'…' takes backslash escapes; elsewhere a doubled quote is the only escape.
      const escapes = c === "'" && /^[eE]$/.test(sql[i - 1] ?? '') && !/\w/.test(sql[i - 2] ?? '');
      i++;
      while (i < n) {
        if (escapes && sql[i] === '\\') i += 2;
        else if (sql[i] === c && sql[i + 1] === c) i += 2;
        else if (sql[i] === c) break;
        else i++;
      }
      i++;
    } else if (c === '$' && /^\$([A-Za-z_]\w*)?\$/.test(sql.slice(i, i + 64))) {
      kind = 'dollar';
      const tag = /^\$([A-Za-z_]\w*)?\$/.exec(sql.slice(i, i + 64))[0];
      const close = sql.indexOf(tag, i + tag.length);
      i = close === -1 ? n : close + tag.length;
    } else if (/[\w$]/.test(c)) {
      kind = 'word';
      while (i < n && /[\w$]/.test(sql[i])) i++;
    } else {
      kind = 'punct';
      i++;
    }
    yield { kind, text: sql.slice(at, i), at };
  }
}

/**
 * Splits SQL into statements at top-level semicolons, as the CLI's parser does: nothing inside
 * quotes, dollar quotes or comments splits. Statements of nothing but comments are dropped.
 * @param {string} sql
 * @returns {string[]}
 */
export function splitStatements(sql) {
  const out = [];
  let start = 0;
  let meaningful = false;
  for (const p of sqlPieces(sql)) {
    if (p.kind === 'punct' && p.text === ';') {
      if (meaningful) out.push(sql.slice(start, p.at).trim());
      start = p.at + 1;
      meaningful = false;
    } else if (p.kind !== 'space' && p.kind !== 'comment') meaningful = true;
  }
  if (meaningful) out.push(sql.slice(start).trim());
  return out;
}

/** Parse + Describe + Sync of one named statement, through pg's Submittable interface. */
class Prepare {
  /** @param {string} name @param {string} text */
  constructor(name, text) {
    this.name = name;
    this.text = text;
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
  submit(connection) {
    connection.parse({ name: this.name, text: this.text, types: [] });
    connection.describe({ type: 'S', name: this.name });
    connection.sync();
  }
  handleRowDescription() {}
  // pg drops a query that errs before the server's ReadyForQuery, so the error settles it.
  handleError(err) {
    this.reject(err);
  }
  handleReadyForQuery() {
    this.resolve(undefined);
  }
}

const firstLine = (s) =>
  s
    .split('\n')
    .find((l) => l.trim() && !l.trim().startsWith('--'))
    ?.trim()
    .slice(0, 100) ?? '';

/**
 * Prepares every statement of `sql` on a pg client, then runs them in one transaction.
 * Throws naming the statement (its number and first line) and the phase that failed.
 * @param {import('pg').Client} client
 * @param {string} sql
 * @param {string} [label] the file, for messages
 * @returns {Promise<number>} how many statements ran
 */
export async function prepareThenRun(client, sql, label = 'SQL') {
  const statements = splitStatements(sql);
  const names = statements.map((_, i) => `cli_batch_${i + 1}`);
  try {
    for (const [i, text] of statements.entries()) {
      const p = new Prepare(names[i], text);
      client.query(/** @type {any} */ (p));
      await p.done.catch((e) => {
        throw new Error(
          `${label}: statement ${i + 1} cannot be prepared before the file runs: ${e.message} (${firstLine(text)})`,
          { cause: e },
        );
      });
    }
    await client.query('begin');
    for (const [i, text] of statements.entries()) {
      await client.query(text).catch((e) => {
        throw new Error(`${label}: statement ${i + 1} failed: ${e.message} (${firstLine(text)})`, {
          cause: e,
        });
      });
    }
    await client.query('commit');
    return statements.length;
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  } finally {
    await client.query('deallocate all').catch(() => {});
  }
}

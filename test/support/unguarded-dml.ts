// Finds UPDATE and DELETE statements without a WHERE clause in SQL or PL/pgSQL source: what
// hosted Supabase's `safeupdate` (loaded for PostgREST's role) refuses with "UPDATE requires a
// WHERE clause", inside functions too, since it checks every statement the session parses.
// The native cluster loads a stand-in (safeupdate/safeupdate.c) that catches what runs; this
// reads every function body, so a path no test takes is caught too. Dynamic SQL (EXECUTE of a
// string) is not read; `where true` is how a statement says it means every row.

import { sqlPieces } from '../../supabase/local/sql-batch.mjs';

type Token = { text: string; at: number };

/** Words (lower case), quoted identifiers and punctuation; comments and literals dropped. */
function tokenize(src: string): Token[] {
  const out: Token[] = [];
  for (const p of sqlPieces(src)) {
    if (p.kind === 'word') out.push({ text: p.text.toLowerCase(), at: p.at });
    else if (p.kind === 'quoted') out.push({ text: 'ident', at: p.at });
    else if (p.kind === 'punct') out.push(p);
  }
  return out;
}

// Words before UPDATE / DELETE that make it no statement: FOR [NO KEY] UPDATE, ON CONFLICT DO
// UPDATE, ON UPDATE / ON DELETE actions, trigger events (INSERT OR UPDATE OF …).
const NOT_A_STATEMENT = new Set(['for', 'key', 'do', 'on', 'or', 'before', 'after', 'of']);

/** Each UPDATE / DELETE statement with no WHERE at its own level, as its first line. */
export function unguardedDml(src: string): string[] {
  const t = tokenize(src);
  const found: string[] = [];
  for (let i = 0; i < t.length; i++) {
    const w = t[i].text;
    if (w !== 'update' && w !== 'delete') continue;
    if (NOT_A_STATEMENT.has(t[i - 1]?.text ?? '')) continue;
    if (w === 'delete' && t[i + 1]?.text !== 'from') continue;
    if (w === 'update' && !t.slice(i + 2, i + 8).some((x) => x.text === 'set')) continue;
    let depth = 0;
    let guarded = false;
    for (let j = i + 1; j < t.length; j++) {
      const x = t[j].text;
      if (x === '(') depth++;
      else if (x === ')' && --depth < 0) break;
      else if (x === ';' && depth === 0) break;
      else if (x === 'where' && depth === 0) {
        guarded = true;
        break;
      }
    }
    if (!guarded) {
      const line = src.slice(t[i].at).split('\n')[0].trim();
      found.push(line.length > 90 ? `${line.slice(0, 90)}…` : line);
    }
  }
  return found;
}

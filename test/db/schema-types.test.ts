// src/types/database.ts must be what the migrations produce: a drift fails here.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateTypes, typesFile } from '../../scripts/gen-types.mjs';

describe('generated database types', () => {
  it('match the migrations (run `npm run gen:types` after changing SQL)', async () => {
    const expected: string = await generateTypes();
    expect(fs.readFileSync(typesFile, 'utf8')).toBe(expected);
    // A sanity check that the generator saw the schema at all.
    expect(expected).toContain('adjust_credits: {');
    expect(expected).toContain('credit_transactions: {');
  });
});

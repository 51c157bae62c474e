import { describe, expect, it } from 'vitest';
import type { GetListResult } from 'react-admin';
import { countByThreshold } from './listCounts';

type Params = {
  pagination: { page: number; perPage: number };
  meta?: { headers?: Record<string, string> };
};

/** A table of `rows` rows whose planner believes it holds `planned`. */
function fakeTable(rows: number, planned: number) {
  const prefers: string[] = [];
  const fetch = async ({ pagination, meta }: Params): Promise<GetListResult> => {
    const prefer = meta?.headers?.Prefer ?? '';
    prefers.push(prefer);
    const start = (pagination.page - 1) * pagination.perPage;
    const data = Array.from(
      { length: Math.max(0, Math.min(pagination.perPage, rows - start)) },
      (_, i) => ({ id: start + i }),
    );
    const total = prefer === 'count=exact' ? rows : prefer === 'count=planned' ? planned : NaN;
    // PostgREST refuses a page past a known count (416); without a count it has none.
    if (Number.isFinite(total) && start > total) throw new Error('416');
    return { data, total };
  };
  return { fetch, prefers };
}

describe('list totals by threshold', () => {
  it('counts exactly when the planner expects fewer rows than the threshold', async () => {
    const table = fakeTable(7012, 1870);
    const result = await countByThreshold(table.fetch, { pagination: { page: 1, perPage: 25 } });
    expect(result.total).toBe(7012);
    expect(table.prefers).toEqual(['handling=lenient', 'count=planned', 'count=exact']);
  });

  it('takes the total of a short page from its rows, without a count', async () => {
    const table = fakeTable(57, 10);
    const last = await countByThreshold(table.fetch, { pagination: { page: 3, perPage: 25 } });
    expect(last.total).toBe(57);
    const empty = fakeTable(0, 10);
    expect(
      (await countByThreshold(empty.fetch, { pagination: { page: 1, perPage: 25 } })).total,
    ).toBe(0);
    expect([...table.prefers, ...empty.prefers]).not.toContain('count=exact');
  });

  it('counts an empty page past the first, which may be past a list that shrank', async () => {
    const table = fakeTable(20, 20);
    const past = await countByThreshold(table.fetch, { pagination: { page: 2, perPage: 25 } });
    expect(past.data).toHaveLength(0);
    expect(past.total).toBe(20);
    expect(table.prefers).toContain('count=exact');
  });

  it('keeps the estimate above it, and pages by the rows, not by the estimate', async () => {
    const table = fakeTable(160, 100);
    const page5 = await countByThreshold(table.fetch, { pagination: { page: 4, perPage: 25 } }, 50);
    expect(page5.total).toBeUndefined();
    expect(page5.meta).toEqual({ estimatedTotal: 100 });
    // Page 4 ends at row 100, where the estimate ends too; rows remain, so a next page.
    expect(page5.pageInfo).toEqual({ hasPreviousPage: true, hasNextPage: true });
    // Past the estimate the rows are still reached.
    const last = await countByThreshold(table.fetch, { pagination: { page: 7, perPage: 25 } }, 50);
    expect(last.data).toHaveLength(10);
    // …and being short, the last page tells the true total the estimate missed.
    expect(last.total).toBe(160);
    expect(table.prefers).not.toContain('count=exact');
  });

  it("asks for what goes alongside with the page's rows while the exact count is out, and keeps its answer", async () => {
    const table = fakeTable(7012, 1870);
    const events: string[] = [];
    const counting = async (params: Params) => {
      const prefer = params.meta?.headers?.Prefer;
      if (prefer === 'count=exact') events.push('count asked');
      const answer = await table.fetch(params);
      if (prefer === 'count=exact') events.push('count answered');
      return answer;
    };
    const result = await countByThreshold(
      counting,
      { pagination: { page: 1, perPage: 25 } },
      undefined,
      async (rows) => {
        events.push(`alongside asked with ${rows.length} rows`);
        return { prefetched: { customers: [{ id: 'c-1' }] } };
      },
    );
    expect(events).toEqual(['alongside asked with 25 rows', 'count asked', 'count answered']);
    expect(result.total).toBe(7012);
    expect(result.meta).toEqual({ prefetched: { customers: [{ id: 'c-1' }] } });
    // The estimate's and the short page's results carry it too.
    const estimated = await countByThreshold(
      table.fetch,
      { pagination: { page: 1, perPage: 25 } },
      50,
      async () => ({ prefetched: {} }),
    );
    expect(estimated.meta).toEqual({ prefetched: {}, estimatedTotal: 1870 });
  });
});

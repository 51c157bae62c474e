import { describe, expect, it } from 'vitest';
import type { GetManyParams } from 'react-admin';
import { relatedOfPage, withoutPrefetch } from './prefetch';

describe('prefetching the records a page names', () => {
  it('asks once for the distinct customers of the rows, skipping rows without one', async () => {
    const asked: [string, GetManyParams][] = [];
    const related = relatedOfPage(['customers'], async (resource, params) => {
      asked.push([resource, params]);
      return { data: params.ids.map((id) => ({ id, email: `${id}@x` })) };
    });
    const answer = await related!([
      { id: 1, customer_id: 'a' },
      { id: 2, customer_id: 'a' },
      { id: 3, customer_id: null },
      { id: 4, customer_id: 'b' },
    ]);
    expect(asked).toEqual([['customers', { ids: ['a', 'b'] }]]);
    expect(answer).toEqual({
      prefetched: {
        customers: [
          { id: 'a', email: 'a@x' },
          { id: 'b', email: 'b@x' },
        ],
      },
    });
  });

  it('leaves the list alone when the customers cannot be read, and asks nothing for no rows', async () => {
    const failing = relatedOfPage(['customers'], async () => {
      throw new Error('offline');
    });
    expect(await failing!([{ id: 1, customer_id: 'a' }])).toEqual({});
    let calls = 0;
    const counting = relatedOfPage(['customers'], async () => {
      calls += 1;
      return { data: [] };
    });
    expect(await counting!([])).toEqual({ prefetched: { customers: [] } });
    expect(calls).toBe(0);
    expect(relatedOfPage(undefined, async () => ({ data: [] }))).toBeUndefined();
    // A resource the rows name by no known column is the list's mistake, said at once.
    expect(() => relatedOfPage(['invoices'], async () => ({ data: [] }))).toThrow(
      'prefetch: no foreign key known for invoices',
    );
  });

  it('keeps prefetch out of what reaches PostgREST, and the rest of meta in', () => {
    expect(
      withoutPrefetch({
        pagination: { page: 1, perPage: 25 },
        sort: { field: 'id', order: 'DESC' },
        filter: {},
        meta: { prefetch: ['customers'], nullslast: true },
      }).meta,
    ).toEqual({ prefetch: undefined, nullslast: true });
  });
});

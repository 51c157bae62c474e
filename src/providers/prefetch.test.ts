import { describe, expect, it } from 'vitest';
import type { GetListResult } from 'react-admin';
import { withPrefetched } from './prefetch';

describe('withPrefetched', () => {
  it('asks for the embed and hands the related rows back apart, once each, skipping null ones', async () => {
    let asked: unknown;
    const result = await withPrefetched(
      { pagination: { page: 1, perPage: 3 }, meta: { prefetch: ['customers'], nullslast: true } },
      async (params): Promise<GetListResult> => {
        asked = params.meta;
        return {
          data: [
            { id: 1, customer_id: 'a', customers: { id: 'a', email: 'a@x' } },
            { id: 2, customer_id: 'a', customers: { id: 'a', email: 'a@x' } },
            { id: 3, customer_id: null, customers: null },
            { id: 4, customer_id: 'b' },
          ],
          total: 4,
        };
      },
    );
    expect(asked).toEqual({ embed: ['customers'], prefetch: undefined, nullslast: true });
    expect(result.data).toEqual([
      { id: 1, customer_id: 'a' },
      { id: 2, customer_id: 'a' },
      { id: 3, customer_id: null },
      { id: 4, customer_id: 'b' },
    ]);
    expect(result.meta.prefetched).toEqual({ customers: [{ id: 'a', email: 'a@x' }] });
    expect(result.total).toBe(4);
  });

  it('leaves a list without prefetch as it is', async () => {
    const page = { data: [{ id: 1 }], total: 1 };
    expect(await withPrefetched({ meta: {} }, async () => page)).toBe(page);
  });
});

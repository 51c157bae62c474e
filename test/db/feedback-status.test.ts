// Issue 16.13: handled feedback cannot silently go back to "new" — refused by the database,
// through the real PostgREST with a real support JWT.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO, serviceClient, signedIn, unique, type Client } from '../support/db';

let support: Client;
beforeAll(async () => {
  support = await signedIn(DEMO.support);
});

async function feedbackWith(status: string) {
  const id = unique('fb');
  const { error } = await serviceClient().from('feedback').insert({ id, comment: 'x', status });
  expect(error).toBeNull();
  return id;
}

describe('feedback status', () => {
  for (const status of ['resolved', 'dismissed']) {
    it(`${status} feedback cannot go back to new: 409 with what to do instead, nothing changed`, async () => {
      const id = await feedbackWith(status);
      const { error, status: http } = await support
        .from('feedback')
        .update({ status: 'new' })
        .eq('id', id);
      expect(http).toBe(409);
      expect(error?.message).toBe(`Feedback ${id} is ${status}; it cannot go back to new.`);
      expect(error?.hint).toBe('To reopen it, set it to reviewed.');
      const { data } = await serviceClient()
        .from('feedback')
        .select('status')
        .eq('id', id)
        .single();
      expect(data?.status).toBe(status);
    });
  }

  it('resolved feedback reopens as reviewed; feedback that was never handled moves freely', async () => {
    const resolved = await feedbackWith('resolved');
    expect(
      (await support.from('feedback').update({ status: 'reviewed' }).eq('id', resolved)).error,
    ).toBeNull();
    const fresh = await feedbackWith('new');
    for (const status of ['reviewed', 'new'] as const)
      expect((await support.from('feedback').update({ status }).eq('id', fresh)).error).toBeNull();
  });
});

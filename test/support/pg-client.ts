import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

/**
 * A direct connection for the tests of one describe block: opened before them, closed after.
 * Call it inside the block; use the returned getter in the tests.
 */
export function pgClient(connectionString: () => string): () => pg.Client {
  let client: pg.Client | undefined;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: connectionString() });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
  });
  return () => client!;
}

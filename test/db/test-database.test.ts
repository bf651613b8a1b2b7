import { Client } from 'pg';
import { createTestDatabase } from '../support/test-database';

describe('test database harness', () => {
  it('gives each test file its own migrated database', async () => {
    const first = await createTestDatabase();
    const second = await createTestDatabase();
    try {
      expect(first.url).not.toEqual(second.url);
      const client = new Client({ connectionString: first.url });
      await client.connect();
      const { rows } = await client.query<{ name: string }>('SELECT current_database() AS name');
      await client.end();
      expect(first.url.endsWith(`/${rows[0].name}`)).toBe(true);
    } finally {
      await first.drop();
      await second.drop();
    }
  });
});

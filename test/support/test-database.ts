import { randomBytes } from 'node:crypto';
import { createDatabase, dropDatabase, withDatabase } from '../../src/db/database-admin';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.IB_TEST_ADMIN_URL;
  const template = process.env.IB_TEST_TEMPLATE;
  if (!adminUrl || !template) throw new Error('test database harness not initialised: run through jest (global-setup.ts)');
  const name = `ib_test_${randomBytes(6).toString('hex')}`;
  await createDatabase(adminUrl, name, template);
  return { url: withDatabase(adminUrl, name), drop: () => dropDatabase(adminUrl, name) };
}

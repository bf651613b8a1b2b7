import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createDatabase, dropDatabase, withDatabase } from '../../src/db/database-admin';
import { createDataSource, runMigrations } from '../../src/db/data-source';
import { MIGRATIONS } from '../../migrations';

describe('migrations on instances that start together', () => {
  const adminUrl = process.env.IB_TEST_ADMIN_URL!;
  const name = `ib_migrate_${randomBytes(6).toString('hex')}`;
  beforeAll(() => createDatabase(adminUrl, name));
  afterAll(() => dropDatabase(adminUrl, name));

  it('apply once, one instance after the other, both starting normally', async () => {
    const instances = [0, 1, 2].map(() => createDataSource({ url: withDatabase(adminUrl, name), poolSize: 2 }));
    await Promise.all(instances.map((instance) => instance.initialize()));
    try {
      const applied = await Promise.all(instances.map((instance) => runMigrations(instance)));
      expect(applied.flat().sort()).toEqual(MIGRATIONS.map((migration) => new migration().name!).sort());
      const [{ count }] = await instances[0].query('SELECT count(*)::int AS count FROM migrations');
      expect(count).toBe(MIGRATIONS.length);
    } finally {
      await Promise.all(instances.map((instance) => instance.destroy()));
    }
  });
});

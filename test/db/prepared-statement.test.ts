import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { runPrepared } from '../../src/db/prepared-statement';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const SETTING = { name: 'test_read_setting', text: `SELECT current_setting('application_name') AS name` };
const COUNT = { name: 'test_count_marker', text: `SELECT count(*)::int AS n FROM prepared_statement_marker WHERE label = $1` };

describe('runPrepared', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDataSource({ url: database.url, poolSize: 4 });
    await db.initialize();
    await db.query(`CREATE TABLE prepared_statement_marker (label text)`);
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  it('runs inside the transaction of the manager it is given (it sees the transaction’s own writes)', async () => {
    await db.transaction(async (manager) => {
      await manager.query(`INSERT INTO prepared_statement_marker VALUES ('uncommitted')`);
      expect(await runPrepared(manager, COUNT, ['uncommitted'])).toEqual([{ n: 1 }]);
      expect(await runPrepared(db, COUNT, ['uncommitted'])).toEqual([{ n: 0 }]);
    });
  });

  it('runs on a query runner’s own connection even outside a transaction', async () => {
    const runner = db.createQueryRunner();
    try {
      await runner.query(`SET application_name = 'dedicated runner'`);
      expect(await runPrepared(runner.manager, SETTING, [])).toEqual([{ name: 'dedicated runner' }]);
    } finally {
      await runner.query(`RESET application_name`);
      await runner.release();
    }
  });

  it('prepares once per connection and runs again with new values', async () => {
    await db.query(`INSERT INTO prepared_statement_marker VALUES ('a'), ('b'), ('b')`);
    for (let round = 0; round < 3; round += 1) {
      expect(await runPrepared(db, COUNT, ['a'])).toEqual([{ n: 1 }]);
      expect(await runPrepared(db, COUNT, ['b'])).toEqual([{ n: 2 }]);
    }
  });
});

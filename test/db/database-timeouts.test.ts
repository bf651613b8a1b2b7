import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { MIGRATIONS } from '../../migrations';
import { createDatabase, dropDatabase, withDatabase } from '../../src/db/database-admin';
import { createDataSource, runMigrations } from '../../src/db/data-source';
import { isDatabaseUnavailable } from '../../src/db/unavailable';
import { postgresErrorCode } from '../../src/db/error-code';

/** DB_STATEMENT_TIMEOUT_MS bounds the application's statements, never a migration. */
describe('database timeouts', () => {
  const adminUrl = process.env.IB_TEST_ADMIN_URL!;
  const name = `ib_timeouts_${randomBytes(6).toString('hex')}`;
  const url = withDatabase(adminUrl, name);
  const STATEMENT_TIMEOUT_MS = 200;

  beforeAll(() => createDatabase(adminUrl, name));
  afterAll(() => dropDatabase(adminUrl, name));

  it('runs migrations without the statement timeout, and gives the pool its timeout back afterwards', async () => {
    // One connection, so the statements after the migrations run on the session the migrations used.
    const db = createDataSource({ url, poolSize: 1, statementTimeoutMs: STATEMENT_TIMEOUT_MS });
    await db.initialize();
    const blocker = new Client({ connectionString: url });
    await blocker.connect();
    try {
      // The migrations' first read of their table waits on the test's lock for well past the statement timeout.
      await blocker.query(`CREATE TABLE migrations (id SERIAL PRIMARY KEY, "timestamp" bigint NOT NULL, name character varying NOT NULL)`);
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE migrations IN ACCESS EXCLUSIVE MODE');
      const migrating = runMigrations(db);
      const outcome = migrating.then(
        () => 'applied',
        (error: unknown) => `failed: ${String(error)}`,
      );
      for (;;) {
        const waited = await blocker.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND clock_timestamp() - query_start > $2::interval`,
          [name, `${2 * STATEMENT_TIMEOUT_MS} milliseconds`],
        );
        if (waited.rowCount) break;
        // Had the timeout applied, the migrations would have given up by now: stop waiting and report it.
        if ((await Promise.race([outcome, new Promise((resolve) => setTimeout(() => resolve('waiting'), 20))])) !== 'waiting') break;
      }
      await blocker.query('COMMIT');
      expect(await outcome).toBe('applied');
      expect((await db.query(`SELECT name FROM migrations ORDER BY id`)).map((row: { name: string }) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
      expect((await db.query('SHOW statement_timeout'))[0].statement_timeout).toBe(`${STATEMENT_TIMEOUT_MS}ms`);
    } finally {
      await blocker.end();
      await db.destroy();
    }
  });

  it('cancels an application statement past the timeout, as an error that means "retry"', async () => {
    const db = createDataSource({ url, poolSize: 2, statementTimeoutMs: STATEMENT_TIMEOUT_MS });
    await db.initialize();
    try {
      const error = await db.query('SELECT pg_sleep(5)').then(
        () => null,
        (failure: unknown) => failure,
      );
      expect(postgresErrorCode(error)).toBe('57014');
      expect(isDatabaseUnavailable(error)).toBe(true);
      // The connection stays usable.
      expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await db.destroy();
    }
  });
});

import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { MIGRATIONS } from '../../migrations';
import { createDatabase, dropDatabase, withDatabase } from '../../src/db/database-admin';
import { createDataSource, runMigrations } from '../../src/db/data-source';
import { isDatabaseUnavailable } from '../../src/db/unavailable';
import { postgresErrorCode } from '../../src/db/error-code';
import { TcpProxy } from '../../scripts/support/tcp-proxy';

/** DB_STATEMENT_TIMEOUT_MS bounds the application's statements, never a migration; a silent connection is dropped. */
describe('database timeouts', () => {
  const adminUrl = process.env.IB_TEST_ADMIN_URL!;
  const name = `ib_timeouts_${randomBytes(6).toString('hex')}`;
  const url = withDatabase(adminUrl, name);
  const STATEMENT_TIMEOUT_MS = 200;

  beforeAll(() => createDatabase(adminUrl, name));
  afterAll(() => dropDatabase(adminUrl, name));

  it('runs migrations without the statement timeout, and leaves the pool its timeout', async () => {
    const db = createDataSource({ url, poolSize: 1, statementTimeoutMs: STATEMENT_TIMEOUT_MS });
    await db.initialize();
    const blocker = new Client({ connectionString: url });
    await blocker.connect();
    // Outside the blocker's transaction, whose view of pg_stat_activity would stay as it was at its first read.
    const watcher = new Client({ connectionString: url });
    await watcher.connect();
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
        const waited = await watcher.query(
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
      await watcher.end();
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

  it('closes a connection whose statement got no reply at all (a silent partition), so the pool never hands it out again', async () => {
    const proxy = await TcpProxy.forDatabase(url);
    const db = createDataSource({ url: proxy.url(url), poolSize: 2, connectTimeoutMs: 500, statementTimeoutMs: STATEMENT_TIMEOUT_MS });
    await db.initialize();
    const pool = (db.driver as unknown as { master: Pool }).master;
    const failure = (query: Promise<unknown>) =>
      query.then(
        () => null,
        (error: unknown) => error as Error,
      );
    try {
      expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      expect(pool.totalCount).toBe(1);
      proxy.cut('freeze');
      const silent = await failure(db.query('SELECT 1 AS one'));
      expect(silent?.message).toBe('Query read timeout');
      expect(isDatabaseUnavailable(silent)).toBe(true);
      // The next statement does not queue behind the dead one on its connection: it asks for a new connection
      // (which the partition holds too, until the connect timeout).
      const next = await failure(db.query('SELECT 1 AS one'));
      expect(next?.message).toMatch(/^Connection terminated due to connection timeout/);
      expect(isDatabaseUnavailable(next)).toBe(true);
      proxy.restore();
      expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await db.destroy();
      await proxy.close();
    }
  });
});

import 'reflect-metadata';
import { NotificationDueAt1796142000000 } from '../../migrations/1796142000000-NotificationDueAt';
import { NotificationDueAtForPreviousRelease1796146000000 } from '../../migrations/1796146000000-NotificationDueAtForPreviousRelease';
import { createDataSource } from '../../src/db/data-source';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('migration NotificationDueAt', () => {
  let database: TestDatabase;
  const dataSource = () => createDataSource({ url: database.url, poolSize: 2 });

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('backfills due_at of existing rows from the delay in their idempotency key, however far retries moved next_attempt_at', async () => {
    const db = dataSource();
    await db.initialize();
    const runner = db.createQueryRunner();
    try {
      const migration = new NotificationDueAt1796142000000();
      // The later migration's trigger reads due_at: take both back, in order.
      const trigger = new NotificationDueAtForPreviousRelease1796146000000();
      await trigger.down(runner);
      await migration.down(runner);
      const insert = `INSERT INTO notification (idempotency_key, channel, address, subject, body, reason, status, attempts, max_attempts, next_attempt_at, created_at)
                      VALUES ($1, 'EMAIL', 'rita@example.com', 's', 'b', 'escalation step 1', 'FAILED', 5, 5, $2, '2026-03-02T08:00:00Z') RETURNING id`;
      const [retried] = await runner.query(insert, ['escalate:i:0:0:p:EMAIL:rita@example.com:5', '2026-03-03T09:30:00Z']);
      const [unusual] = await runner.query(insert, ['hand-written-key', '2026-03-02T08:07:00Z']);
      await migration.up(runner);
      await trigger.up(runner);
      const rows: Array<{ id: string; due_at: Date }> = await runner.query(`SELECT id, due_at FROM notification WHERE id = ANY($1)`, [[retried.id, unusual.id]]);
      const dueAt = new Map(rows.map((row) => [row.id, row.due_at.toISOString()]));
      expect(dueAt.get(retried.id)).toBe('2026-03-02T08:05:00.000Z');
      expect(dueAt.get(unusual.id)).toBe('2026-03-02T08:07:00.000Z');
      const [{ nullable }] = await runner.query(`SELECT is_nullable AS nullable FROM information_schema.columns WHERE table_name = 'notification' AND column_name = 'due_at'`);
      expect(nullable).toBe('NO');
    } finally {
      await runner.release();
      await db.destroy();
    }
  });

  it('fills due_at of a page inserted the previous release’s way (without it) from its first next attempt, during a rolling deploy', async () => {
    const db = dataSource();
    await db.initialize();
    try {
      const [row] = await db.query(
        `INSERT INTO notification (idempotency_key, channel, address, subject, body, reason, status, attempts, max_attempts, next_attempt_at, created_at)
         VALUES ('escalate:old:0:0:p:SMS:+351910000001:0', 'SMS', '+351910000001', 's', 'b', 'escalation step 1', 'PENDING', 0, 5, '2026-12-01T10:05:00Z', '2026-12-01T10:00:00Z')
         RETURNING due_at`,
      );
      expect(row.due_at.toISOString()).toBe('2026-12-01T10:05:00.000Z');
    } finally {
      await db.destroy();
    }
  });
});

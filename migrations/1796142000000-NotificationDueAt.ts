import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * notification.due_at: when a page was first due (decision time + the rule's delay). next_attempt_at moves
 * with every retry, so it cannot order a keyset-paginated list; due_at never changes.
 */
export class NotificationDueAt1796142000000 implements MigrationInterface {
  name = 'NotificationDueAt1796142000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE notification ADD COLUMN due_at timestamptz`);
    // Every idempotency key ends with ':<delay in minutes>' (notification-planner); anything else falls back to the next attempt.
    await db.query(`
      UPDATE notification
         SET due_at = CASE WHEN idempotency_key ~ ':[0-9]{1,4}$'
                           THEN created_at + make_interval(mins => substring(idempotency_key FROM ':([0-9]{1,4})$')::int)
                           ELSE next_attempt_at END`);
    await db.query(`ALTER TABLE notification ALTER COLUMN due_at SET NOT NULL`);
    await db.query(`CREATE INDEX notification_incident_order_idx ON notification (incident_id, created_at, due_at, channel, id)`);
    await db.query(`DROP INDEX notification_incident_idx`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX notification_incident_idx ON notification (incident_id, created_at)`);
    await db.query(`DROP INDEX notification_incident_order_idx`);
    await db.query(`ALTER TABLE notification DROP COLUMN due_at`);
  }
}

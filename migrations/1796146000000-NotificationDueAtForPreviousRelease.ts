import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * During a rolling deploy, instances of the previous release still insert pages without due_at (NOT NULL since
 * NotificationDueAt): their first due time is their first next_attempt_at, which this trigger copies. It can go
 * once no release before 2026-12 runs any more.
 */
export class NotificationDueAtForPreviousRelease1796146000000 implements MigrationInterface {
  name = 'NotificationDueAtForPreviousRelease1796146000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION notification_due_at_from_next_attempt() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.due_at := coalesce(NEW.due_at, NEW.next_attempt_at);
        RETURN NEW;
      END
      $$`);
    await db.query(`
      CREATE TRIGGER notification_due_at_default BEFORE INSERT ON notification
        FOR EACH ROW WHEN (NEW.due_at IS NULL) EXECUTE FUNCTION notification_due_at_from_next_attempt()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER IF EXISTS notification_due_at_default ON notification`);
    await db.query(`DROP FUNCTION IF EXISTS notification_due_at_from_next_attempt()`);
  }
}

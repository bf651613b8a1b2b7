import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * incidentMetrics' alertsSuppressedByMaintenance reads the alerts a window suppressed by their arrival; they are few
 * among all alerts, so a partial index finds a year's of them without reading every alert of the year.
 */
export class SuppressedAlertIndex1796157300000 implements MigrationInterface {
  name = 'SuppressedAlertIndex1796157300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX alert_suppressed_seen_idx ON alert (first_seen_at) WHERE suppressed_by IS NOT NULL OR suppressed`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS alert_suppressed_seen_idx`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

export class UnattachedAlertIndex1796145200000 implements MigrationInterface {
  name = 'UnattachedAlertIndex1796145200000';

  async up(db: QueryRunner): Promise<void> {
    // Firing alerts still waiting for an incident, for the repair job: a handful at any time (the fast path attaches
    // within milliseconds), so the job's scan stays cheap however large alert grows. Repeats change none of these
    // columns, so they stay HOT updates.
    await db.query(`CREATE INDEX alert_unattached_idx ON alert (first_seen_at) WHERE incident_id IS NULL AND status = 'FIRING' AND NOT suppressed`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS alert_unattached_idx`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

export class BoundedDeadLetters1796143000000 implements MigrationInterface {
  name = 'BoundedDeadLetters1796143000000';

  async up(db: QueryRunner): Promise<void> {
    // Unauthenticated rejections are counted here per hour; only a capped sample of them becomes dead letters.
    await db.query(`
      CREATE TABLE unauthenticated_webhook_count (
        integration_id uuid REFERENCES integration(id) ON DELETE CASCADE,
        reason text NOT NULL,
        window_start timestamptz NOT NULL,
        rejected integer NOT NULL
      )`);
    // Requests naming no integration share one row per reason and hour (integration_id NULL).
    await db.query(`
      CREATE UNIQUE INDEX unauthenticated_webhook_count_key ON unauthenticated_webhook_count (integration_id, reason, window_start) NULLS NOT DISTINCT`);
    await db.query(`CREATE INDEX unauthenticated_webhook_count_window_idx ON unauthenticated_webhook_count (window_start)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS unauthenticated_webhook_count`);
  }
}

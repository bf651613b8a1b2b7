import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The integration delivery log (#16): the recent deliveries of each integration, whatever their outcome, so "did the
 * vendor call us at all?" has an answer. Bounded per integration (pruned on write and by a retention job); newest first
 * through (integration_id, received_at DESC, id DESC), its only index besides the key: every delivery writes a row, and
 * the table is small by its bound, so the retention job's age cut reads it whole rather than every write paying for
 * another index. On the integration: when it was last called (moved only forward, by a second or more) and how often
 * it is expected to be, for `silent`. Additive only: the previous release neither writes nor reads any of it.
 */
export class IntegrationDeliveryLog1796157400000 implements MigrationInterface {
  name = 'IntegrationDeliveryLog1796157400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE integration_delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        integration_id uuid NOT NULL REFERENCES integration(id) ON DELETE CASCADE,
        received_at timestamptz NOT NULL,
        channel text NOT NULL CHECK (channel IN ('WEBHOOK', 'PAGERDUTY_EVENTS', 'OPSGENIE', 'EMAIL')),
        outcome text NOT NULL CHECK (outcome IN ('ACCEPTED', 'DUPLICATE', 'REJECTED', 'RATE_LIMITED', 'UNAUTHORIZED', 'FAILED')),
        status_code smallint NOT NULL,
        alerts_accepted integer NOT NULL DEFAULT 0,
        latency_ms integer NOT NULL,
        request_id text,
        error text
      )`);
    await db.query(`CREATE INDEX integration_delivery_recent_idx ON integration_delivery (integration_id, received_at DESC, id DESC)`);
    await db.query(`ALTER TABLE integration ADD COLUMN last_delivery_at timestamptz`);
    await db.query(
      `ALTER TABLE integration ADD COLUMN expected_delivery_interval_seconds integer CHECK (expected_delivery_interval_seconds BETWEEN 60 AND 2592000)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE integration DROP COLUMN IF EXISTS expected_delivery_interval_seconds`);
    await db.query(`ALTER TABLE integration DROP COLUMN IF EXISTS last_delivery_at`);
    await db.query(`DROP TABLE IF EXISTS integration_delivery`);
  }
}

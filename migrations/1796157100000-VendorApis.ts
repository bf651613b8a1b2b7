import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The drop-in PagerDuty Events API v2 and Opsgenie Alert API (#16). Their keys arrive without an integration id, so an
 * integration is found by its secret's hash (indexed here). PagerDuty change events are no alerts: kept per service.
 * Opsgenie answers every request 202 and reports its outcome under a request id, which any instance must answer.
 */
export class VendorApis1796157100000 implements MigrationInterface {
  name = 'VendorApis1796157100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX integration_secret_hash_idx ON integration (secret_hash)`);
    await db.query(`CREATE INDEX integration_previous_secret_hash_idx ON integration (previous_secret_hash) WHERE previous_secret_hash IS NOT NULL`);
    await db.query(`
      CREATE TABLE change_event (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        service_id uuid NOT NULL REFERENCES service(id) ON DELETE CASCADE,
        integration_id uuid REFERENCES integration(id) ON DELETE SET NULL,
        summary text NOT NULL,
        source text,
        happened_at timestamptz NOT NULL,
        custom_details jsonb,
        links jsonb NOT NULL DEFAULT '[]',
        received_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX change_event_service_idx ON change_event (service_id, happened_at DESC, id DESC)`);
    await db.query(`CREATE INDEX change_event_received_idx ON change_event (received_at)`);
    await db.query(`
      CREATE TABLE vendor_api_request (
        request_id uuid PRIMARY KEY,
        integration_id uuid NOT NULL REFERENCES integration(id) ON DELETE CASCADE,
        action text NOT NULL,
        success boolean NOT NULL,
        status text NOT NULL,
        alert_id uuid,
        alias text,
        processed_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX vendor_api_request_processed_idx ON vendor_api_request (processed_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE vendor_api_request`);
    await db.query(`DROP TABLE change_event`);
    await db.query(`DROP INDEX integration_previous_secret_hash_idx`);
    await db.query(`DROP INDEX integration_secret_hash_idx`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WebhookReceipts1796144000000 implements MigrationInterface {
  name = 'WebhookReceipts1796144000000';

  async up(db: QueryRunner): Promise<void> {
    // Vendors' own ids of deliveries already taken in (Twilio's MessageSid), so a retried delivery counts once.
    await db.query(`
      CREATE TABLE webhook_receipt (
        integration_id uuid NOT NULL REFERENCES integration(id) ON DELETE CASCADE,
        delivery_id text NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (integration_id, delivery_id)
      )`);
    await db.query(`CREATE INDEX webhook_receipt_received_idx ON webhook_receipt (received_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS webhook_receipt`);
  }
}

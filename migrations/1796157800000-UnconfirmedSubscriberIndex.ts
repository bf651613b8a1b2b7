import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The retention job finds subscriptions nobody confirmed by their link's expiry, without reading the confirmed ones. */
export class UnconfirmedSubscriberIndex1796157800000 implements MigrationInterface {
  name = 'UnconfirmedSubscriberIndex1796157800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX status_subscriber_unconfirmed_idx ON status_subscriber (confirm_expires_at) WHERE confirmed_at IS NULL AND unsubscribed_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS status_subscriber_unconfirmed_idx`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inbound e-mail (#16) names its integration only by the secret in the recipient address, so the integration is found
 * by the secret's hash (the current one, or the previous one during its grace period) on every RCPT TO.
 */
export class IntegrationSecretLookup1796157200000 implements MigrationInterface {
  name = 'IntegrationSecretLookup1796157200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX integration_secret_hash_idx ON integration (secret_hash)`);
    await db.query(`CREATE INDEX integration_previous_secret_hash_idx ON integration (previous_secret_hash) WHERE previous_secret_hash IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS integration_previous_secret_hash_idx`);
    await db.query(`DROP INDEX IF EXISTS integration_secret_hash_idx`);
  }
}

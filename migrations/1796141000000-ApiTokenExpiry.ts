import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ApiTokenExpiry1796141000000 implements MigrationInterface {
  name = 'ApiTokenExpiry1796141000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE api_token ADD COLUMN expires_at timestamptz`);
    await db.query(`ALTER TABLE api_token ADD COLUMN updated_at timestamptz`);
    // The last-admin check locks the active admin tokens; this keeps finding them cheap.
    await db.query(`CREATE INDEX api_token_active_admin_idx ON api_token (id) WHERE role = 'ADMIN' AND revoked_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS api_token_active_admin_idx`);
    await db.query(`ALTER TABLE api_token DROP COLUMN IF EXISTS updated_at`);
    await db.query(`ALTER TABLE api_token DROP COLUMN IF EXISTS expires_at`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The public RCA view is addressed by an HMAC public id (so the internal id does not leak); the id is one-way, so it
 * is stored to find the document by it without hashing every RCA's id per request.
 */
export class RcaPublicId1796156300000 implements MigrationInterface {
  name = 'RcaPublicId1796156300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE rca_document ADD COLUMN public_id text UNIQUE CHECK (public_id ~ '^[a-z2-7]{12}$')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE rca_document DROP COLUMN IF EXISTS public_id`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IncidentTitleSearch1796148000000 implements MigrationInterface {
  name = 'IncidentTitleSearch1796148000000';

  async up(db: QueryRunner): Promise<void> {
    // `titleContains` is ILIKE '%text%': no B-tree serves a substring, so without this every search scanned every
    // incident (~120 ms at 300,000). pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create
    // it without superuser rights. Patterns under three characters still scan (trigrams need three).
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await db.query(`CREATE INDEX incident_title_trgm_idx ON incident USING gin (title gin_trgm_ops)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS incident_title_trgm_idx`);
  }
}

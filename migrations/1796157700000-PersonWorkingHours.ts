import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each person's working hours in their own zone, which decide whether a page interrupted them (the metrics'
 * business / off / sleep bands); everyone starts on the bands' former fixed Monday–Friday 09:00–18:00.
 */
export class PersonWorkingHours1796157700000 implements MigrationInterface {
  name = 'PersonWorkingHours1796157700000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE person ADD COLUMN working_hours jsonb NOT NULL DEFAULT '{"days": [1, 2, 3, 4, 5], "start": "09:00", "end": "18:00"}'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE person DROP COLUMN IF EXISTS working_hours`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every committed change gets a sequence number in change_log, written in the same transaction as the change,
 * and is announced with pg_notify carrying that number: a listener that was disconnected replays what it missed,
 * and a subscription resumes after a cursor. ib_emit_change is the one way to emit a change.
 */
export class ChangeLog1796145000000 implements MigrationInterface {
  name = 'ChangeLog1796145000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE change_log (
        seq bigserial PRIMARY KEY,
        change text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      ) WITH (fillfactor = 100)`);
    await db.query(`CREATE INDEX change_log_created_at_idx ON change_log (created_at)`);
    // The notification is the change with its sequence number first: instances of the previous release, which
    // read the payload as the change itself, still understand it (they ignore "seq").
    await db.query(`
      CREATE FUNCTION ib_emit_change(change text) RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE
        next_seq bigint;
      BEGIN
        INSERT INTO change_log (change) VALUES (change) RETURNING seq INTO next_seq;
        PERFORM pg_notify('incident_bridge_changes', '{"seq":' || next_seq || ',' || substr(change, 2));
        RETURN next_seq;
      END
      $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION IF EXISTS ib_emit_change(text)`);
    await db.query(`DROP TABLE IF EXISTS change_log`);
  }
}

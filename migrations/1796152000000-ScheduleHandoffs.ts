import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who each schedule last announced as on call and when that next changes (src/services/handoff.service.ts). The
 * handoff job claims rows whose next_handoff_at has passed with FOR UPDATE SKIP LOCKED, so each handoff is decided
 * by one instance; schedule edits rewrite the row in their own transaction.
 *
 * primary_ids NULL means "not computed yet": schedules that exist before this migration get a row due now, which
 * the job fills in without announcing anything (nobody was told who was on call before either).
 */
export class ScheduleHandoffs1796152000000 implements MigrationInterface {
  name = 'ScheduleHandoffs1796152000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE schedule_handoff_state (
        schedule_id uuid PRIMARY KEY REFERENCES schedule(id) ON DELETE CASCADE,
        primary_ids uuid[],
        backup_ids uuid[],
        on_call_since timestamptz,
        next_handoff_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX schedule_handoff_state_due_idx ON schedule_handoff_state (next_handoff_at)`);
    await db.query(`INSERT INTO schedule_handoff_state (schedule_id, next_handoff_at, updated_at) SELECT id, now(), now() FROM schedule`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS schedule_handoff_state`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Intervals in minutes: at most a week, so a typo cannot push an obligation out of sight. */
const MINUTES = (column: string) => `${column} integer CHECK (${column} BETWEEN 1 AND 10080)`;

export class CommunicationCadence1796151000000 implements MigrationInterface {
  name = 'CommunicationCadence1796151000000';

  async up(db: QueryRunner): Promise<void> {
    // One editable policy per priority. A null interval asks for no obligation of that kind.
    await db.query(`
      CREATE TABLE communication_policy (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        priority text NOT NULL UNIQUE CHECK (priority IN ('P1','P2','P3','P4')),
        ${MINUTES('first_public_notice_minutes')},
        ${MINUTES('public_update_minutes')},
        ${MINUTES('internal_update_minutes')},
        ${MINUTES('status_page_update_minutes')},
        ${MINUTES('call_minutes')},
        escalation_grace_minutes integer NOT NULL CHECK (escalation_grace_minutes BETWEEN 1 AND 10080),
        updated_at timestamptz NOT NULL
      )`);
    // The reference process (../shared/DOMAIN.md) for P1 and P2; looser cadences for P3 and P4 (README: Communication cadence).
    // Written out here, not imported: a landed migration must not change when the code's defaults do.
    await db.query(`
      INSERT INTO communication_policy (priority, first_public_notice_minutes, public_update_minutes, internal_update_minutes,
                                        status_page_update_minutes, call_minutes, escalation_grace_minutes, updated_at)
      VALUES ('P1', 15, 30, 30, 60, 60, 10, now()),
             ('P2', 15, 30, 30, 60, 60, 10, now()),
             ('P3', 60, 120, 120, 120, NULL, 30, now()),
             ('P4', NULL, NULL, 240, NULL, NULL, 60, now())`);

    await db.query(`
      CREATE TABLE incident_call (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
        attendees text[] NOT NULL CHECK (cardinality(attendees) BETWEEN 1 AND 100),
        notes text CHECK (length(notes) <= 20000),
        recorded_by text NOT NULL,
        held_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX incident_call_incident_idx ON incident_call (incident_id, held_at)`);

    // Each obligation is a row: its subject is an incident or (once maintenance windows land, which adds the foreign
    // key) a maintenance window. next_action_at is when the job next looks at it: the due time (reminder), then the
    // escalation time, then never; meeting or ending it clears it, so the job's claim reads one partial index.
    await db.query(`
      CREATE TABLE communication_obligation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid REFERENCES incident(id) ON DELETE CASCADE,
        maintenance_window_id uuid,
        kind text NOT NULL CHECK (kind IN ('FIRST_PUBLIC_NOTICE','PUBLIC_UPDATE','INTERNAL_UPDATE','STATUS_PAGE_UPDATE','INCIDENT_CALL','MAINTENANCE_UPDATE')),
        due_at timestamptz NOT NULL,
        escalate_at timestamptz NOT NULL,
        next_action_at timestamptz,
        met_at timestamptz,
        met_by_status_update_id uuid REFERENCES status_update(id) ON DELETE SET NULL,
        met_by_call_id uuid REFERENCES incident_call(id) ON DELETE SET NULL,
        ended_at timestamptz,
        ended_reason text,
        reminded_at timestamptz,
        reminded_step integer,
        reminded_person_ids uuid[] NOT NULL DEFAULT '{}',
        escalated_at timestamptz,
        created_at timestamptz NOT NULL,
        CONSTRAINT communication_obligation_one_subject CHECK (num_nonnulls(incident_id, maintenance_window_id) = 1),
        CONSTRAINT communication_obligation_met_or_ended CHECK (met_at IS NULL OR ended_at IS NULL),
        CONSTRAINT communication_obligation_escalates_after_due CHECK (escalate_at >= due_at)
      )`);
    // At most one open obligation per subject and cadence (the first public notice and the public updates are one cadence).
    const cadence = `(CASE kind WHEN 'FIRST_PUBLIC_NOTICE' THEN 'PUBLIC_UPDATE' ELSE kind END)`;
    await db.query(
      `CREATE UNIQUE INDEX communication_obligation_open_incident_idx ON communication_obligation (incident_id, ${cadence})
        WHERE incident_id IS NOT NULL AND met_at IS NULL AND ended_at IS NULL`,
    );
    await db.query(
      `CREATE UNIQUE INDEX communication_obligation_open_window_idx ON communication_obligation (maintenance_window_id, ${cadence})
        WHERE maintenance_window_id IS NOT NULL AND met_at IS NULL AND ended_at IS NULL`,
    );
    await db.query(`CREATE INDEX communication_obligation_action_idx ON communication_obligation (next_action_at) WHERE next_action_at IS NOT NULL`);
    await db.query(`CREATE INDEX communication_obligation_incident_idx ON communication_obligation (incident_id, due_at) WHERE incident_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS communication_obligation`);
    await db.query(`DROP TABLE IF EXISTS incident_call`);
    await db.query(`DROP TABLE IF EXISTS communication_policy`);
  }
}

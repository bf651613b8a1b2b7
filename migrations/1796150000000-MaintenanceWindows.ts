import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MaintenanceWindows1796150000000 implements MigrationInterface {
  name = 'MaintenanceWindows1796150000000';

  async up(db: QueryRunner): Promise<void> {
    // Off-peak hours of a service: {zone, intervals: [{day, start, end}]}; a window outside them carries a warning.
    await db.query(`ALTER TABLE service ADD COLUMN off_peak_hours jsonb`);

    // The business-day calendar an ADMIN set through the API; without this row the configured one applies.
    await db.query(`
      CREATE TABLE maintenance_calendar (
        id smallint PRIMARY KEY CHECK (id = 1),
        region text,
        extra_dates text[] NOT NULL DEFAULT '{}',
        zone text NOT NULL,
        updated_at timestamptz NOT NULL
      )`);

    await db.query(`
      CREATE TABLE maintenance_window (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
        description text,
        team_id uuid REFERENCES team(id) ON DELETE SET NULL,
        status text NOT NULL CHECK (status IN ('SCHEDULED','IN_PROGRESS','COMPLETED','CANCELLED')),
        kind text NOT NULL CHECK (kind IN ('PLANNED','EMERGENCY')),
        -- The calendar the kind was derived with, so a later calendar change does not reclassify history.
        calendar jsonb NOT NULL,
        notice_business_days integer NOT NULL,
        -- When the notice for the current dates was given: the announcement, or the reschedule that moved it earlier.
        notice_given_at timestamptz NOT NULL,
        warnings text[] NOT NULL DEFAULT '{}',
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        announced_at timestamptz NOT NULL,
        announced_by_type text NOT NULL CHECK (announced_by_type IN ('TOKEN','PERSON','INTEGRATION','SYSTEM')),
        announced_by_id text,
        announced_by_name text NOT NULL,
        incident_priority text NOT NULL DEFAULT 'P1' CHECK (incident_priority IN ('P1','P2','P3','P4')),
        incident_id uuid REFERENCES incident(id) ON DELETE SET NULL,
        started_at timestamptz,
        completed_at timestamptz,
        cancelled_at timestamptz,
        cancel_reason text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CHECK (ends_at > starts_at)
      )`);
    // What the lifecycle job claims: windows due to start, and windows due to end.
    await db.query(`CREATE INDEX maintenance_window_starts_idx ON maintenance_window (starts_at) WHERE status = 'SCHEDULED'`);
    await db.query(`CREATE INDEX maintenance_window_ends_idx ON maintenance_window (ends_at) WHERE status = 'IN_PROGRESS'`);
    await db.query(`CREATE INDEX maintenance_window_list_idx ON maintenance_window (starts_at DESC, id DESC)`);

    await db.query(`
      CREATE TABLE maintenance_window_service (
        window_id uuid NOT NULL REFERENCES maintenance_window(id) ON DELETE CASCADE,
        service_id uuid NOT NULL REFERENCES service(id) ON DELETE CASCADE,
        impact text NOT NULL CHECK (impact IN ('NONE','DEGRADED','PARTIAL_OUTAGE','MAJOR_OUTAGE')),
        PRIMARY KEY (window_id, service_id)
      )`);
    await db.query(`CREATE INDEX maintenance_window_service_service_idx ON maintenance_window_service (service_id)`);

    // The window's own timeline: every change with its actor.
    await db.query(`
      CREATE TABLE maintenance_event (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- Events of one instant keep the order they were written in.
        seq bigint GENERATED ALWAYS AS IDENTITY,
        window_id uuid NOT NULL REFERENCES maintenance_window(id) ON DELETE CASCADE,
        kind text NOT NULL,
        at timestamptz NOT NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('TOKEN','PERSON','INTEGRATION','SYSTEM')),
        actor_id text,
        actor_name text NOT NULL,
        message text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'
      )`);
    await db.query(`CREATE INDEX maintenance_event_window_idx ON maintenance_event (window_id, at, seq)`);

    // Each notice decided once across instances: one row per window, kind and occurrence.
    await db.query(`
      CREATE TABLE maintenance_notice (
        window_id uuid NOT NULL REFERENCES maintenance_window(id) ON DELETE CASCADE,
        kind text NOT NULL,
        occurrence text NOT NULL,
        decided_at timestamptz NOT NULL,
        PRIMARY KEY (window_id, kind, occurrence)
      )`);
    await db.query(`ALTER TABLE notification ADD COLUMN maintenance_window_id uuid REFERENCES maintenance_window(id) ON DELETE CASCADE`);
    await db.query(`CREATE INDEX notification_maintenance_idx ON notification (maintenance_window_id, created_at) WHERE maintenance_window_id IS NOT NULL`);

    // Alerts recorded during a window name it. The index holds only alerts still firing under suppression (few), which
    // the end of a window releases and the lifecycle job's sweep checks.
    await db.query(`ALTER TABLE alert ADD COLUMN suppressed_by uuid REFERENCES maintenance_window(id) ON DELETE SET NULL`);
    await db.query(`CREATE INDEX alert_suppressed_firing_idx ON alert (suppressed_by) WHERE suppressed AND status = 'FIRING'`);

    // Escalations of incidents whose alerts a window now suppresses wait (PAUSED) until it ends.
    await db.query(`ALTER TABLE incident_escalation DROP CONSTRAINT incident_escalation_state_check`);
    await db.query(`ALTER TABLE incident_escalation ADD CONSTRAINT incident_escalation_state_check CHECK (state IN ('ACTIVE','STOPPED','EXHAUSTED','PAUSED'))`);
    await db.query(`ALTER TABLE incident_escalation ADD COLUMN paused_by uuid REFERENCES maintenance_window(id) ON DELETE SET NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE incident_escalation DROP COLUMN IF EXISTS paused_by`);
    await db.query(`UPDATE incident_escalation SET state = 'ACTIVE' WHERE state = 'PAUSED'`);
    await db.query(`ALTER TABLE incident_escalation DROP CONSTRAINT incident_escalation_state_check`);
    await db.query(`ALTER TABLE incident_escalation ADD CONSTRAINT incident_escalation_state_check CHECK (state IN ('ACTIVE','STOPPED','EXHAUSTED'))`);
    await db.query(`ALTER TABLE alert DROP COLUMN IF EXISTS suppressed_by`);
    await db.query(`ALTER TABLE notification DROP COLUMN IF EXISTS maintenance_window_id`);
    await db.query(`DROP TABLE IF EXISTS maintenance_notice`);
    await db.query(`DROP TABLE IF EXISTS maintenance_event`);
    await db.query(`DROP TABLE IF EXISTS maintenance_window_service`);
    await db.query(`DROP TABLE IF EXISTS maintenance_window`);
    await db.query(`DROP TABLE IF EXISTS maintenance_calendar`);
    await db.query(`ALTER TABLE service DROP COLUMN IF EXISTS off_peak_hours`);
  }
}

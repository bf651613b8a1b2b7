import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MaintenanceRecurrence1796154000000 implements MigrationInterface {
  name = 'MaintenanceRecurrence1796154000000';

  async up(db: QueryRunner): Promise<void> {
    // A weekly rule (patch nights) whose next occurrences the job materialises as ordinary windows.
    await db.query(`
      CREATE TABLE maintenance_recurrence (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
        description text,
        -- [{serviceId, impact}], copied onto each window it creates; checked again then (a service may be gone).
        services jsonb NOT NULL,
        -- A rule whose team was deleted creates nothing until it is given another.
        team_id uuid REFERENCES team(id) ON DELETE SET NULL,
        incident_priority text NOT NULL DEFAULT 'P1' CHECK (incident_priority IN ('P1','P2','P3','P4')),
        weekdays smallint[] NOT NULL CHECK (cardinality(weekdays) BETWEEN 1 AND 7 AND weekdays <@ '{1,2,3,4,5,6,7}'),
        start_time text NOT NULL CHECK (start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
        zone text NOT NULL,
        horizon_days integer NOT NULL CHECK (horizon_days BETWEEN 1 AND 90),
        active boolean NOT NULL,
        -- The start of the latest occurrence created: an edit applies only after it, so nothing is created twice.
        materialised_through timestamptz,
        created_by_type text NOT NULL CHECK (created_by_type IN ('TOKEN','PERSON','INTEGRATION','SYSTEM')),
        created_by_id text,
        created_by_name text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX maintenance_recurrence_list_idx ON maintenance_recurrence (created_at, id)`);
    // Deleting a rule keeps the windows it created, as ordinary windows.
    await db.query(`ALTER TABLE maintenance_window ADD COLUMN recurrence_id uuid REFERENCES maintenance_recurrence(id) ON DELETE SET NULL`);
    // One window per occurrence, whichever instance gets there first (the insert is ON CONFLICT DO NOTHING).
    await db.query(`ALTER TABLE maintenance_window ADD CONSTRAINT maintenance_window_occurrence_key UNIQUE (recurrence_id, starts_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE maintenance_window DROP CONSTRAINT IF EXISTS maintenance_window_occurrence_key`);
    await db.query(`ALTER TABLE maintenance_window DROP COLUMN IF EXISTS recurrence_id`);
    await db.query(`DROP TABLE IF EXISTS maintenance_recurrence`);
  }
}

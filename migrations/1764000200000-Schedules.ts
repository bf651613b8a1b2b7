import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * On-call schedules (see src/services/schedule.service.ts and the pure resolver in src/services/rota).
 *
 * Participants and backups are join tables with a position rather than uuid[] columns, so every
 * person reference is a real foreign key: ON DELETE RESTRICT keeps a person who is still in a
 * rota, a backup list or an override from being deleted out from under a schedule (remove them
 * from the schedule first). Layers, overrides and the join rows go with their schedule (CASCADE).
 */
export class Schedules1764000200000 implements MigrationInterface {
  name = 'Schedules1764000200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE schedule (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        time_zone text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX schedule_name_idx ON schedule (name, id)`);

    await db.query(`
      CREATE TABLE schedule_backup (
        schedule_id uuid NOT NULL REFERENCES schedule(id) ON DELETE CASCADE,
        position integer NOT NULL CHECK (position >= 0),
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
        PRIMARY KEY (schedule_id, position)
      )`);
    await db.query(`CREATE INDEX schedule_backup_person_idx ON schedule_backup (person_id)`);

    // start_local: the local wall-clock date-time of the first handoff, in the schedule's zone.
    // restrictions: [{ "start": "HH:mm", "end": "HH:mm" }, …] daily windows; [] means none.
    await db.query(`
      CREATE TABLE schedule_layer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        schedule_id uuid NOT NULL REFERENCES schedule(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        priority integer NOT NULL DEFAULT 0,
        position integer NOT NULL CHECK (position >= 0),
        rotation_unit text NOT NULL CHECK (rotation_unit IN ('hours','days','weeks')),
        rotation_length integer NOT NULL CHECK (rotation_length > 0),
        start_local text NOT NULL CHECK (start_local ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,3})?)?$'),
        restrictions jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(restrictions) = 'array'),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        UNIQUE (schedule_id, position)
      )`);

    await db.query(`
      CREATE TABLE schedule_layer_participant (
        layer_id uuid NOT NULL REFERENCES schedule_layer(id) ON DELETE CASCADE,
        position integer NOT NULL CHECK (position >= 0),
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
        PRIMARY KEY (layer_id, position)
      )`);
    await db.query(`CREATE INDEX schedule_layer_participant_person_idx ON schedule_layer_participant (person_id)`);

    // Overlapping overrides are allowed: the most recently created wins (created_at, then seq).
    await db.query(`
      CREATE TABLE schedule_override (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        schedule_id uuid NOT NULL REFERENCES schedule(id) ON DELETE CASCADE,
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL,
        seq bigserial NOT NULL,
        CHECK (ends_at > starts_at)
      )`);
    await db.query(`CREATE INDEX schedule_override_window_idx ON schedule_override (schedule_id, ends_at, starts_at)`);
    await db.query(`CREATE INDEX schedule_override_person_idx ON schedule_override (person_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['schedule_override', 'schedule_layer_participant', 'schedule_layer', 'schedule_backup', 'schedule']) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}

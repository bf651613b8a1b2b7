import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Ingestion1764000100000 implements MigrationInterface {
  name = 'Ingestion1764000100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE integration (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        vendor text NOT NULL CHECK (vendor IN ('ALERTMANAGER','GRAFANA','AZURE_MONITOR','TWILIO','SAP_ALERT_NOTIFICATION','STATUSPAGE','GENERIC')),
        service_id uuid NOT NULL REFERENCES service(id),
        enabled boolean NOT NULL DEFAULT true,
        secret_hash text NOT NULL,
        previous_secret_hash text,
        previous_secret_expires_at timestamptz,
        vendor_credential text,
        options jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);

    await db.query(`ALTER TABLE incident ADD COLUMN integration_id uuid REFERENCES integration(id) ON DELETE SET NULL`);
    await db.query(`ALTER TABLE incident ADD COLUMN group_key text`);
    // At most one open incident per alert group: racing first alerts of a group open exactly one.
    await db.query(`
      CREATE UNIQUE INDEX incident_open_group_key ON incident (integration_id, group_key)
      WHERE group_key IS NOT NULL AND status IN ('TRIGGERED','ACKNOWLEDGED','MITIGATED')`);

    await db.query(`
      CREATE TABLE alert (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        integration_id uuid NOT NULL REFERENCES integration(id) ON DELETE CASCADE,
        service_id uuid NOT NULL REFERENCES service(id),
        fingerprint text NOT NULL,
        group_key text NOT NULL,
        status text NOT NULL CHECK (status IN ('FIRING','RESOLVED')),
        severity text NOT NULL CHECK (severity IN ('CRITICAL','HIGH','WARNING','INFO')),
        vendor_severity text,
        kind text NOT NULL,
        summary text NOT NULL,
        description text,
        source text,
        labels jsonb NOT NULL DEFAULT '{}',
        annotations jsonb NOT NULL DEFAULT '{}',
        url text,
        details jsonb NOT NULL DEFAULT '{}',
        incident_id uuid REFERENCES incident(id) ON DELETE SET NULL,
        suppressed boolean NOT NULL DEFAULT false,
        occurrences integer NOT NULL DEFAULT 1,
        starts_at timestamptz,
        ends_at timestamptz,
        first_seen_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        resolved_at timestamptz
      ) WITH (fillfactor = 70)`);
    // The dedup key: one active (firing) alert per integration and fingerprint; upserts rely on it.
    await db.query(`CREATE UNIQUE INDEX alert_active_fingerprint ON alert (integration_id, fingerprint) WHERE status = 'FIRING'`);
    await db.query(`CREATE INDEX alert_incident_idx ON alert (incident_id) WHERE incident_id IS NOT NULL`);
    await db.query(`CREATE INDEX alert_first_seen_idx ON alert (first_seen_at DESC, id DESC)`);
    // No index may cover a column repeats update (last_seen_at, occurrences…): repeats must stay HOT updates.
    await db.query(`CREATE INDEX alert_service_idx ON alert (service_id, first_seen_at DESC)`);

    await db.query(`
      CREATE TABLE dead_letter (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        integration_id uuid REFERENCES integration(id) ON DELETE CASCADE,
        vendor text,
        received_at timestamptz NOT NULL,
        http_status integer NOT NULL,
        reason text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}',
        content_type text,
        headers jsonb NOT NULL DEFAULT '{}',
        query text,
        body bytea,
        body_size integer NOT NULL DEFAULT 0,
        replayed_at timestamptz,
        replay_result jsonb
      )`);
    await db.query(`CREATE INDEX dead_letter_received_idx ON dead_letter (received_at DESC, id DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS dead_letter`);
    await db.query(`DROP TABLE IF EXISTS alert`);
    await db.query(`DROP INDEX IF EXISTS incident_open_group_key`);
    await db.query(`ALTER TABLE incident DROP COLUMN IF EXISTS group_key, DROP COLUMN IF EXISTS integration_id`);
    await db.query(`DROP TABLE IF EXISTS integration`);
  }
}

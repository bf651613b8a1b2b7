import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await db.query(`
      CREATE TABLE person (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        email text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
        phone text CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$'),
        time_zone text NOT NULL DEFAULT 'UTC',
        org_role text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX person_email_key ON person (lower(email))`);
    await db.query(`CREATE INDEX person_phone_idx ON person (phone) WHERE phone IS NOT NULL`);

    await db.query(`
      CREATE TABLE service (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 100),
        description text,
        public boolean NOT NULL DEFAULT false,
        owner_id uuid REFERENCES person(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(`CREATE SEQUENCE incident_number_seq`);
    await db.query(`
      CREATE TABLE incident (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number bigint NOT NULL UNIQUE DEFAULT nextval('incident_number_seq'),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
        description text,
        service_id uuid NOT NULL REFERENCES service(id),
        priority text NOT NULL CHECK (priority IN ('P1','P2','P3','P4')),
        status text NOT NULL DEFAULT 'TRIGGERED'
          CHECK (status IN ('TRIGGERED','ACKNOWLEDGED','MITIGATED','RESOLVED','REVIEWED')),
        resolution text CHECK (resolution IN ('FIXED','FALSE_POSITIVE')),
        source text NOT NULL CHECK (source IN ('MONITORING','INTERNAL','CUSTOMER_REPORT','PROVIDER','MAINTENANCE')),
        impact_locations text[] NOT NULL DEFAULT '{}',
        impact_channels text[] NOT NULL DEFAULT '{}',
        impact_products text[] NOT NULL DEFAULT '{}',
        impact_description text,
        owner_id uuid REFERENCES person(id) ON DELETE SET NULL,
        opened_at timestamptz NOT NULL,
        acknowledged_at timestamptz,
        mitigated_at timestamptz,
        resolved_at timestamptz,
        reviewed_at timestamptz,
        updated_at timestamptz NOT NULL,
        CHECK ((status IN ('RESOLVED','REVIEWED')) = (resolution IS NOT NULL))
      )`);
    await db.query(`ALTER SEQUENCE incident_number_seq OWNED BY incident.number`);
    await db.query(`CREATE INDEX incident_opened_idx ON incident (opened_at DESC, id DESC)`);
    await db.query(`CREATE INDEX incident_service_idx ON incident (service_id, opened_at DESC)`);
    await db.query(`CREATE INDEX incident_open_status_idx ON incident (status) WHERE status IN ('TRIGGERED','ACKNOWLEDGED','MITIGATED')`);

    await db.query(`
      CREATE TABLE timeline_event (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
        kind text NOT NULL,
        at timestamptz NOT NULL,
        seq bigserial NOT NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('TOKEN','PERSON','INTEGRATION','SYSTEM')),
        actor_id text,
        actor_name text NOT NULL,
        message text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'
      )`);
    await db.query(`CREATE INDEX timeline_event_incident_idx ON timeline_event (incident_id, at DESC, seq DESC)`);

    await db.query(`
      CREATE TABLE status_update (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
        audience text NOT NULL CHECK (audience IN ('INTERNAL','PUBLIC')),
        author_name text NOT NULL,
        posted_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX status_update_incident_idx ON status_update (incident_id, posted_at DESC)`);

    await db.query(`
      CREATE TABLE task (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid REFERENCES incident(id) ON DELETE CASCADE,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
        owner_id uuid REFERENCES person(id) ON DELETE SET NULL,
        due_at timestamptz,
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','IN_PROGRESS','DONE','CANCELLED')),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX task_incident_idx ON task (incident_id)`);

    await db.query(`
      CREATE TABLE mitigation_step (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
        description text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
        status text NOT NULL DEFAULT 'PLANNED' CHECK (status IN ('PLANNED','IN_PROGRESS','EFFECTIVE','NOT_EFFECTIVE')),
        temporary boolean NOT NULL DEFAULT false,
        long_term_fix_task_id uuid REFERENCES task(id) ON DELETE SET NULL,
        announced_at timestamptz NOT NULL,
        started_at timestamptz,
        completed_at timestamptz,
        updated_at timestamptz NOT NULL,
        CHECK (NOT temporary OR long_term_fix_task_id IS NOT NULL)
      )`);
    await db.query(`CREATE INDEX mitigation_step_incident_idx ON mitigation_step (incident_id, announced_at)`);

    await db.query(`
      CREATE TABLE api_token (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        role text NOT NULL CHECK (role IN ('VIEWER','RESPONDER','ANALYST','ADMIN')),
        secret_hash text NOT NULL UNIQUE,
        person_id uuid REFERENCES person(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['api_token', 'mitigation_step', 'task', 'status_update', 'timeline_event', 'incident', 'service', 'person']) {
      await db.query(`DROP TABLE IF EXISTS ${table} CASCADE`);
    }
  }
}

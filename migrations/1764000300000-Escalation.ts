import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Escalation1764000300000 implements MigrationInterface {
  name = 'Escalation1764000300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE contact_method (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        channel text NOT NULL CHECK (channel IN ('SMS','EMAIL','SLACK','WEBHOOK')),
        address text NOT NULL CHECK (length(address) BETWEEN 3 AND 2000),
        label text,
        created_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX contact_method_person_idx ON contact_method (person_id)`);

    await db.query(`
      CREATE TABLE notification_rule (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        contact_method_id uuid NOT NULL REFERENCES contact_method(id) ON DELETE CASCADE,
        delay_minutes integer NOT NULL CHECK (delay_minutes BETWEEN 0 AND 1440),
        created_at timestamptz NOT NULL,
        UNIQUE (contact_method_id, delay_minutes)
      )`);
    await db.query(`CREATE INDEX notification_rule_person_idx ON notification_rule (person_id)`);

    await db.query(`
      CREATE TABLE team (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
        description text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`
      CREATE TABLE team_member (
        team_id uuid NOT NULL REFERENCES team(id) ON DELETE CASCADE,
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        PRIMARY KEY (team_id, person_id)
      )`);

    await db.query(`
      CREATE TABLE escalation_policy (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text,
        repeat_count integer NOT NULL DEFAULT 0 CHECK (repeat_count BETWEEN 0 AND 20),
        steps jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`ALTER TABLE service ADD COLUMN escalation_policy_id uuid REFERENCES escalation_policy(id) ON DELETE SET NULL`);

    // Escalation state per incident, on a snapshot of its policy (editing a policy does not change
    // escalations already under way). Due rows are claimed with FOR UPDATE SKIP LOCKED.
    await db.query(`
      CREATE TABLE incident_escalation (
        incident_id uuid PRIMARY KEY REFERENCES incident(id) ON DELETE CASCADE,
        policy_id uuid REFERENCES escalation_policy(id) ON DELETE SET NULL,
        policy_snapshot jsonb NOT NULL,
        state text NOT NULL CHECK (state IN ('ACTIVE','STOPPED','EXHAUSTED')),
        step_index integer NOT NULL,
        repeat_index integer NOT NULL DEFAULT 0,
        next_due_at timestamptz,
        stopped_reason text,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX incident_escalation_due_idx ON incident_escalation (next_due_at) WHERE state = 'ACTIVE'`);

    // The outbox: written in the transaction that decided to notify, delivered at least once by the
    // worker (PENDING → SENDING with a claim deadline → SENT | FAILED), with an idempotency key.
    await db.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        idempotency_key text NOT NULL UNIQUE,
        incident_id uuid REFERENCES incident(id) ON DELETE CASCADE,
        person_id uuid REFERENCES person(id) ON DELETE SET NULL,
        channel text NOT NULL CHECK (channel IN ('SMS','EMAIL','SLACK','WEBHOOK')),
        address text NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}',
        reason text NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING','SENDING','SENT','FAILED','CANCELLED')),
        attempts integer NOT NULL DEFAULT 0,
        max_attempts integer NOT NULL,
        next_attempt_at timestamptz NOT NULL,
        claimed_until timestamptz,
        last_error text,
        provider_message_id text,
        created_at timestamptz NOT NULL,
        sent_at timestamptz
      )`);
    await db.query(`CREATE INDEX notification_due_idx ON notification (next_attempt_at) WHERE status = 'PENDING'`);
    await db.query(`CREATE INDEX notification_claimed_idx ON notification (claimed_until) WHERE status = 'SENDING'`);
    await db.query(`CREATE INDEX notification_incident_idx ON notification (incident_id, created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS notification`);
    await db.query(`DROP TABLE IF EXISTS incident_escalation`);
    await db.query(`ALTER TABLE service DROP COLUMN IF EXISTS escalation_policy_id`);
    await db.query(`DROP TABLE IF EXISTS escalation_policy`);
    await db.query(`DROP TABLE IF EXISTS team_member`);
    await db.query(`DROP TABLE IF EXISTS team`);
    await db.query(`DROP TABLE IF EXISTS notification_rule`);
    await db.query(`DROP TABLE IF EXISTS contact_method`);
  }
}

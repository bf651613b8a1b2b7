import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Default cause categories; ADMINs edit the list (archived ones stay on the causes that named them). */
const CAUSE_CATEGORIES = [
  ['Software change', 'A deployment, release or feature flag.'],
  ['Configuration', 'A configuration or infrastructure-as-code change.'],
  ['Capacity', 'Load beyond what was provisioned.'],
  ['Infrastructure', 'Hardware, virtual machines, storage or a data center.'],
  ['Network', 'Connectivity, DNS, routing or certificates.'],
  ['Third-party provider', 'A provider, operator or integrated tool we depend on.'],
  ['Monitoring gap', 'Detection was late or missing.'],
  ['Process', 'A runbook, handover or communication gap.'],
  ['Human error', 'A manual action that went wrong (the process that allowed it is usually the cause).'],
  ['Security', 'An attack or a vulnerability.'],
] as const;

export class PostIncidentReview1796156000000 implements MigrationInterface {
  name = 'PostIncidentReview1796156000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE cause_category (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        description text CHECK (length(description) <= 1000),
        position integer NOT NULL,
        archived boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE UNIQUE INDEX cause_category_name_idx ON cause_category (lower(name))`);
    for (const [index, [name, description]] of CAUSE_CATEGORIES.entries()) {
      await db.query(`INSERT INTO cause_category (name, description, position, created_at, updated_at) VALUES ($1, $2, $3, now(), now())`, [name, description, index]);
    }

    // The Incident Record File: one per incident. Its sections are columns (drafted from the incident when it opens);
    // the timings are computed on read from the incident, its alerts and impact_started_at, so they never go stale.
    await db.query(`
      CREATE TABLE incident_review (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL UNIQUE REFERENCES incident(id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN ('DRAFT','IN_REVIEW','APPROVED')),
        -- INTERNAL: it originates in our platform and needs an RCA; EXTERNAL: a provider's, the approved IRF is what is due.
        origin text NOT NULL CHECK (origin IN ('INTERNAL','EXTERNAL')),
        -- Bumped by every edit; an edit may name the revision it was made on and is refused when it is stale.
        revision integer NOT NULL DEFAULT 1,
        summary text CHECK (length(summary) <= 20000),
        detection_source text CHECK (detection_source IN ('MONITORING','INTERNAL','CUSTOMER','PROVIDER')),
        impact_started_at timestamptz,
        detection_notes text CHECK (length(detection_notes) <= 20000),
        mitigation_notes text CHECK (length(mitigation_notes) <= 20000),
        faster_mitigation text CHECK (length(faster_mitigation) <= 20000),
        impact_customers text CHECK (length(impact_customers) <= 20000),
        impact_products text[] NOT NULL DEFAULT '{}',
        impact_channels text[] NOT NULL DEFAULT '{}',
        impact_locations text[] NOT NULL DEFAULT '{}',
        impact_description text CHECK (length(impact_description) <= 20000),
        preventive_notes text CHECK (length(preventive_notes) <= 20000),
        lessons text CHECK (length(lessons) <= 20000),
        opened_at timestamptz NOT NULL,
        submitted_at timestamptz,
        approved_at timestamptz,
        approved_by_name text,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX incident_review_status_idx ON incident_review (status, opened_at)`);

    // Root cause and contributing factors; a preventive task may name the cause it addresses.
    await db.query(`
      CREATE TABLE review_cause (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        review_id uuid NOT NULL REFERENCES incident_review(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('ROOT','CONTRIBUTING')),
        category_id uuid NOT NULL REFERENCES cause_category(id),
        description text NOT NULL CHECK (length(description) BETWEEN 1 AND 5000),
        position integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX review_cause_review_idx ON review_cause (review_id, position)`);

    // The IRF's timeline is the incident's, with key events pinned and noise hidden, plus entries added afterwards.
    await db.query(`
      CREATE TABLE review_timeline_mark (
        review_id uuid NOT NULL REFERENCES incident_review(id) ON DELETE CASCADE,
        timeline_event_id uuid NOT NULL REFERENCES timeline_event(id) ON DELETE CASCADE,
        pinned boolean NOT NULL DEFAULT false,
        hidden boolean NOT NULL DEFAULT false,
        PRIMARY KEY (review_id, timeline_event_id),
        CHECK (NOT (pinned AND hidden))
      )`);
    await db.query(`
      CREATE TABLE review_timeline_entry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        review_id uuid NOT NULL REFERENCES incident_review(id) ON DELETE CASCADE,
        at timestamptz NOT NULL,
        message text NOT NULL CHECK (length(message) BETWEEN 1 AND 5000),
        pinned boolean NOT NULL DEFAULT false,
        author_name text NOT NULL,
        added_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX review_timeline_entry_review_idx ON review_timeline_entry (review_id, at)`);

    // Each participant's own written review (one per author: the token's person, else the token).
    await db.query(`
      CREATE TABLE review_participant_section (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        review_id uuid NOT NULL REFERENCES incident_review(id) ON DELETE CASCADE,
        author_key text NOT NULL,
        author_name text NOT NULL,
        person_id uuid REFERENCES person(id) ON DELETE SET NULL,
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        UNIQUE (review_id, author_key)
      )`);

    // Every edit and lifecycle step of an IRF or RCA: who, when, which section, what changed.
    await db.query(`
      CREATE TABLE review_edit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        review_id uuid NOT NULL REFERENCES incident_review(id) ON DELETE CASCADE,
        document text NOT NULL CHECK (document IN ('IRF','RCA')),
        action text NOT NULL CHECK (action IN ('OPENED','EDITED','SUBMITTED','APPROVED','REOPENED','GENERATED','PUBLISHED')),
        section text,
        actor_type text NOT NULL CHECK (actor_type IN ('TOKEN','PERSON','INTEGRATION','SYSTEM')),
        actor_id text,
        actor_name text NOT NULL,
        at timestamptz NOT NULL,
        seq bigserial NOT NULL,
        changes jsonb NOT NULL DEFAULT '{}'
      )`);
    await db.query(`CREATE INDEX review_edit_review_idx ON review_edit (review_id, seq DESC)`);

    // Tasks: long-term fixes (mitigation steps) and preventive actions are one model.
    await db.query(`ALTER TABLE task DROP CONSTRAINT task_status_check`);
    await db.query(`UPDATE task SET status = 'WONT_DO' WHERE status = 'CANCELLED'`);
    await db.query(`
      ALTER TABLE task
        ADD COLUMN review_id uuid REFERENCES incident_review(id) ON DELETE SET NULL,
        ADD COLUMN cause_id uuid REFERENCES review_cause(id) ON DELETE SET NULL,
        ADD COLUMN priority text NOT NULL DEFAULT 'P3' CHECK (priority IN ('P1','P2','P3','P4')),
        ADD COLUMN description text CHECK (length(description) <= 20000),
        ADD COLUMN external_url text CHECK (length(external_url) <= 2000),
        ADD COLUMN status_reason text CHECK (length(status_reason) <= 2000),
        ADD COLUMN completed_at timestamptz,
        ADD CONSTRAINT task_status_check CHECK (status IN ('OPEN','IN_PROGRESS','DONE','WONT_DO')),
        ADD CONSTRAINT task_wont_do_reason_check CHECK (status <> 'WONT_DO' OR status_reason IS NOT NULL)`);
    await db.query(`UPDATE task SET status_reason = 'cancelled before reasons were recorded' WHERE status = 'WONT_DO' AND status_reason IS NULL`);
    // "Every overdue task" and each owner's open tasks, without scanning done ones.
    await db.query(`CREATE INDEX task_open_due_idx ON task (due_at, id) WHERE status IN ('OPEN','IN_PROGRESS') AND due_at IS NOT NULL`);
    await db.query(`CREATE INDEX task_owner_idx ON task (owner_id, status, due_at)`);
    await db.query(`CREATE INDEX task_review_idx ON task (review_id)`);

    // The RCA document: sections in order, each public or internal; publishing freezes a version.
    await db.query(`
      CREATE TABLE rca_document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL UNIQUE REFERENCES incident(id) ON DELETE CASCADE,
        review_id uuid NOT NULL REFERENCES incident_review(id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN ('DRAFT','IN_REVIEW','PUBLISHED')),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
        revision integer NOT NULL DEFAULT 1,
        published_version integer,
        created_at timestamptz NOT NULL,
        submitted_at timestamptz,
        published_at timestamptz,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`
      CREATE TABLE rca_section (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        rca_id uuid NOT NULL REFERENCES rca_document(id) ON DELETE CASCADE,
        key text NOT NULL CHECK (key ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(key) <= 100),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        body text NOT NULL CHECK (length(body) <= 100000),
        visibility text NOT NULL CHECK (visibility IN ('PUBLIC','INTERNAL')),
        position integer NOT NULL,
        UNIQUE (rca_id, key)
      )`);
    await db.query(`
      CREATE TABLE rca_version (
        rca_id uuid NOT NULL REFERENCES rca_document(id) ON DELETE CASCADE,
        version integer NOT NULL CHECK (version >= 1),
        title text NOT NULL,
        -- [{key, title, body, visibility}] in order, as published.
        sections jsonb NOT NULL,
        published_at timestamptz NOT NULL,
        published_by_name text NOT NULL,
        PRIMARY KEY (rca_id, version)
      )`);

    // The follow-up: what is due (an RCA, or the approved IRF for external-origin incidents) and by when.
    await db.query(`
      CREATE TABLE review_followup (
        incident_id uuid PRIMARY KEY REFERENCES incident(id) ON DELETE CASCADE,
        document text NOT NULL CHECK (document IN ('RCA','IRF')),
        due_at timestamptz NOT NULL,
        met_at timestamptz,
        created_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX review_followup_open_idx ON review_followup (due_at) WHERE met_at IS NULL`);
    // One decision per incident and day (in the calendar's zone) across every runner: the key is the primary key.
    await db.query(`
      CREATE TABLE review_reminder (
        incident_id uuid NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
        day date NOT NULL,
        stage text NOT NULL CHECK (stage IN ('REMINDER','ESCALATION')),
        person_ids uuid[] NOT NULL,
        decided_at timestamptz NOT NULL,
        PRIMARY KEY (incident_id, day)
      )`);
    // Weekly reminders of overdue tasks: one per owner and ISO week.
    await db.query(`
      CREATE TABLE task_reminder (
        owner_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        week text NOT NULL CHECK (week ~ '^\\d{4}-W\\d{2}$'),
        task_ids uuid[] NOT NULL,
        decided_at timestamptz NOT NULL,
        PRIMARY KEY (owner_id, week)
      )`);
    // ADMIN settings of the review process (one row; absent: the configured defaults).
    await db.query(`
      CREATE TABLE review_settings (
        id integer PRIMARY KEY CHECK (id = 1),
        due_business_days integer NOT NULL CHECK (due_business_days BETWEEN 1 AND 60),
        reviewer_id uuid REFERENCES person(id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS review_settings`);
    await db.query(`DROP TABLE IF EXISTS task_reminder`);
    await db.query(`DROP TABLE IF EXISTS review_reminder`);
    await db.query(`DROP TABLE IF EXISTS review_followup`);
    await db.query(`DROP TABLE IF EXISTS rca_version`);
    await db.query(`DROP TABLE IF EXISTS rca_section`);
    await db.query(`DROP TABLE IF EXISTS rca_document`);
    await db.query(`DROP INDEX IF EXISTS task_review_idx`);
    await db.query(`DROP INDEX IF EXISTS task_owner_idx`);
    await db.query(`DROP INDEX IF EXISTS task_open_due_idx`);
    await db.query(`
      ALTER TABLE task
        DROP CONSTRAINT IF EXISTS task_wont_do_reason_check,
        DROP CONSTRAINT IF EXISTS task_status_check,
        DROP COLUMN IF EXISTS completed_at,
        DROP COLUMN IF EXISTS status_reason,
        DROP COLUMN IF EXISTS external_url,
        DROP COLUMN IF EXISTS description,
        DROP COLUMN IF EXISTS priority,
        DROP COLUMN IF EXISTS cause_id,
        DROP COLUMN IF EXISTS review_id`);
    await db.query(`UPDATE task SET status = 'CANCELLED' WHERE status = 'WONT_DO'`);
    await db.query(`ALTER TABLE task ADD CONSTRAINT task_status_check CHECK (status IN ('OPEN','IN_PROGRESS','DONE','CANCELLED'))`);
    await db.query(`DROP TABLE IF EXISTS review_edit`);
    await db.query(`DROP TABLE IF EXISTS review_participant_section`);
    await db.query(`DROP TABLE IF EXISTS review_timeline_entry`);
    await db.query(`DROP TABLE IF EXISTS review_timeline_mark`);
    await db.query(`DROP TABLE IF EXISTS review_cause`);
    await db.query(`DROP TABLE IF EXISTS incident_review`);
    await db.query(`DROP TABLE IF EXISTS cause_category`);
  }
}

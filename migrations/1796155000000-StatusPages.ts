import type { MigrationInterface, QueryRunner } from 'typeorm';

export class StatusPages1796155000000 implements MigrationInterface {
  name = 'StatusPages1796155000000';

  async up(db: QueryRunner): Promise<void> {
    // A public page: SERVICES pages show our public services and the incidents we published on them; PROVIDERS pages
    // (external connectivity) show the providers we depend on and the incidents their status pages opened.
    await db.query(`
      CREATE TABLE status_page (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 100),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        description text CHECK (length(description) <= 5000),
        time_zone text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('SERVICES','PROVIDERS')),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`
      INSERT INTO status_page (slug, title, description, time_zone, kind, created_at, updated_at) VALUES
        ('main', 'Service status', NULL, 'UTC', 'SERVICES', now(), now()),
        ('external', 'External connectivity', 'Degradations at the providers and operators we depend on.', 'UTC', 'PROVIDERS', now(), now())`);

    // The components an admin configured, in groups and an order. A page without any shows its default set.
    await db.query(`
      CREATE TABLE status_page_component (
        page_id uuid NOT NULL REFERENCES status_page(id) ON DELETE CASCADE,
        service_id uuid NOT NULL REFERENCES service(id) ON DELETE CASCADE,
        group_name text CHECK (length(group_name) BETWEEN 1 AND 200),
        position integer NOT NULL,
        -- PROVIDERS pages: whose component it is and where their own status page is.
        provider_name text CHECK (length(provider_name) BETWEEN 1 AND 200),
        provider_url text CHECK (length(provider_url) <= 2000),
        PRIMARY KEY (page_id, service_id)
      )`);
    await db.query(`CREATE INDEX status_page_component_service_idx ON status_page_component (service_id)`);

    // Which public services each page shows: the configured ones, or by default every public service (SERVICES) or
    // every public service a Statuspage integration feeds (PROVIDERS). A private service is never on a page.
    await db.query(`
      CREATE VIEW status_page_service AS
        SELECT p.id AS page_id, s.id AS service_id, c.group_name, c.position, c.provider_name, c.provider_url
          FROM status_page p
          JOIN status_page_component c ON c.page_id = p.id
          JOIN service s ON s.id = c.service_id AND s.public
        UNION ALL
        SELECT p.id, s.id, NULL, NULL, NULL, NULL
          FROM status_page p
          JOIN service s ON s.public
         WHERE NOT EXISTS (SELECT 1 FROM status_page_component c WHERE c.page_id = p.id)
           AND (p.kind = 'SERVICES'
                OR EXISTS (SELECT 1 FROM integration i WHERE i.service_id = s.id AND i.vendor = 'STATUSPAGE'))`);

    // What an incident does to each component it affects; none means its own service, by priority.
    await db.query(`
      CREATE TABLE incident_component_impact (
        incident_id uuid NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
        service_id uuid NOT NULL REFERENCES service(id) ON DELETE CASCADE,
        impact text NOT NULL CHECK (impact IN ('DEGRADED_PERFORMANCE','PARTIAL_OUTAGE','MAJOR_OUTAGE')),
        PRIMARY KEY (incident_id, service_id)
      )`);
    await db.query(`CREATE INDEX incident_component_impact_service_idx ON incident_component_impact (service_id)`);

    // The incident's status when an update was posted, so the public history shows investigating → resolved.
    await db.query(`ALTER TABLE status_update ADD COLUMN incident_status text`);
    await db.query(`CREATE INDEX status_update_public_idx ON status_update (incident_id, posted_at DESC) WHERE audience = 'PUBLIC'`);

    // Keys for links and public ids; generated at first use, shared by every instance.
    await db.query(`CREATE TABLE status_secret (name text PRIMARY KEY, value bytea NOT NULL, created_at timestamptz NOT NULL)`);

    // People and systems told about a page or some of its components. Tokens in links are derived (HMAC) from the
    // subscriber's id, so none is stored.
    await db.query(`
      CREATE TABLE status_subscriber (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        page_id uuid NOT NULL REFERENCES status_page(id) ON DELETE CASCADE,
        channel text NOT NULL CHECK (channel IN ('EMAIL','SLACK','WEBHOOK')),
        -- A lower-cased e-mail address, or the URL posted to.
        address text NOT NULL CHECK (length(address) BETWEEN 3 AND 2000),
        -- Empty: the whole page.
        service_ids uuid[] NOT NULL DEFAULT '{}',
        -- WEBHOOK: the key its messages are signed with (the subscriber chose it; never returned).
        signing_secret text,
        confirm_expires_at timestamptz,
        confirmed_at timestamptz,
        unsubscribed_at timestamptz,
        -- Digest: messages wait until then; a message sent pushes it a digest window ahead.
        next_message_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE UNIQUE INDEX status_subscriber_address_uq ON status_subscriber (page_id, channel, address) WHERE unsubscribed_at IS NULL`);
    await db.query(`CREATE INDEX status_subscriber_active_idx ON status_subscriber (page_id) WHERE confirmed_at IS NOT NULL AND unsubscribed_at IS NULL`);
    await db.query(`CREATE INDEX status_subscriber_list_idx ON status_subscriber (page_id, created_at DESC, id DESC)`);

    // Something subscribers are told: a public update, a maintenance notice, a component's state change. Written in
    // the transaction that made it; expanded into one delivery per matching subscriber by the fan-out job.
    await db.query(`
      CREATE TABLE status_event (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('INCIDENT_UPDATE','MAINTENANCE','COMPONENT')),
        -- COMPONENT events belong to one page; the others to every page showing one of service_ids.
        page_id uuid REFERENCES status_page(id) ON DELETE CASCADE,
        page_kind text NOT NULL CHECK (page_kind IN ('SERVICES','PROVIDERS')),
        service_ids uuid[] NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        -- The public content at the time (Statuspage webhook pieces), so a message says what was published.
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        expanded_at timestamptz
      )`);
    await db.query(`CREATE INDEX status_event_pending_idx ON status_event (created_at) WHERE expanded_at IS NULL`);

    // The subscribers' outbox: decided once per (event, subscriber), delivered at least once.
    await db.query(`
      CREATE TABLE status_delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event_id uuid NOT NULL REFERENCES status_event(id) ON DELETE CASCADE,
        subscriber_id uuid NOT NULL REFERENCES status_subscriber(id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN ('PENDING','SENDING','SENT','FAILED','CANCELLED')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        claimed_until timestamptz,
        sent_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL,
        UNIQUE (event_id, subscriber_id)
      )`);
    await db.query(`CREATE INDEX status_delivery_due_idx ON status_delivery (next_attempt_at) WHERE status IN ('PENDING','SENDING')`);
    await db.query(`CREATE INDEX status_delivery_subscriber_idx ON status_delivery (subscriber_id) WHERE status IN ('PENDING','SENDING')`);

    // The last state each page's component was announced in, so a change is told once.
    await db.query(`
      CREATE TABLE status_component_state (
        page_id uuid NOT NULL REFERENCES status_page(id) ON DELETE CASCADE,
        service_id uuid NOT NULL REFERENCES service(id) ON DELETE CASCADE,
        state text NOT NULL,
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (page_id, service_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS status_component_state`);
    await db.query(`DROP TABLE IF EXISTS status_delivery`);
    await db.query(`DROP TABLE IF EXISTS status_event`);
    await db.query(`DROP TABLE IF EXISTS status_subscriber`);
    await db.query(`DROP TABLE IF EXISTS status_secret`);
    await db.query(`DROP INDEX IF EXISTS status_update_public_idx`);
    await db.query(`ALTER TABLE status_update DROP COLUMN IF EXISTS incident_status`);
    await db.query(`DROP TABLE IF EXISTS incident_component_impact`);
    await db.query(`DROP VIEW IF EXISTS status_page_service`);
    await db.query(`DROP TABLE IF EXISTS status_page_component`);
    await db.query(`DROP TABLE IF EXISTS status_page`);
  }
}

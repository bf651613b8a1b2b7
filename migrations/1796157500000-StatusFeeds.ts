import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Polled provider status feeds (#16). One poll-state row per STATUS_FEED integration: what conditional requests send
 * (the validators of the URL they came from), when it is due, and its failures; `claim` numbers each poll, so a poll
 * that lost its claim records nothing, and `polled_url` is the URL it was claimed for (a new one is polled at once). One row per feed entry seen: the digest of what was last accepted, so an entry
 * the feed repeats unchanged adds nothing, and its fingerprint, so an entry that leaves the feed can be resolved.
 */
export class StatusFeeds1796157500000 implements MigrationInterface {
  name = 'StatusFeeds1796157500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE status_feed_state (
        integration_id uuid PRIMARY KEY REFERENCES integration(id) ON DELETE CASCADE,
        next_due_at timestamptz NOT NULL,
        claim integer NOT NULL DEFAULT 0,
        claimed_at timestamptz,
        polled_url text,
        validators_url text,
        etag text,
        last_modified text,
        last_polled_at timestamptz,
        last_http_status integer,
        last_success_at timestamptz,
        last_changed_at timestamptz,
        consecutive_failures integer NOT NULL DEFAULT 0,
        last_error text,
        last_error_at timestamptz
      )`);
    await db.query(`CREATE INDEX status_feed_state_due_idx ON status_feed_state (next_due_at)`);
    await db.query(`
      CREATE TABLE status_feed_entry (
        integration_id uuid NOT NULL REFERENCES integration(id) ON DELETE CASCADE,
        entry_id text NOT NULL,
        fingerprint text NOT NULL,
        summary text NOT NULL,
        digest text NOT NULL,
        status text NOT NULL CHECK (status IN ('FIRING', 'RESOLVED')),
        first_seen_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        PRIMARY KEY (integration_id, entry_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE status_feed_entry`);
    await db.query(`DROP TABLE status_feed_state`);
  }
}

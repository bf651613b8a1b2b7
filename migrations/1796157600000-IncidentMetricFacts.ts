import type { MigrationInterface, QueryRunner } from 'typeorm';

const CHANNELS = ['SMS', 'EMAIL', 'SLACK', 'WEBHOOK'];
const pageColumns = CHANNELS.map((channel) => `pages_${channel.toLowerCase()}`);
const perChannel = (row: string) => CHANNELS.map((channel) => `CASE WHEN ${row}.channel = '${channel}' THEN 1 ELSE 0 END`).join(', ');
const addPages = `${pageColumns.map((column) => `${column} = f.${column} + EXCLUDED.${column}`).join(', ')}, last_page_at = greatest(f.last_page_at, EXCLUDED.last_page_at)`;
const addAlerts = 'alerts = f.alerts + EXCLUDED.alerts, first_alert_at = least(f.first_alert_at, EXCLUDED.first_alert_at)';
const sentPage = (row: string) => `(${row}.status = 'SENT' AND ${row}.sent_at IS NOT NULL AND ${row}.incident_id IS NOT NULL)`;

/**
 * One row per incident with what incidentMetrics would otherwise aggregate from every alert and page of a year
 * (at a million incidents those two aggregations were 4.7 of the query's 9.8 s): its alerts, the first alert's
 * time, delivered pages per channel and the last delivery's time. Triggers keep it in the writer's own transaction,
 * so every writer (the ingest pipeline, the delivery worker, hand-written SQL) keeps it right:
 * - inserts: statement-level with transition tables, one upsert per statement in incident order;
 * - updates: row-level with a WHEN condition, so the updates that matter to nothing here (an alert's repeats under a
 *   storm, a page being claimed) neither call a function nor capture transition tables, and never lock a fact row;
 *   only an alert attached to or moved between incidents, or a page delivered (or taken back), changes it.
 * Repeats are not kept: each one would update its incident's row, serialising concurrent batches of one incident's
 * alerts on it. Deleting alerts or pages (retention) does not take counts back; the first alert's time is the
 * earliest any alert of the incident had.
 */
export class IncidentMetricFacts1796157600000 implements MigrationInterface {
  name = 'IncidentMetricFacts1796157600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE incident_metric_fact (
        incident_id uuid PRIMARY KEY REFERENCES incident(id) ON DELETE CASCADE,
        alerts integer NOT NULL DEFAULT 0,
        first_alert_at timestamptz,
        ${pageColumns.map((column) => `${column} integer NOT NULL DEFAULT 0`).join(',\n        ')},
        last_page_at timestamptz
      )`);

    await db.query(`
      CREATE FUNCTION incident_metric_fact_alerts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO incident_metric_fact AS f (incident_id, alerts, first_alert_at)
        SELECT incident_id, count(*), min(first_seen_at)
          FROM inserted_alerts WHERE incident_id IS NOT NULL GROUP BY incident_id ORDER BY incident_id
        ON CONFLICT (incident_id) DO UPDATE SET ${addAlerts};
        RETURN NULL;
      END $$`);
    // An incident being deleted sets its alerts' incident_id to null: the UPDATE finds its row gone, or going.
    await db.query(`
      CREATE FUNCTION incident_metric_fact_alert_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.incident_id IS NOT DISTINCT FROM NEW.incident_id THEN
          UPDATE incident_metric_fact SET first_alert_at = least(first_alert_at, NEW.first_seen_at) WHERE incident_id = NEW.incident_id;
          RETURN NULL;
        END IF;
        IF OLD.incident_id IS NOT NULL THEN
          UPDATE incident_metric_fact SET alerts = alerts - 1 WHERE incident_id = OLD.incident_id;
        END IF;
        IF NEW.incident_id IS NOT NULL THEN
          INSERT INTO incident_metric_fact AS f (incident_id, alerts, first_alert_at) VALUES (NEW.incident_id, 1, NEW.first_seen_at)
          ON CONFLICT (incident_id) DO UPDATE SET ${addAlerts};
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER alert_metric_fact_insert AFTER INSERT ON alert REFERENCING NEW TABLE AS inserted_alerts
                      FOR EACH STATEMENT EXECUTE FUNCTION incident_metric_fact_alerts_inserted()`);
    await db.query(`CREATE TRIGGER alert_metric_fact_update AFTER UPDATE OF incident_id, first_seen_at ON alert FOR EACH ROW
                      WHEN (OLD.incident_id IS DISTINCT FROM NEW.incident_id OR (NEW.incident_id IS NOT NULL AND NEW.first_seen_at < OLD.first_seen_at))
                      EXECUTE FUNCTION incident_metric_fact_alert_updated()`);

    await db.query(`
      CREATE FUNCTION incident_metric_fact_pages_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO incident_metric_fact AS f (incident_id, ${pageColumns.join(', ')}, last_page_at)
        SELECT incident_id, ${pageColumns.map((column) => `sum(${column})`).join(', ')}, max(sent_at)
          FROM (SELECT n.incident_id, n.sent_at, ${perChannel('n')} FROM inserted_pages n WHERE ${sentPage('n')})
               AS pages (incident_id, sent_at, ${pageColumns.join(', ')})
         GROUP BY incident_id ORDER BY incident_id
        ON CONFLICT (incident_id) DO UPDATE SET ${addPages};
        RETURN NULL;
      END $$`);
    // A page counts once it is delivered; one that stops counting (re-sent, moved, its channel changed) is taken back.
    await db.query(`
      CREATE FUNCTION incident_metric_fact_page_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF ${sentPage('OLD')} THEN
          UPDATE incident_metric_fact
             SET ${CHANNELS.map((channel) => `pages_${channel.toLowerCase()} = pages_${channel.toLowerCase()} - (OLD.channel = '${channel}')::int`).join(', ')}
           WHERE incident_id = OLD.incident_id;
        END IF;
        IF ${sentPage('NEW')} THEN
          INSERT INTO incident_metric_fact AS f (incident_id, ${pageColumns.join(', ')}, last_page_at)
          VALUES (NEW.incident_id, ${perChannel('NEW')}, NEW.sent_at)
          ON CONFLICT (incident_id) DO UPDATE SET ${addPages};
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER notification_metric_fact_insert AFTER INSERT ON notification REFERENCING NEW TABLE AS inserted_pages
                      FOR EACH STATEMENT EXECUTE FUNCTION incident_metric_fact_pages_inserted()`);
    await db.query(`CREATE TRIGGER notification_metric_fact_update AFTER UPDATE ON notification FOR EACH ROW
                      WHEN (${sentPage('OLD')} IS DISTINCT FROM ${sentPage('NEW')}
                            OR (${sentPage('NEW')} AND (OLD.incident_id IS DISTINCT FROM NEW.incident_id OR OLD.channel <> NEW.channel OR OLD.sent_at <> NEW.sent_at)))
                      EXECUTE FUNCTION incident_metric_fact_page_updated()`);

    // The metrics take the pages delivered after their `to` back off the counts; this finds those few.
    await db.query(`CREATE INDEX notification_sent_idx ON notification (sent_at) WHERE status = 'SENT' AND incident_id IS NOT NULL`);

    await db.query(`
      INSERT INTO incident_metric_fact (incident_id, alerts, first_alert_at)
      SELECT incident_id, count(*), min(first_seen_at) FROM alert WHERE incident_id IS NOT NULL GROUP BY incident_id`);
    await db.query(`
      INSERT INTO incident_metric_fact AS f (incident_id, ${pageColumns.join(', ')}, last_page_at)
      SELECT n.incident_id, ${CHANNELS.map((channel) => `count(*) FILTER (WHERE n.channel = '${channel}')`).join(', ')}, max(n.sent_at)
        FROM notification n WHERE ${sentPage('n')} GROUP BY n.incident_id
      ON CONFLICT (incident_id) DO UPDATE SET ${pageColumns.map((column) => `${column} = EXCLUDED.${column}`).join(', ')}, last_page_at = EXCLUDED.last_page_at`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER IF EXISTS notification_metric_fact_update ON notification`);
    await db.query(`DROP TRIGGER IF EXISTS notification_metric_fact_insert ON notification`);
    await db.query(`DROP TRIGGER IF EXISTS alert_metric_fact_update ON alert`);
    await db.query(`DROP TRIGGER IF EXISTS alert_metric_fact_insert ON alert`);
    await db.query(`DROP FUNCTION IF EXISTS incident_metric_fact_page_updated(), incident_metric_fact_pages_inserted(),
                                            incident_metric_fact_alert_updated(), incident_metric_fact_alerts_inserted()`);
    await db.query(`DROP INDEX IF EXISTS notification_sent_idx`);
    await db.query(`DROP TABLE IF EXISTS incident_metric_fact`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

const CHANNELS = ['SMS', 'EMAIL', 'SLACK', 'WEBHOOK'];
const pageColumns = CHANNELS.map((channel) => `pages_${channel.toLowerCase()}`);
const perChannel = (sign: string, row: string) => CHANNELS.map((channel) => `CASE WHEN ${row}.channel = '${channel}' THEN ${sign}1 ELSE 0 END`).join(', ');
const addPages = `${pageColumns.map((column) => `${column} = f.${column} + EXCLUDED.${column}`).join(', ')}, last_page_at = greatest(f.last_page_at, EXCLUDED.last_page_at)`;
const addAlerts = 'alerts = f.alerts + EXCLUDED.alerts, repeats = f.repeats + EXCLUDED.repeats, first_alert_at = least(f.first_alert_at, EXCLUDED.first_alert_at)';
const sentPage = (row: string) => `(${row}.status = 'SENT' AND ${row}.sent_at IS NOT NULL AND ${row}.incident_id IS NOT NULL)`;

/**
 * One row per incident with what incidentMetrics would otherwise aggregate from every alert and page of a year
 * (at a million incidents those two aggregations were 4.7 of the query's 9.8 s): alerts, repeats, the first alert's
 * time, delivered pages per channel and the last delivery's time. Statement-level triggers with transition tables
 * keep it, so every writer (the ingest pipeline's multi-row upserts, the delivery job, hand-written SQL) updates it
 * in the same transaction, once per statement and in incident order; deleting alerts or pages (retention) does not
 * take an incident's counts back, so a year-old incident keeps the noise it had.
 */
export class IncidentMetricFacts1796157600000 implements MigrationInterface {
  name = 'IncidentMetricFacts1796157600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE incident_metric_fact (
        incident_id uuid PRIMARY KEY REFERENCES incident(id) ON DELETE CASCADE,
        alerts integer NOT NULL DEFAULT 0,
        repeats bigint NOT NULL DEFAULT 0,
        first_alert_at timestamptz,
        ${pageColumns.map((column) => `${column} integer NOT NULL DEFAULT 0`).join(',\n        ')},
        last_page_at timestamptz
      )`);

    await db.query(`
      CREATE FUNCTION incident_metric_fact_alerts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO incident_metric_fact AS f (incident_id, alerts, repeats, first_alert_at)
        SELECT incident_id, count(*), sum(occurrences - 1), min(first_seen_at)
          FROM inserted_alerts WHERE incident_id IS NOT NULL GROUP BY incident_id ORDER BY incident_id
        ON CONFLICT (incident_id) DO UPDATE SET ${addAlerts};
        RETURN NULL;
      END $$`);
    // An alert attached to (or moved between) incidents counts for its new one; a repeat adds its occurrences.
    await db.query(`
      CREATE FUNCTION incident_metric_fact_alerts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        WITH changed AS (
          SELECT n.incident_id AS new_incident, o.incident_id AS old_incident, n.occurrences AS new_occurrences,
                 o.occurrences AS old_occurrences, n.first_seen_at
            FROM updated_alerts n JOIN previous_alerts o ON o.id = n.id
           WHERE n.incident_id IS DISTINCT FROM o.incident_id OR n.occurrences <> o.occurrences OR n.first_seen_at <> o.first_seen_at
        ), deltas AS (
          -- An incident being deleted sets its alerts' incident_id to null: its own row goes with it (the EXISTS below).
          SELECT new_incident AS incident_id, 1 AS alerts, new_occurrences - 1 AS repeats, first_seen_at FROM changed WHERE new_incident IS NOT NULL
          UNION ALL
          SELECT old_incident, -1, -(old_occurrences - 1), NULL FROM changed WHERE old_incident IS NOT NULL
        )
        INSERT INTO incident_metric_fact AS f (incident_id, alerts, repeats, first_alert_at)
        SELECT incident_id, sum(alerts), sum(repeats), min(first_seen_at) FROM deltas
         WHERE EXISTS (SELECT 1 FROM incident WHERE id = deltas.incident_id) GROUP BY incident_id ORDER BY incident_id
        ON CONFLICT (incident_id) DO UPDATE SET ${addAlerts};
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER alert_metric_fact_insert AFTER INSERT ON alert REFERENCING NEW TABLE AS inserted_alerts
                      FOR EACH STATEMENT EXECUTE FUNCTION incident_metric_fact_alerts_inserted()`);
    await db.query(`CREATE TRIGGER alert_metric_fact_update AFTER UPDATE ON alert REFERENCING OLD TABLE AS previous_alerts NEW TABLE AS updated_alerts
                      FOR EACH STATEMENT EXECUTE FUNCTION incident_metric_fact_alerts_updated()`);

    await db.query(`
      CREATE FUNCTION incident_metric_fact_pages_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO incident_metric_fact AS f (incident_id, ${pageColumns.join(', ')}, last_page_at)
        SELECT incident_id, ${pageColumns.map((column) => `sum(${column})`).join(', ')}, max(sent_at)
          FROM (SELECT n.incident_id, n.sent_at, ${perChannel('', 'n')} FROM inserted_pages n WHERE ${sentPage('n')})
               AS pages (incident_id, sent_at, ${pageColumns.join(', ')})
         GROUP BY incident_id ORDER BY incident_id
        ON CONFLICT (incident_id) DO UPDATE SET ${addPages};
        RETURN NULL;
      END $$`);
    // A page counts once it is delivered; one that stops counting (re-sent, moved) is taken back.
    await db.query(`
      CREATE FUNCTION incident_metric_fact_pages_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        WITH changed AS (
          SELECT n.*, ${sentPage('n')} AS counts_now, ${sentPage('o')} AS counted, o.incident_id AS old_incident, o.channel AS old_channel
            FROM updated_pages n JOIN previous_pages o ON o.id = n.id
           WHERE ${sentPage('n')} IS DISTINCT FROM ${sentPage('o')}
              OR (${sentPage('n')} AND (n.incident_id IS DISTINCT FROM o.incident_id OR n.channel <> o.channel OR n.sent_at <> o.sent_at))
        ), deltas (incident_id, sent_at, ${pageColumns.join(', ')}) AS (
          SELECT incident_id, sent_at, ${perChannel('', 'changed')} FROM changed WHERE counts_now
          UNION ALL
          SELECT old_incident, NULL::timestamptz, ${CHANNELS.map((channel) => `CASE WHEN old_channel = '${channel}' THEN -1 ELSE 0 END`).join(', ')} FROM changed WHERE counted
        )
        INSERT INTO incident_metric_fact AS f (incident_id, ${pageColumns.join(', ')}, last_page_at)
        SELECT incident_id, ${pageColumns.map((column) => `sum(${column})`).join(', ')}, max(sent_at) FROM deltas
         WHERE EXISTS (SELECT 1 FROM incident WHERE id = deltas.incident_id) GROUP BY incident_id ORDER BY incident_id
        ON CONFLICT (incident_id) DO UPDATE SET ${addPages};
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER notification_metric_fact_insert AFTER INSERT ON notification REFERENCING NEW TABLE AS inserted_pages
                      FOR EACH STATEMENT EXECUTE FUNCTION incident_metric_fact_pages_inserted()`);
    await db.query(`CREATE TRIGGER notification_metric_fact_update AFTER UPDATE ON notification REFERENCING OLD TABLE AS previous_pages NEW TABLE AS updated_pages
                      FOR EACH STATEMENT EXECUTE FUNCTION incident_metric_fact_pages_updated()`);

    // The metrics take the pages delivered after their `to` back off the counts; this finds those few.
    await db.query(`CREATE INDEX notification_sent_idx ON notification (sent_at) WHERE status = 'SENT' AND incident_id IS NOT NULL`);

    await db.query(`
      INSERT INTO incident_metric_fact (incident_id, alerts, repeats, first_alert_at)
      SELECT incident_id, count(*), sum(occurrences - 1), min(first_seen_at) FROM alert WHERE incident_id IS NOT NULL GROUP BY incident_id`);
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
    await db.query(`DROP FUNCTION IF EXISTS incident_metric_fact_pages_updated(), incident_metric_fact_pages_inserted(),
                                            incident_metric_fact_alerts_updated(), incident_metric_fact_alerts_inserted()`);
    await db.query(`DROP INDEX IF EXISTS notification_sent_idx`);
    await db.query(`DROP TABLE IF EXISTS incident_metric_fact`);
  }
}

import { incidentFilterSql, pageBandSql, secondsBetween } from './incident-metrics.sql';
import { statementParams, type MetricsQuery } from './metrics-query';

/**
 * Per person: the pages delivered to them in [from, to) placed in their own zone by their working hours (business
 * within them, else sleep 22:00–08:00, else off hours; pageBandSql), and the incidents they acknowledged in [from, to) — as themselves
 * (a PERSON actor, e.g. an SMS reply) or through an API token linked to them — with the time from their first page of
 * the incident to that acknowledgement. Only incidents matching the filter count.
 */
export function responderMetricsSql(query: MetricsQuery): { sql: string; params: unknown[] } {
  const { params, param } = statementParams([query.from, query.to]);
  const incidentFilter = incidentFilterSql(query, param);
  const sql = `
    WITH pages AS (
      SELECT n.person_id, n.incident_id, n.sent_at, (n.sent_at AT TIME ZONE p.time_zone) AS local_at, p.working_hours
        FROM notification n JOIN person p ON p.id = n.person_id JOIN incident i ON i.id = n.incident_id
       WHERE n.status = 'SENT' AND n.sent_at >= $1 AND n.sent_at < $2 ${incidentFilter}
    ),
    placed AS (
      SELECT person_id, ${pageBandSql('local_at', 'working_hours', param(JSON.stringify(query.holidays), 'jsonb'))} AS band
        FROM pages
    ),
    page_counts AS (
      SELECT person_id, count(*) AS pages,
             count(*) FILTER (WHERE band = 'business') AS business_pages,
             count(*) FILTER (WHERE band = 'off') AS off_pages,
             count(*) FILTER (WHERE band = 'sleep') AS sleep_pages
        FROM placed GROUP BY person_id
    ),
    acks AS (
      SELECT DISTINCT ON (coalesce(p.id, t.person_id), e.incident_id) coalesce(p.id, t.person_id) AS person_id, e.incident_id, e.at
        FROM timeline_event e JOIN incident i ON i.id = e.incident_id
        LEFT JOIN person p ON e.actor_type = 'PERSON' AND p.id::text = e.actor_id
        LEFT JOIN api_token t ON e.actor_type = 'TOKEN' AND t.id::text = e.actor_id
       WHERE e.kind = 'ACKNOWLEDGED' AND e.at >= $1 AND e.at < $2 AND coalesce(p.id, t.person_id) IS NOT NULL ${incidentFilter}
       ORDER BY coalesce(p.id, t.person_id), e.incident_id, e.at
    ),
    ack_times AS (
      SELECT a.person_id, a.incident_id,
             (SELECT ${secondsBetween('a.at', 'min(n.sent_at)')} FROM notification n
               WHERE n.person_id = a.person_id AND n.incident_id = a.incident_id AND n.status = 'SENT' AND n.sent_at <= a.at) AS tta
        FROM acks a
    ),
    ack_counts AS (
      SELECT person_id, count(*) AS acknowledged, count(tta) AS tta_count, avg(tta) AS tta_mean,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY tta) AS tta_median, percentile_cont(0.9) WITHIN GROUP (ORDER BY tta) AS tta_p90
        FROM ack_times GROUP BY person_id
    )
    SELECT coalesce(pc.person_id, ac.person_id) AS person_id,
           coalesce(pc.pages, 0) AS pages, coalesce(pc.business_pages, 0) AS business_pages, coalesce(pc.off_pages, 0) AS off_pages,
           coalesce(pc.sleep_pages, 0) AS sleep_pages, coalesce(ac.acknowledged, 0) AS acknowledged,
           coalesce(ac.tta_count, 0) AS tta_count, ac.tta_mean, ac.tta_median, ac.tta_p90
      FROM page_counts pc FULL JOIN ack_counts ac ON ac.person_id = pc.person_id`;
  return { sql, params };
}

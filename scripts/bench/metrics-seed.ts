/**
 * bench:metrics' data (metrics.ts describes the run): the generated history and the hand-written baseline statement.
 */
import { Client } from 'pg';
import { progress } from './common';

export const SERVICES = 50;
export const INTEGRATIONS = 6;
/** The generated history spans these days before its anchor; the measured year lies inside it. */
export const HISTORY_DAYS = 395;

/**
 * The baseline: the same figures by service and UTC week (weeks with incidents only) and their total, written by hand
 * over the same tables the server reads — incidents, the per-incident counts the triggers keep
 * (incident_metric_fact) and escalations — in one GROUPING SETS pass.
 */
export const BASELINE_SQL = `
  WITH cohort AS (
    SELECT i.service_id,
           date_trunc('week', i.opened_at AT TIME ZONE 'UTC') AS week,
           i.resolved_at < $2 AS resolved,
           CASE WHEN i.acknowledged_at < $2 THEN date_part('epoch', i.acknowledged_at - i.opened_at) END AS tta,
           CASE WHEN i.resolved_at < $2 THEN date_part('epoch', i.resolved_at - i.opened_at) END AS ttr,
           coalesce(f.alerts, 0) AS alerts,
           coalesce(e.step_index > 0 OR e.repeat_index > 0, false) AS escalated,
           coalesce(f.pages_sms + f.pages_email + f.pages_slack + f.pages_webhook, 0) - coalesce(late.pages, 0) AS pages
      FROM incident i
      LEFT JOIN incident_metric_fact f ON f.incident_id = i.id
      LEFT JOIN (SELECT incident_id, count(*) AS pages FROM notification
                  WHERE status = 'SENT' AND incident_id IS NOT NULL AND sent_at >= $2 GROUP BY incident_id) late ON late.incident_id = i.id
      LEFT JOIN incident_escalation e ON e.incident_id = i.id
     WHERE i.opened_at >= $1 AND i.opened_at < $2
  )
  ${aggregatesSql()}`;

/**
 * What any exact answer has to compute, alone: the total's median and p90 of time to acknowledge and to resolve over
 * the period's incidents (PostgreSQL's percentile_cont sorts each column's values in one process). Nothing else.
 */
export const PERCENTILE_FLOOR_SQL = `
  SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY tta) AS tta_median, percentile_cont(0.9) WITHIN GROUP (ORDER BY tta) AS tta_p90,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY ttr) AS ttr_median, percentile_cont(0.9) WITHIN GROUP (ORDER BY ttr) AS ttr_p90
    FROM (SELECT CASE WHEN acknowledged_at < $2 THEN date_part('epoch', acknowledged_at - opened_at) END AS tta,
                 CASE WHEN resolved_at < $2 THEN date_part('epoch', resolved_at - opened_at) END AS ttr
            FROM incident WHERE opened_at >= $1 AND opened_at < $2) period_incidents`;

/** The previous baseline, for reference: the same figures from the raw tables, every alert and page aggregated per incident. */
export const RAW_BASELINE_SQL = `
  WITH alerts AS (
    SELECT incident_id, count(*) AS alerts FROM alert WHERE incident_id IS NOT NULL GROUP BY incident_id
  ), pages AS (
    SELECT incident_id, count(*) AS pages FROM notification WHERE status = 'SENT' AND sent_at < $2 GROUP BY incident_id
  ), cohort AS (
    SELECT i.service_id,
           date_trunc('week', i.opened_at AT TIME ZONE 'UTC') AS week,
           i.resolved_at < $2 AS resolved,
           CASE WHEN i.acknowledged_at < $2 THEN date_part('epoch', i.acknowledged_at - i.opened_at) END AS tta,
           CASE WHEN i.resolved_at < $2 THEN date_part('epoch', i.resolved_at - i.opened_at) END AS ttr,
           coalesce(a.alerts, 0) AS alerts,
           coalesce(e.step_index > 0 OR e.repeat_index > 0, false) AS escalated,
           coalesce(p.pages, 0) AS pages
      FROM incident i
      LEFT JOIN alerts a ON a.incident_id = i.id
      LEFT JOIN pages p ON p.incident_id = i.id
      LEFT JOIN incident_escalation e ON e.incident_id = i.id
     WHERE i.opened_at >= $1 AND i.opened_at < $2
  )
  ${aggregatesSql()}`;

function aggregatesSql(): string {
  return `SELECT GROUPING(service_id) = 1 AS is_total, service_id, week,
         count(*)::int AS opened,
         count(*) FILTER (WHERE resolved)::int AS resolved,
         avg(tta)::float8 AS tta_mean,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY tta) AS tta_median,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY tta) AS tta_p90,
         avg(ttr)::float8 AS ttr_mean,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY ttr) AS ttr_median,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY ttr) AS ttr_p90,
         sum(alerts)::int AS alerts,
         (sum(alerts)::float8 / count(*)) AS alerts_per_incident,
         count(*) FILTER (WHERE escalated)::int AS escalated,
         sum(pages)::int AS pages
    FROM cohort
   GROUP BY GROUPING SETS ((service_id, week), ())
   ORDER BY is_total DESC, service_id, week`;
}

/**
 * The generator: set-based statements, each one INSERT … SELECT over generate_series (or over the incidents), with
 * a fixed seed so two runs generate the same history. $1 is the anchor: every timestamp lies before it.
 */
function generationStatements(incidents: number): Array<[label: string, sql: string]> {
  return [
    ['seed', `SELECT setseed(0.15)`],
    ['person', `INSERT INTO person (name, email) VALUES ('Bench Owner', 'bench-owner@example.com')`],
    ['services', `INSERT INTO service (name, slug, owner_id) SELECT 'Service ' || n, 'service-' || lpad(n::text, 2, '0'), (SELECT id FROM person) FROM generate_series(1, ${SERVICES}) n`],
    [
      'integrations',
      `INSERT INTO integration (name, vendor, service_id, secret_hash, created_at, updated_at)
       SELECT 'Integration ' || n, (ARRAY['ALERTMANAGER','GRAFANA','AZURE_MONITOR','GENERIC','ALERTMANAGER','SAP_ALERT_NOTIFICATION'])[n],
              (SELECT id FROM service ORDER BY slug OFFSET n - 1 LIMIT 1), md5('bench-secret-' || n), $1::timestamptz - interval '${HISTORY_DAYS + 30} days', $1::timestamptz - interval '${HISTORY_DAYS + 30} days'
         FROM generate_series(1, ${INTEGRATIONS}) n`,
    ],
    [
      'incidents',
      `WITH ids AS (SELECT (SELECT array_agg(id ORDER BY slug) FROM service) AS services, (SELECT array_agg(id ORDER BY name) FROM integration) AS integrations),
       draws AS (
         SELECT g, random() AS r_service, random() AS r_priority, random() AS r_source, random() AS r_integration, random() AS r_ack, random() AS r_ack_delay,
                random() AS r_mitigate, random() AS r_mitigate_delay, random() AS r_resolve, random() AS r_resolve_delay, random() AS r_false, random() AS r_review,
                $1::timestamptz - random() * interval '${HISTORY_DAYS} days' AS opened_at
           FROM generate_series(1, ${incidents}) g OFFSET 0
       ), times AS (
         SELECT d.*,
                CASE WHEN r_ack < 0.9 THEN opened_at + (5 + 3595 * r_ack_delay ^ 3) * interval '1 second' END AS acknowledged_at,
                CASE WHEN r_source < 0.7 THEN 'MONITORING' WHEN r_source < 0.8 THEN 'INTERNAL' WHEN r_source < 0.88 THEN 'CUSTOMER_REPORT' WHEN r_source < 0.95 THEN 'PROVIDER' ELSE 'MAINTENANCE' END AS source
           FROM draws d OFFSET 0
       ), mitigated AS (
         SELECT t.*, CASE WHEN acknowledged_at IS NOT NULL AND r_mitigate < 0.4 / 0.9 THEN acknowledged_at + (60 + 7200 * r_mitigate_delay ^ 2) * interval '1 second' END AS mitigated_at
           FROM times t OFFSET 0
       ), resolved AS (
         SELECT m.*, CASE WHEN r_resolve < 0.97 THEN greatest(opened_at, acknowledged_at, mitigated_at) + (120 + 259200 * r_resolve_delay ^ 4) * interval '1 second' END AS resolved_at
           FROM mitigated m OFFSET 0
       )
       INSERT INTO incident (title, service_id, priority, status, resolution, source, integration_id, opened_at, acknowledged_at, mitigated_at, resolved_at, reviewed_at, updated_at)
       SELECT 'Synthetic incident ' || g || ' on service ' || (1 + floor(${SERVICES} * r_service ^ 1.5)::int),
              ids.services[1 + floor(${SERVICES} * r_service ^ 1.5)::int],
              CASE WHEN r_priority < 0.05 THEN 'P1' WHEN r_priority < 0.2 THEN 'P2' WHEN r_priority < 0.6 THEN 'P3' ELSE 'P4' END,
              CASE WHEN resolved_at IS NOT NULL THEN CASE WHEN r_review < 0.1 THEN 'REVIEWED' ELSE 'RESOLVED' END
                   WHEN mitigated_at IS NOT NULL THEN 'MITIGATED' WHEN acknowledged_at IS NOT NULL THEN 'ACKNOWLEDGED' ELSE 'TRIGGERED' END,
              CASE WHEN resolved_at IS NOT NULL THEN CASE WHEN r_false < 0.05 THEN 'FALSE_POSITIVE' ELSE 'FIXED' END END,
              source,
              CASE WHEN source IN ('MONITORING', 'PROVIDER') THEN ids.integrations[1 + floor(${INTEGRATIONS} * r_integration)::int] END,
              opened_at, acknowledged_at, mitigated_at, resolved_at,
              CASE WHEN resolved_at IS NOT NULL AND r_review < 0.1 THEN resolved_at + interval '2 days' END,
              coalesce(resolved_at, mitigated_at, acknowledged_at, opened_at)
         FROM resolved CROSS JOIN ids`,
    ],
    [
      'alerts',
      // 1–5 alerts per incident opened by an integration (mean ~2.0; ~77 % of incidents have an integration).
      `INSERT INTO alert (integration_id, service_id, fingerprint, group_key, status, severity, kind, summary, incident_id, occurrences, first_seen_at, last_seen_at, resolved_at)
       SELECT i.integration_id, i.service_id, md5(i.id::text || ':' || k), 'group-' || i.number,
              CASE WHEN i.resolved_at IS NULL THEN 'FIRING' ELSE 'RESOLVED' END,
              CASE i.priority WHEN 'P1' THEN 'CRITICAL' WHEN 'P2' THEN 'HIGH' WHEN 'P3' THEN 'WARNING' ELSE 'INFO' END,
              'metric', 'Synthetic alert ' || k || ' of incident ' || i.number, i.id,
              1 + floor(5 * random() ^ 2)::int,
              i.opened_at + (k - 1) * interval '90 seconds' - interval '20 seconds',
              i.opened_at + (k - 1) * interval '90 seconds' + interval '5 minutes',
              i.resolved_at
         FROM (SELECT i.*, random() AS r FROM incident i WHERE i.integration_id IS NOT NULL OFFSET 0) i
        CROSS JOIN LATERAL generate_series(1, CASE WHEN r < 0.4 THEN 1 WHEN r < 0.7 THEN 2 WHEN r < 0.9 THEN 3 WHEN r < 0.97 THEN 4 ELSE 5 END) k`,
    ],
    [
      'escalations',
      // 70 % of incidents have an escalation, 1 in 7 of those reached step 2 (step_index 1): 10 % escalated.
      `INSERT INTO incident_escalation (incident_id, policy_snapshot, state, step_index, repeat_index, stopped_reason, updated_at)
       SELECT id, '{"name": "Bench policy", "repeatCount": 0, "steps": []}'::jsonb, 'STOPPED', CASE WHEN r < 0.1 THEN 1 ELSE 0 END, 0,
              CASE WHEN acknowledged_at IS NOT NULL THEN 'ACKNOWLEDGED' ELSE 'RESOLVED' END, coalesce(acknowledged_at, resolved_at, opened_at)
         FROM (SELECT i.*, random() AS r FROM incident i OFFSET 0) i
        WHERE r < 0.7`,
    ],
    [
      'notifications',
      // 0, 1 or 2 pages per incident (20/60/20 %: one on average), channels mixed, 97 % SENT, the rest FAILED.
      `INSERT INTO notification (idempotency_key, incident_id, person_id, channel, address, subject, body, reason, status, attempts, max_attempts,
                                 next_attempt_at, created_at, due_at, sent_at, last_error)
       SELECT 'bench:' || i.id || ':' || k, i.id, (SELECT id FROM person), c.channel, c.address, 'Incident #' || i.number, 'Synthetic page', 'escalation step ' || k,
              CASE WHEN random() < 0.97 THEN 'SENT' ELSE 'FAILED' END, 1, 5,
              i.opened_at + k * interval '30 seconds', i.opened_at + k * interval '30 seconds', i.opened_at + k * interval '30 seconds',
              i.opened_at + k * interval '30 seconds' + interval '2 seconds', NULL
         FROM (SELECT i.id, i.number, i.opened_at, random() AS r, random() AS r_channel FROM incident i OFFSET 0) i
        CROSS JOIN LATERAL generate_series(1, CASE WHEN r < 0.2 THEN 0 WHEN r < 0.8 THEN 1 ELSE 2 END) k
        CROSS JOIN LATERAL (SELECT CASE WHEN r_channel < 0.3 THEN 'SMS' WHEN r_channel < 0.6 THEN 'EMAIL' WHEN r_channel < 0.9 THEN 'SLACK' ELSE 'WEBHOOK' END AS channel) c0
        CROSS JOIN LATERAL (SELECT c0.channel, CASE c0.channel WHEN 'SMS' THEN '+15005550006' WHEN 'EMAIL' THEN 'owner@example.com' WHEN 'SLACK' THEN 'https://hooks.slack.com/services/T0/B0/x'
                                   ELSE 'https://example.com/hook' END AS address) c`,
    ],
    ['vacuum analyze', `VACUUM ANALYZE`],
    // The generation leaves a gigabyte of dirty pages: written now, not by a checkpoint in the middle of the timings.
    ['checkpoint', `CHECKPOINT`],
  ];
}

export async function generateHistory(url: string, incidents: number, anchor: Date): Promise<{ seconds: number; counts: Record<string, number> }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    for (const [label, sql] of generationStatements(incidents)) {
      const step = performance.now();
      const params = sql.includes('$1') ? [anchor] : [];
      const result = await client.query(sql, params);
      progress(`generated ${label}${result.rowCount !== null && result.command === 'INSERT' ? ` (${result.rowCount} rows)` : ''} in ${((performance.now() - step) / 1000).toFixed(1)} s`);
    }
    const seconds = (performance.now() - started) / 1000;
    const counted = await client.query<Record<string, string>>(`
      SELECT (SELECT count(*) FROM service) AS services, (SELECT count(*) FROM integration) AS integrations, (SELECT count(*) FROM incident) AS incidents,
             (SELECT count(*) FROM alert) AS alerts, (SELECT count(*) FROM incident_escalation) AS escalations,
             (SELECT count(*) FROM incident_escalation WHERE step_index > 0) AS escalated, (SELECT count(*) FROM notification) AS notifications,
             (SELECT count(*) FROM notification WHERE status = 'SENT') AS sent`);
    const counts = Object.fromEntries(Object.entries(counted.rows[0]).map(([key, value]) => [key, Number(value)]));
    return { seconds, counts };
  } finally {
    await client.end();
  }
}


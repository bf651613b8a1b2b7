import type { DataSource, EntityManager } from 'typeorm';
import { runPrepared, type PreparedStatement } from '../db/prepared-statement';
import { ALERT_CHANGES_PER_NOTIFY } from '../db/changes';
import type { MergedAlert } from './merge-batch';
import type { NormalizedAlert } from './normalized-alert';

export interface UpsertedAlert {
  id: string;
  integration_id: string;
  fingerprint: string;
  group_key: string;
  incident_id: string | null;
  /** The priority of the alert's incident while that incident is open. */
  incident_priority: string | null;
  suppressed: boolean;
  inserted: boolean;
}

export interface ResolvedAlert {
  id: string;
  integration_id: string;
  fingerprint: string;
  incident_id: string | null;
}

const UPSERT_FIRING: PreparedStatement = {
  name: 'ingest_upsert_firing',
  text: `WITH upserted AS (
     INSERT INTO alert (integration_id, service_id, fingerprint, group_key, status, severity, vendor_severity, kind, summary,
                        description, source, labels, annotations, url, details, suppressed, suppressed_by, occurrences, starts_at, ends_at,
                        first_seen_at, last_seen_at)
     SELECT v.integration_id, v.service_id, v.fingerprint, v.group_key, 'FIRING', v.severity, v.vendor_severity, v.kind, v.summary,
            v.description, v.source, v.labels, v.annotations, v.url, v.details, v.suppressed_by IS NOT NULL, v.suppressed_by, v.occurrences, v.starts_at, NULL,
            $2, $2
     FROM jsonb_to_recordset($1::jsonb)
          AS v(integration_id uuid, service_id uuid, fingerprint text, group_key text, severity text, vendor_severity text,
               kind text, summary text, description text, source text, labels jsonb, annotations jsonb, url text, details jsonb,
               suppressed_by uuid, occurrences int, starts_at timestamptz)
     ON CONFLICT (integration_id, fingerprint) WHERE status = 'FIRING'
     DO UPDATE SET occurrences = alert.occurrences + EXCLUDED.occurrences,
                   last_seen_at = GREATEST(alert.last_seen_at, EXCLUDED.last_seen_at),
                   severity = EXCLUDED.severity, vendor_severity = EXCLUDED.vendor_severity, summary = EXCLUDED.summary,
                   description = EXCLUDED.description, source = EXCLUDED.source, labels = EXCLUDED.labels,
                   annotations = EXCLUDED.annotations, url = EXCLUDED.url, details = EXCLUDED.details
     RETURNING id, integration_id, service_id, severity, fingerprint, group_key, incident_id, suppressed, (xmax = 0) AS inserted,
               (SELECT priority FROM incident WHERE id = alert.incident_id AND status IN ('TRIGGERED','ACKNOWLEDGED','MITIGATED')) AS incident_priority
     ),
     -- Subscribers hear of every firing occurrence on commit; chunks keep each payload under pg_notify's 8000 bytes.
     notified AS (
       SELECT ib_emit_change(json_build_object('topic', 'ALERTS_RECEIVED', 'alerts', json_agg(json_build_array(
                id, integration_id, service_id, 'FIRING', severity)))::text)
         FROM (SELECT *, (row_number() OVER () - 1) / $3 AS chunk FROM upserted) chunked
        GROUP BY chunk
     )
     SELECT upserted.*, (SELECT count(*) FROM notified) AS notifications FROM upserted`,
};

/**
 * An alert's fields as JSON object members, serialized once per alert object: a repeated body's alerts are the
 * same (memoised, frozen) objects, so a repeat costs no serialization.
 */
const contentJsonOf = new WeakMap<NormalizedAlert, string>();

function contentJson(alert: NormalizedAlert): string {
  let json = contentJsonOf.get(alert);
  if (json === undefined) {
    json = JSON.stringify({
      fingerprint: alert.fingerprint,
      group_key: alert.groupKey,
      severity: alert.severity,
      vendor_severity: alert.vendorSeverity,
      kind: alert.kind,
      summary: alert.summary,
      description: alert.description,
      source: alert.source,
      labels: alert.labels,
      annotations: alert.annotations,
      url: alert.url,
      details: alert.details,
      starts_at: alert.startsAt,
    }).slice(1, -1);
    contentJsonOf.set(alert, json);
  }
  return json;
}

/**
 * One multi-row upsert for every firing alert of a batch (repeats add to occurrences), announcing them in the same statement;
 * a new alert of a service in `suppressedBy` is recorded suppressed by that service's maintenance window.
 * The rows travel as one JSON document: V8 serializes it natively and PostgreSQL parses it once, where 17 text arrays cost
 * pg's per-element escaping on our side and array parsing plus a jsonb parse per element on the server's.
 */
export async function upsertFiring(manager: DataSource | EntityManager, alerts: MergedAlert[], suppressedBy: Map<string, string>, now: Date): Promise<UpsertedAlert[]> {
  if (!alerts.length) return [];
  const rows = alerts.map((merged) => {
    const firing = merged.firing as NonNullable<MergedAlert['firing']>;
    const window = suppressedBy.get(merged.target.serviceId);
    return `{"integration_id":"${merged.target.integrationId}","service_id":"${merged.target.serviceId}","suppressed_by":${window ? `"${window}"` : 'null'},"occurrences":${merged.firingCount},${contentJson(firing)}}`;
  });
  return runPrepared<UpsertedAlert>(manager, UPSERT_FIRING, [`[${rows.join(',')}]`, now, ALERT_CHANGES_PER_NOTIFY]);
}

/** The active alert (and its incident) of each (integration, fingerprint), for acknowledgements. */
export async function activeAlerts(manager: EntityManager, keys: Array<{ integrationId: string; fingerprint: string }>): Promise<ResolvedAlert[]> {
  if (!keys.length) return [];
  return manager.query(
    `SELECT a.id, a.integration_id, a.fingerprint, a.incident_id
       FROM alert a JOIN unnest($1::uuid[], $2::text[]) AS v(integration_id, fingerprint)
         ON a.integration_id = v.integration_id AND a.fingerprint = v.fingerprint
      WHERE a.status = 'FIRING'`,
    [keys.map((key) => key.integrationId), keys.map((key) => key.fingerprint)],
  );
}

/** Resolves the active alert of each (integration, fingerprint); unknown ones are simply not returned. */
export async function resolveActive(manager: EntityManager, alerts: MergedAlert[], now: Date): Promise<ResolvedAlert[]> {
  if (!alerts.length) return [];
  // TypeORM answers an UPDATE … RETURNING with [rows, affectedCount].
  const [rows] = await manager.query(
    `UPDATE alert a
        SET status = 'RESOLVED', resolved_at = $5, last_seen_at = $5, ends_at = COALESCE(v.ends_at, $5),
            occurrences = a.occurrences + v.occurrences
       FROM unnest($1::uuid[], $2::text[], $3::int[], $4::timestamptz[]) AS v(integration_id, fingerprint, occurrences, ends_at)
      WHERE a.integration_id = v.integration_id AND a.fingerprint = v.fingerprint AND a.status = 'FIRING'
      RETURNING a.id, a.integration_id, a.fingerprint, a.incident_id`,
    [
      alerts.map((m) => m.target.integrationId),
      alerts.map((m) => m.fingerprint),
      alerts.map((m) => m.resolveCount),
      alerts.map((m) => m.lastEndsAt),
      now,
    ],
  );
  return rows as ResolvedAlert[];
}

const ATTACH_TO_OPEN_INCIDENTS: PreparedStatement = {
  name: 'ingest_attach_to_open_incidents',
  text: `WITH requested AS (
       SELECT r.id, r.ord FROM unnest($1::uuid[]) WITH ORDINALITY AS r(id, ord)
     ),
     waiting AS (
       SELECT a.id, a.integration_id, a.group_key, a.summary, r.ord
         FROM alert a JOIN requested r ON r.id = a.id
        WHERE a.incident_id IS NULL AND a.status = 'FIRING' AND NOT a.suppressed
        ORDER BY a.id
          FOR UPDATE OF a
     ),
     open_incident AS (
       SELECT i.id, i.integration_id, i.group_key, i.priority
         FROM incident i
        WHERE (i.integration_id, i.group_key) IN (SELECT integration_id, group_key FROM waiting)
          AND i.status IN ('TRIGGERED','ACKNOWLEDGED','MITIGATED')
        ORDER BY i.id
          FOR UPDATE OF i
     ),
     attached AS (
       UPDATE alert a SET incident_id = o.id
         FROM waiting w JOIN open_incident o ON o.integration_id = w.integration_id AND o.group_key = w.group_key
        WHERE a.id = w.id
       RETURNING a.id, a.incident_id, a.integration_id, w.summary, w.ord
     ),
     events AS (
       INSERT INTO timeline_event (incident_id, kind, at, actor_type, actor_id, actor_name, message, data)
       SELECT g.incident_id, 'ALERTS_ATTACHED', $3, 'INTEGRATION', g.integration_id::text, actor.name,
              g.attached || ' alert(s) attached: ' || array_to_string(g.summaries[1:5], '; '),
              jsonb_build_object('alertIds', to_jsonb(g.ids), 'integrationId', g.integration_id)
         FROM (SELECT incident_id, integration_id, count(*) AS attached,
                      array_agg(summary ORDER BY ord) AS summaries, array_agg(id ORDER BY ord) AS ids
                 FROM attached GROUP BY incident_id, integration_id) g
         JOIN jsonb_to_recordset($2::jsonb) AS actor(integration_id uuid, name text) ON actor.integration_id = g.integration_id
       RETURNING id, incident_id
     ),
     notified AS (
       SELECT ib_emit_change(json_build_object('topic', 'TIMELINE_EVENT_ADDED', 'incidentId', incident_id, 'eventId', id)::text) FROM events
     )
     SELECT w.id, attached.incident_id, o.priority AS incident_priority, (SELECT count(*) FROM notified) AS notifications
       FROM waiting w
       LEFT JOIN attached ON attached.id = w.id
       LEFT JOIN open_incident o ON o.id = attached.incident_id`,
};

export interface AttachedAlert {
  id: string;
  /** Null when its group has no open incident yet (one must be opened). */
  incident_id: string | null;
  incident_priority: string | null;
}

/**
 * Attaches new alerts to their group's open incident in one statement, with one ALERTS_ATTACHED timeline
 * event per incident. The alerts and incidents are locked (and re-checked) first: an alert a concurrent
 * delivery attached, or an incident resolved meanwhile, is left out. Alerts not returned were attached or
 * resolved by someone else; alerts returned without an incident need one opened.
 */
export async function attachToOpenIncidents(
  manager: DataSource | EntityManager,
  alertIds: string[],
  integrations: Array<{ integrationId: string; integrationName: string }>,
  now: Date,
): Promise<AttachedAlert[]> {
  if (!alertIds.length) return [];
  const actors = integrations.map((integration) => ({ integration_id: integration.integrationId, name: integration.integrationName }));
  return runPrepared<AttachedAlert>(manager, ATTACH_TO_OPEN_INCIDENTS, [alertIds, JSON.stringify(actors), now]);
}

/** A firing alert without an incident, with what attaching it needs from its integration. */
export interface UnattachedAlert {
  id: string;
  integration_id: string;
  fingerprint: string;
  group_key: string;
  severity: NormalizedAlert['severity'];
  vendor_severity: string | null;
  kind: NormalizedAlert['kind'];
  summary: string;
  description: string | null;
  source: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  url: string | null;
  details: Record<string, unknown>;
  starts_at: Date | null;
  integration_name: string;
  integration_service_id: string;
  integration_options: Record<string, unknown>;
}

/**
 * Locks firing, unsuppressed alerts that have had no incident since before `firstSeenBefore` (oldest first), skipping
 * rows another transaction holds: a concurrent repair, or a delivery of the same alert attaching it right now.
 * Served by the partial index alert_unattached_idx, which holds only such alerts. With `onlyIds`, only those alerts.
 */
export async function claimUnattached(manager: EntityManager, firstSeenBefore: Date, limit: number, onlyIds: string[] | null = null): Promise<UnattachedAlert[]> {
  return manager.query(
    `SELECT a.id, a.integration_id, a.fingerprint, a.group_key, a.severity, a.vendor_severity, a.kind, a.summary, a.description,
            a.source, a.labels, a.annotations, a.url, a.details, a.starts_at,
            i.name AS integration_name, i.service_id AS integration_service_id, i.options AS integration_options
       FROM alert a JOIN integration i ON i.id = a.integration_id
      WHERE a.incident_id IS NULL AND a.status = 'FIRING' AND NOT a.suppressed AND a.first_seen_at < $1
        AND ($3::uuid[] IS NULL OR a.id = ANY($3::uuid[]))
      ORDER BY a.first_seen_at, a.id
      LIMIT $2
        FOR UPDATE OF a SKIP LOCKED`,
    [firstSeenBefore, limit, onlyIds],
  );
}

/** Locks alerts about to be attached, in id order, and reads whether a concurrent delivery attached or resolved them meanwhile. */
export async function lockForAttaching(manager: EntityManager, alertIds: string[]): Promise<Array<{ id: string; incident_id: string | null; status: string }>> {
  return manager.query(`SELECT id, incident_id, status FROM alert WHERE id = ANY($1) ORDER BY id FOR UPDATE`, [alertIds]);
}

/** Points each alert at the incident it joined. */
export async function setIncidents(manager: EntityManager, attachments: Array<{ alertId: string; incidentId: string }>): Promise<void> {
  if (!attachments.length) return;
  await manager.query(
    `UPDATE alert a SET incident_id = v.incident_id FROM unnest($1::uuid[], $2::uuid[]) AS v(id, incident_id) WHERE a.id = v.id`,
    [attachments.map((a) => a.alertId), attachments.map((a) => a.incidentId)],
  );
}

import type { EntityManager } from 'typeorm';
import { ALERT_CHANGES_PER_NOTIFY, CHANGE_CHANNEL } from '../db/changes';
import type { MergedAlert } from './merge-batch';

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

/**
 * One multi-row upsert for every firing alert of a batch (repeats add to occurrences), announcing them in the same statement.
 * The rows travel as one JSON document: V8 serializes it natively and PostgreSQL parses it once, where 17 text arrays cost
 * pg's per-element escaping on our side and array parsing plus a jsonb parse per element on the server's.
 */
export async function upsertFiring(manager: EntityManager, alerts: MergedAlert[], suppressedServices: Set<string>, now: Date): Promise<UpsertedAlert[]> {
  if (!alerts.length) return [];
  const rows = alerts.map((merged) => {
    const firing = merged.firing as NonNullable<MergedAlert['firing']>;
    return {
      integration_id: merged.target.integrationId,
      service_id: merged.target.serviceId,
      fingerprint: merged.fingerprint,
      group_key: firing.groupKey,
      severity: firing.severity,
      vendor_severity: firing.vendorSeverity,
      kind: firing.kind,
      summary: firing.summary,
      description: firing.description,
      source: firing.source,
      labels: firing.labels,
      annotations: firing.annotations,
      url: firing.url,
      details: firing.details,
      suppressed: suppressedServices.has(merged.target.serviceId),
      occurrences: merged.firingCount,
      starts_at: firing.startsAt,
    };
  });
  return manager.query(
    `WITH upserted AS (
     INSERT INTO alert (integration_id, service_id, fingerprint, group_key, status, severity, vendor_severity, kind, summary,
                        description, source, labels, annotations, url, details, suppressed, occurrences, starts_at, ends_at,
                        first_seen_at, last_seen_at)
     SELECT v.integration_id, v.service_id, v.fingerprint, v.group_key, 'FIRING', v.severity, v.vendor_severity, v.kind, v.summary,
            v.description, v.source, v.labels, v.annotations, v.url, v.details, v.suppressed, v.occurrences, v.starts_at, NULL,
            $2, $2
     FROM jsonb_to_recordset($1::jsonb)
          AS v(integration_id uuid, service_id uuid, fingerprint text, group_key text, severity text, vendor_severity text,
               kind text, summary text, description text, source text, labels jsonb, annotations jsonb, url text, details jsonb,
               suppressed boolean, occurrences int, starts_at timestamptz)
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
       SELECT pg_notify($3, json_build_object('topic', 'ALERTS_RECEIVED', 'alerts', json_agg(json_build_object(
                'alertId', id, 'integrationId', integration_id, 'serviceId', service_id, 'status', 'FIRING', 'severity', severity)))::text)
         FROM (SELECT *, (row_number() OVER () - 1) / $4 AS chunk FROM upserted) chunked
        GROUP BY chunk
     )
     SELECT upserted.*, (SELECT count(*) FROM notified) AS notifications FROM upserted`,
    [JSON.stringify(rows), now, CHANGE_CHANNEL, ALERT_CHANGES_PER_NOTIFY],
  );
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

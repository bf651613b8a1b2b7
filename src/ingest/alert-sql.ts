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

/** One multi-row upsert for every firing alert of a batch (repeats add to occurrences), announcing them in the same statement. */
export async function upsertFiring(manager: EntityManager, alerts: MergedAlert[], suppressedServices: Set<string>, now: Date): Promise<UpsertedAlert[]> {
  if (!alerts.length) return [];
  const column = <T>(pick: (merged: MergedAlert & { firing: NonNullable<MergedAlert['firing']> }) => T) =>
    alerts.map((merged) => pick(merged as MergedAlert & { firing: NonNullable<MergedAlert['firing']> }));
  return manager.query(
    `WITH upserted AS (
     INSERT INTO alert (integration_id, service_id, fingerprint, group_key, status, severity, vendor_severity, kind, summary,
                        description, source, labels, annotations, url, details, suppressed, occurrences, starts_at, ends_at,
                        first_seen_at, last_seen_at)
     SELECT v.integration_id, v.service_id, v.fingerprint, v.group_key, 'FIRING', v.severity, v.vendor_severity, v.kind, v.summary,
            v.description, v.source, v.labels, v.annotations, v.url, v.details, v.suppressed, v.occurrences, v.starts_at, NULL,
            $18, $18
     FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                 $10::text[], $11::jsonb[], $12::jsonb[], $13::text[], $14::jsonb[], $15::boolean[], $16::int[], $17::timestamptz[])
          AS v(integration_id, service_id, fingerprint, group_key, severity, vendor_severity, kind, summary, description,
               source, labels, annotations, url, details, suppressed, occurrences, starts_at)
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
       SELECT pg_notify($19, json_build_object('topic', 'ALERTS_RECEIVED', 'alerts', json_agg(json_build_object(
                'alertId', id, 'integrationId', integration_id, 'serviceId', service_id, 'status', 'FIRING', 'severity', severity)))::text)
         FROM (SELECT *, (row_number() OVER () - 1) / $20 AS chunk FROM upserted) chunked
        GROUP BY chunk
     )
     SELECT upserted.*, (SELECT count(*) FROM notified) AS notifications FROM upserted`,
    [
      column((m) => m.target.integrationId),
      column((m) => m.target.serviceId),
      column((m) => m.fingerprint),
      column((m) => m.firing.groupKey),
      column((m) => m.firing.severity),
      column((m) => m.firing.vendorSeverity),
      column((m) => m.firing.kind),
      column((m) => m.firing.summary),
      column((m) => m.firing.description),
      column((m) => m.firing.source),
      column((m) => JSON.stringify(m.firing.labels)),
      column((m) => JSON.stringify(m.firing.annotations)),
      column((m) => m.firing.url),
      column((m) => JSON.stringify(m.firing.details)),
      column((m) => suppressedServices.has(m.target.serviceId)),
      column((m) => m.firingCount),
      column((m) => m.firing.startsAt),
      now,
      CHANGE_CHANNEL,
      ALERT_CHANGES_PER_NOTIFY,
    ],
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

import type { EntityManager } from 'typeorm';

export const CHANGE_CHANNEL = 'incident_bridge_changes';

/**
 * What changed, carrying ids (subscribers re-read) plus the few fields subscription filters need.
 * Sent with pg_notify inside the writing transaction, so it is delivered only if that commits,
 * and reaches every instance that LISTENs.
 */
export type Change =
  | { topic: 'INCIDENT_CREATED'; incidentId: string; serviceId: string; priority: string; status: string }
  | { topic: 'INCIDENT_UPDATED'; incidentId: string; serviceId: string; priority: string; status: string }
  | { topic: 'TIMELINE_EVENT_ADDED'; incidentId: string; eventId: string }
  | { topic: 'ALERTS_RECEIVED'; alerts: AlertChangeTuple[] }
  | { topic: 'INTEGRATION_CHANGED'; integrationId: string }
  | { topic: 'API_TOKEN_CHANGED'; tokenId: string }
  | { topic: 'OUTBOX_READY' };

export interface AlertChange {
  alertId: string;
  integrationId: string;
  serviceId: string;
  status: 'FIRING' | 'RESOLVED';
  severity: string | null;
}

/**
 * An alert change as sent: [alertId, integrationId, serviceId, status, severity]. Tuples keep a chunk
 * small: 40 of them are at most ~6,000 bytes, below pg_notify's 8,000-byte payload limit.
 */
export type AlertChangeTuple = [string, string, string, AlertChange['status'], string | null];

export const ALERT_CHANGES_PER_NOTIFY = 40;

export function alertChangeOf([alertId, integrationId, serviceId, status, severity]: AlertChangeTuple): AlertChange {
  return { alertId, integrationId, serviceId, status, severity };
}

export type ChangeTopic = Change['topic'];

export async function emitChange(manager: EntityManager, change: Change): Promise<void> {
  await manager.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, JSON.stringify(change)]);
}

export async function emitAlertChanges(manager: EntityManager, alerts: AlertChange[]): Promise<void> {
  if (!alerts.length) return;
  const payloads: string[] = [];
  for (let start = 0; start < alerts.length; start += ALERT_CHANGES_PER_NOTIFY) {
    const chunk = alerts.slice(start, start + ALERT_CHANGES_PER_NOTIFY);
    const tuples = chunk.map((alert): AlertChangeTuple => [alert.alertId, alert.integrationId, alert.serviceId, alert.status, alert.severity]);
    payloads.push(JSON.stringify({ topic: 'ALERTS_RECEIVED', alerts: tuples }));
  }
  await manager.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [CHANGE_CHANNEL, payloads]);
}

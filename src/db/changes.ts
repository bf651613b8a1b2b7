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
  | { topic: 'ALERTS_RECEIVED'; alerts: AlertChange[] }
  | { topic: 'INTEGRATION_CHANGED'; integrationId: string }
  | { topic: 'OUTBOX_READY' };

export interface AlertChange {
  alertId: string;
  integrationId: string;
  serviceId: string;
  status: 'FIRING' | 'RESOLVED';
  severity: string | null;
}

/** pg_notify payloads are limited to 8000 bytes; alert changes go in chunks well below it. */
export const ALERT_CHANGES_PER_NOTIFY = 40;

export type ChangeTopic = Change['topic'];

export async function emitChange(manager: EntityManager, change: Change): Promise<void> {
  await manager.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, JSON.stringify(change)]);
}

export async function emitAlertChanges(manager: EntityManager, alerts: AlertChange[]): Promise<void> {
  if (!alerts.length) return;
  const payloads: string[] = [];
  for (let start = 0; start < alerts.length; start += ALERT_CHANGES_PER_NOTIFY) {
    payloads.push(JSON.stringify({ topic: 'ALERTS_RECEIVED', alerts: alerts.slice(start, start + ALERT_CHANGES_PER_NOTIFY) }));
  }
  await manager.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [CHANGE_CHANNEL, payloads]);
}

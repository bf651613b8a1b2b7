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
  | { topic: 'TIMELINE_EVENT_ADDED'; incidentId: string; eventId: string };

export type ChangeTopic = Change['topic'];

export async function emitChange(manager: EntityManager, change: Change): Promise<void> {
  await manager.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, JSON.stringify(change)]);
}

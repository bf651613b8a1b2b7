import type { EntityManager } from 'typeorm';
import { badInput } from '../shared/domain-error';
import type { AlertStatus, CommunicationDueStage } from '../shared/enums';

/** The LISTEN/NOTIFY channel; ib_emit_change (migration ChangeLog) notifies on it by this name. */
export const CHANGE_CHANNEL = 'incident_bridge_changes';

/**
 * What changed, carrying ids (subscribers re-read) plus the few fields subscription filters need.
 * Written to change_log and sent with pg_notify inside the writing transaction (ib_emit_change), so it is
 * delivered only if that commits, reaches every instance that LISTENs, and can be replayed by its number.
 */
export type Change =
  | { topic: 'INCIDENT_CREATED'; incidentId: string; serviceId: string; priority: string; status: string }
  | { topic: 'INCIDENT_UPDATED'; incidentId: string; serviceId: string; priority: string; status: string }
  | { topic: 'TIMELINE_EVENT_ADDED'; incidentId: string; eventId: string }
  | { topic: 'ALERTS_RECEIVED'; alerts: AlertChangeTuple[] }
  | { topic: 'INTEGRATION_CHANGED'; integrationId: string }
  | { topic: 'API_TOKEN_CHANGED'; tokenId: string }
  | { topic: 'OUTBOX_READY' }
  // Status pages (#13): something subscribers are to be told was committed; the fan-out expands and sends it.
  | { topic: 'STATUS_EVENTS_READY' }
  | { topic: 'MAINTENANCE_UPDATED'; windowId: string; status: string }
  // status pages (#13): a page's configuration, or a service they may show, changed (public caches drop what they hold)
  | { topic: 'STATUS_PAGE_CHANGED'; pageId: string | null; serviceId?: string }
  // communication cadence (#12): the obligations of one subject that reached one stage
  | { topic: 'COMMUNICATION_DUE'; stage: CommunicationDueStage; incidentId: string | null; maintenanceWindowId?: string | null; obligationIds: string[] }
  // post-incident review (#14): an incident's IRF, its RCA or their tasks changed
  | { topic: 'REVIEW_UPDATED'; incidentId: string; reviewId: string; document: 'IRF' | 'RCA' | 'TASK' }
  | OnCallChange
  | ScheduleChange;

/** Who is on call in a schedule changed at `at` (ISO-8601): a handoff, or an edit. Carries the new state itself. */
export interface OnCallChange {
  topic: 'ON_CALL_CHANGED';
  scheduleId: string;
  at: string;
  primary: string[];
  backups: string[];
}

/** A schedule, its layers or its overrides were edited (or the schedule deleted). */
export interface ScheduleChange {
  topic: 'SCHEDULE_UPDATED';
  scheduleId: string;
  deleted: boolean;
}

/** A change as it arrives: with its number in change_log (absent only from instances of releases before it). */
export type LoggedChange = Change & { seq?: number };

/** The resume cursor of a subscription event: its change's number, as an opaque string. */
export function cursorOfChange(seq: number): string {
  return String(seq);
}

/** The change number a cursor names (BAD_USER_INPUT naming `after` for one this server did not issue). */
export function changeOfCursor(cursor: string): number {
  if (!/^\d{1,18}$/.test(cursor)) throw badInput('after', 'is not a cursor this server issued (the extensions.cursor of an event)');
  return Number(cursor);
}

/** What a subscription event stems from: the change's number, for the client's resume cursor. */
interface Sequenced {
  seq: number | null;
}

export type IncidentChange = Extract<Change, { topic: 'INCIDENT_CREATED' | 'INCIDENT_UPDATED' }> & Sequenced;
export type TimelineChange = Extract<Change, { topic: 'TIMELINE_EVENT_ADDED' }> & Sequenced;
export type AlertEvent = AlertChange & Sequenced;
export type OnCallEvent = OnCallChange & Sequenced;
export type ScheduleEvent = ScheduleChange & Sequenced;
export type MaintenanceChange = Extract<Change, { topic: 'MAINTENANCE_UPDATED' }> & Sequenced;
export type ReviewChange = Extract<Change, { topic: 'REVIEW_UPDATED' }> & Sequenced;
/** One obligation's stage, for communicationDue. */
export type CommunicationDueChange = { obligationId: string; incidentId: string | null; maintenanceWindowId: string | null; stage: CommunicationDueStage } & Sequenced;

/** What GraphQL subscriptions listen to: the committed changes, and one ALERT_RECEIVED per alert of a batch. */
export interface SubscriptionTopics {
  INCIDENT_CREATED: IncidentChange;
  INCIDENT_UPDATED: IncidentChange;
  TIMELINE_EVENT_ADDED: TimelineChange;
  ALERT_RECEIVED: AlertEvent;
  ON_CALL_CHANGED: OnCallEvent;
  SCHEDULE_UPDATED: ScheduleEvent;
  MAINTENANCE_UPDATED: MaintenanceChange;
  COMMUNICATION_DUE: CommunicationDueChange;
  REVIEW_UPDATED: ReviewChange;
}

export type SubscriptionEvent = { [Topic in keyof SubscriptionTopics]: { topic: Topic; payload: SubscriptionTopics[Topic] } }[keyof SubscriptionTopics];

/** The subscription events a change makes: one per alert of an ALERTS_RECEIVED or obligation of a COMMUNICATION_DUE, one for an incident, timeline, schedule or maintenance change, none for the rest. */
export function subscriptionEventsOf(change: LoggedChange): SubscriptionEvent[] {
  const seq = change.seq ?? null;
  switch (change.topic) {
    case 'ALERTS_RECEIVED':
      // Objects are what earlier releases sent: an instance of each may run side by side during a rolling deploy.
      return (change.alerts as Array<AlertChangeTuple | AlertChange>).map((alert) => ({
        topic: 'ALERT_RECEIVED',
        payload: { ...(Array.isArray(alert) ? alertChangeOf(alert) : alert), seq },
      }));
    case 'INCIDENT_CREATED':
    case 'INCIDENT_UPDATED':
      return [{ topic: change.topic, payload: { ...change, seq } }];
    case 'TIMELINE_EVENT_ADDED':
      return [{ topic: change.topic, payload: { ...change, seq } }];
    case 'ON_CALL_CHANGED':
      return [{ topic: change.topic, payload: { ...change, seq } }];
    case 'SCHEDULE_UPDATED':
      return [{ topic: change.topic, payload: { ...change, seq } }];
    case 'MAINTENANCE_UPDATED':
      return [{ topic: change.topic, payload: { ...change, seq } }];
    case 'REVIEW_UPDATED':
      return [{ topic: change.topic, payload: { ...change, seq } }];
    case 'COMMUNICATION_DUE':
      return change.obligationIds.map((obligationId) => ({ topic: 'COMMUNICATION_DUE', payload: { obligationId, incidentId: change.incidentId, maintenanceWindowId: change.maintenanceWindowId ?? null, stage: change.stage, seq } }));
    default:
      return [];
  }
}

export interface AlertChange {
  alertId: string;
  integrationId: string;
  serviceId: string;
  status: AlertStatus;
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
  await manager.query('SELECT ib_emit_change($1)', [JSON.stringify(change)]);
}

export async function emitAlertChanges(manager: EntityManager, alerts: AlertChange[]): Promise<void> {
  if (!alerts.length) return;
  const payloads: string[] = [];
  for (let start = 0; start < alerts.length; start += ALERT_CHANGES_PER_NOTIFY) {
    const chunk = alerts.slice(start, start + ALERT_CHANGES_PER_NOTIFY);
    const tuples = chunk.map((alert): AlertChangeTuple => [alert.alertId, alert.integrationId, alert.serviceId, alert.status, alert.severity]);
    payloads.push(JSON.stringify({ topic: 'ALERTS_RECEIVED', alerts: tuples }));
  }
  await manager.query('SELECT ib_emit_change(payload) FROM unnest($1::text[]) AS payload', [payloads]);
}

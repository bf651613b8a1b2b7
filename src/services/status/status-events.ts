import type { EntityManager } from 'typeorm';
import { emitChange } from '../../db/changes';
import { Audience, IncidentSource, StatusPageKind } from '../../shared/enums';
import type { Incident } from '../../schema/incident.entity';
import type { MaintenanceWindow } from '../../schema/maintenance-window.entity';
import type { StatusUpdate } from '../../schema/status-update.entity';
import { publicIncidentStatus } from './component-state';
import { publicNotice } from './public-notices';

export type StatusEventKind = 'INCIDENT_UPDATE' | 'MAINTENANCE' | 'COMPONENT';

/** What an event is about: a webhook subscriber gets one POST per subject, carrying its latest state. */
export interface EventSubject {
  type: 'incident' | 'maintenance' | 'component';
  /** The internal id (incident, window or service); never sent. */
  id: string;
}

export interface NewStatusEvent {
  /** Unique per decision, so a retried transaction or a second instance records nothing twice. */
  key: string;
  kind: StatusEventKind;
  /** COMPONENT events: the one page whose component changed; null for the others (every page showing a service). */
  pageId: string | null;
  pageKind: StatusPageKind;
  serviceIds: string[];
  /** The public text: a message's subject and body, a digest's entry. */
  subject: string;
  body: string;
  about: EventSubject;
  /** More public content for the message (the component's Statuspage pieces, say). */
  content?: Record<string, unknown>;
  at: Date;
}

/**
 * Records something subscribers are to be told, in the caller's transaction (so it is told if and only if what caused
 * it commits), and wakes the fan-out on commit. Returns whether this call recorded it.
 */
export async function recordStatusEvent(manager: EntityManager, event: NewStatusEvent): Promise<boolean> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO status_event (key, kind, page_id, page_kind, service_ids, subject, body, payload, created_at)
     VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7, $8, $9)
     ON CONFLICT (key) DO NOTHING RETURNING id`,
    [event.key, event.kind, event.pageId, event.pageKind, event.serviceIds, event.subject, event.body, JSON.stringify({ about: event.about, ...event.content }), event.at],
  );
  if (inserted.length) await emitChange(manager, { topic: 'STATUS_EVENTS_READY' });
  return inserted.length > 0;
}

const STATUS_LABEL: Record<ReturnType<typeof publicIncidentStatus>, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

/**
 * A PUBLIC status update tells the subscribers of the incident's components (its stated impacts, else its own
 * service); an INTERNAL one tells no one. Incidents a provider's status page opened go to PROVIDERS pages.
 */
export async function recordPublicUpdate(manager: EntityManager, incident: Incident, update: StatusUpdate): Promise<boolean> {
  if (update.audience !== Audience.PUBLIC) return false;
  const impacts: Array<{ service_id: string }> = await manager.query(`SELECT service_id FROM incident_component_impact WHERE incident_id = $1`, [incident.id]);
  const status = publicIncidentStatus(incident.status);
  return recordStatusEvent(manager, {
    key: `incident-update:${update.id}`,
    kind: 'INCIDENT_UPDATE',
    pageId: null,
    pageKind: incident.source === IncidentSource.PROVIDER ? StatusPageKind.PROVIDERS : StatusPageKind.SERVICES,
    serviceIds: impacts.length ? impacts.map((row) => row.service_id) : [incident.serviceId],
    subject: `${incident.title} — ${STATUS_LABEL[status]}`,
    body: update.body,
    about: { type: 'incident', id: incident.id },
    content: { statusUpdateId: update.id, status },
    at: update.postedAt,
  });
}

/**
 * A maintenance notice of a public window (an impact other than NONE on at least one public service) tells the
 * subscribers of those services, in words written for them: the team's own notice speaks of alert suppression and
 * overruns, which are not theirs. Hourly and overrun notices are the team's only.
 */
export async function recordMaintenanceNotice(manager: EntityManager, window: MaintenanceWindow, notice: { kind: string; occurrence: string }, at: Date): Promise<boolean> {
  const services: Array<{ id: string; name: string }> = await manager.query(
    `SELECT s.id, s.name FROM maintenance_window_service ws JOIN service s ON s.id = ws.service_id
      WHERE ws.window_id = $1 AND ws.impact <> 'NONE' AND s.public ORDER BY s.name`,
    [window.id],
  );
  if (!services.length) return false;
  const text = publicNotice(window, notice.kind, services.map((service) => service.name));
  if (!text) return false;
  return recordStatusEvent(manager, {
    key: `maintenance:${window.id}:${notice.kind}:${notice.occurrence}`,
    kind: 'MAINTENANCE',
    pageId: null,
    pageKind: StatusPageKind.SERVICES,
    serviceIds: services.map((service) => service.id),
    subject: text.subject,
    body: text.body,
    about: { type: 'maintenance', id: window.id },
    content: { notice: notice.kind },
    at,
  });
}

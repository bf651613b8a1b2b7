import type { EntityManager } from 'typeorm';
import { IncidentSource, MaintenanceImpact, MaintenanceStatus } from '../../schema/enums';
import type { MaintenanceWindow } from '../../schema/maintenance-window.entity';
import type { Actor } from '../../shared/actor';
import type { Clock } from '../../shared/clock';
import type { CommunicationService } from '../communication.service';
import type { IncidentService } from '../incident.service';
import { OPEN_STATUSES } from '../incident-transitions';
import type { MaintenanceLifecycleHooks } from '../maintenance.service';
import { changeNotice, sendNotice, type Notice } from './maintenance-notices';
import { pauseEscalations, releaseSuppressedAlerts, resumeEscalations } from './maintenance-suppression';
import { appendMaintenanceEvent } from './maintenance-timeline';

const TITLE_MAX = 500;

/** Told of every notice the team was given, in the same transaction (the status fan-out records the public ones). */
export type NoticeListener = (manager: EntityManager, window: MaintenanceWindow, notice: Notice, at: Date) => Promise<unknown>;

/**
 * What a window's lifecycle does beyond the window: when it starts, its own incident (a service expects a MAJOR_OUTAGE)
 * and paused escalations; when it ends, that incident resolved, escalations resumed and suppressed alerts released
 * for re-evaluation; on every change, the team's notice. While it runs, its communication cadence: an update owed
 * every hour (by default) from the start, met by each update posted on it, ended when the window ends. Every notice
 * decided is passed on to `noticeListener`.
 */
export function maintenanceHooks(
  clock: Clock,
  incidents: IncidentService,
  communication: CommunicationService | null = null,
  noticeListener: NoticeListener | null = null,
): MaintenanceLifecycleHooks {
  return {
    async started(manager, window, actor) {
      const now = clock.now();
      await openLinkedIncident(manager, incidents, window, actor);
      // Counted as the hourly notices are: from the scheduled start when the job started it a little late, from the real one when early.
      await communication?.maintenanceStarted(manager, window, new Date(Math.min(now.getTime(), window.startsAt.getTime())));
      const paused = await pauseEscalations(manager, window.id, window.title, now, actor);
      if (paused) {
        await appendMaintenanceEvent(manager, window.id, actor, { kind: 'ESCALATIONS_PAUSED', at: now, message: `${paused} escalation(s) of alert incidents on its services paused`, data: { paused } });
      }
    },
    async ended(manager, window, actor) {
      const now = clock.now();
      await communication?.maintenanceEnded(manager, window.id, `maintenance ${window.status === MaintenanceStatus.CANCELLED ? 'cancelled' : 'completed'}`);
      if (window.incidentId) {
        const [incident] = await manager.query(`SELECT status FROM incident WHERE id = $1 FOR UPDATE`, [window.incidentId]);
        if (incident && (OPEN_STATUSES as readonly string[]).includes(incident.status)) await incidents.transitionIn(manager, actor, window.incidentId, 'resolve');
      }
      const resumed = await resumeEscalations(manager, window.id, window.title, now);
      const released = await releaseSuppressedAlerts(manager, window.id);
      if (resumed || released.length) {
        await appendMaintenanceEvent(manager, window.id, actor, {
          kind: 'ALERTS_RELEASED',
          at: now,
          message: `${released.length} alert(s) still firing re-evaluated; ${resumed} escalation(s) resumed`,
          data: { alertIds: released.slice(0, 100), released: released.length, resumed },
        });
      }
      return released;
    },
    async posted(manager, window, eventId) {
      await communication?.maintenanceUpdated(manager, window, eventId);
    },
    async changed(manager, window, change, actor) {
      const now = clock.now();
      const notice = changeNotice(window, change, window.cancelReason ?? '');
      if (await sendNotice(manager, window, notice, now, actor)) await noticeListener?.(manager, window, notice, now);
    },
    async noticed(manager, window, notice, at) {
      await noticeListener?.(manager, window, notice, at);
    },
  };
}

/** A window whose expected impact on a service is MAJOR_OUTAGE opens its own incident when it starts (not paged: its team is running it). */
async function openLinkedIncident(manager: EntityManager, incidents: IncidentService, window: MaintenanceWindow, actor: Actor): Promise<void> {
  const majors: Array<{ service_id: string; name: string }> = await manager.query(
    `SELECT ws.service_id, s.name FROM maintenance_window_service ws JOIN service s ON s.id = ws.service_id
      WHERE ws.window_id = $1 AND ws.impact = $2 ORDER BY s.name`,
    [window.id, MaintenanceImpact.MAJOR_OUTAGE],
  );
  if (!majors.length) return;
  const names = majors.map((row) => row.name);
  const incident = await incidents.open(manager, actor, {
    title: `Maintenance: ${window.title}`.slice(0, TITLE_MAX),
    description: window.description,
    serviceId: majors[0].service_id,
    priority: window.incidentPriority,
    source: IncidentSource.MAINTENANCE,
    impact: { locations: [], channels: [], products: names, description: `${window.kind === 'PLANNED' ? 'Planned' : 'Emergency'} maintenance shuts ${names.join(', ')} until ${window.endsAt.toISOString()} (UTC).` },
    ownerId: null,
    escalate: false,
  });
  if (!incident) return;
  window.incidentId = incident.id;
  await manager.query(`UPDATE maintenance_window SET incident_id = $2 WHERE id = $1`, [window.id, incident.id]);
  await appendMaintenanceEvent(manager, window.id, actor, {
    kind: 'INCIDENT_OPENED',
    at: incident.openedAt,
    message: `incident #${incident.number} (${incident.priority}) opened: ${names.join(', ')} expected to be down`,
    data: { incidentId: incident.id, number: incident.number, priority: incident.priority },
  });
}

import type { EntityManager } from 'typeorm';
import { ActorType, IncidentSource, IncidentStatus, Priority, Resolution } from '../schema/enums';
import { autoResolves, higherPriority, priorityFor, type IntegrationOptions } from '../schema/integration-options';
import type { AlertSeverity } from '../shared/enums';
import type { Actor } from '../shared/actor';
import type { Clock } from '../shared/clock';
import type { IncidentService } from './incident.service';
import { OPEN_STATUSES } from './incident-transitions';
import { appendTimeline } from './timeline.service';

/** The integration alerts arrived through: whom the incident side acts as, and whose rules apply. */
export interface AlertOrigin {
  integrationId: string;
  integrationName: string;
  serviceId: string;
  options: IntegrationOptions;
}

/** What the incident side reads of an alert. */
export interface GroupedAlert {
  id: string;
  summary: string;
  description: string | null;
  kind: string;
  severity: AlertSeverity;
  vendorSeverity: string | null;
}

/**
 * The incident side of intake, inside intake's transaction: alerts of one group join the group's open incident (or
 * open one), outranking alerts raise its priority, an acknowledging vendor acknowledges it, and it resolves once all
 * its alerts have (unless the integration says otherwise). Intake owns the alert rows; this owns what happens to incidents.
 */
export class IncidentGrouping {
  constructor(
    private readonly clock: Clock,
    private readonly incidents: IncidentService,
  ) {}

  /** Attaches the alerts to their group's open incident (raising its priority if they outrank it) or a new one; returns its id. */
  async attachGroup(manager: EntityManager, origin: AlertOrigin, groupKey: string, alerts: GroupedAlert[]): Promise<string> {
    const actor = integrationActor(origin);
    const priority = alerts.map((alert) => priorityFor(alert, origin.options)).reduce(higherPriority);
    let incident = await this.findOpen(manager, origin.integrationId, groupKey);
    if (!incident) {
      const first = alerts[0];
      const opened = await this.incidents.open(manager, actor, {
        title: alerts.length > 1 ? `${first.summary} (+${alerts.length - 1} more)` : first.summary,
        description: first.description,
        serviceId: origin.serviceId,
        priority,
        source: alerts.some((alert) => alert.kind === 'PROVIDER_INCIDENT') ? IncidentSource.PROVIDER : IncidentSource.MONITORING,
        impact: { locations: [], channels: [], products: [], description: null },
        ownerId: null,
        group: { integrationId: origin.integrationId, groupKey },
      });
      incident = opened ? { id: opened.id, priority: opened.priority } : await this.findOpen(manager, origin.integrationId, groupKey);
      if (!incident) throw new Error(`no open incident for group ${groupKey} after a conflicting insert`);
    } else if (higherPriority(priority, incident.priority) !== incident.priority) {
      await this.incidents.raisePriorityIn(manager, actor, incident.id, priority);
    }
    await appendTimeline(manager, actor, {
      incidentId: incident.id,
      kind: 'ALERTS_ATTACHED',
      at: this.clock.now(),
      message: `${alerts.length} alert(s) attached: ${alerts.slice(0, 5).map((alert) => alert.summary).join('; ')}`,
      data: { alertIds: alerts.map((alert) => alert.id), integrationId: origin.integrationId },
    });
    return incident.id;
  }

  /** An open incident outranked by a new occurrence of one of its alerts. */
  async raisePriority(manager: EntityManager, origin: AlertOrigin, incidentId: string, priority: Priority): Promise<void> {
    await this.incidents.raisePriorityIn(manager, integrationActor(origin), incidentId, priority);
  }

  /** A vendor acknowledged one of the incident's alerts: the incident is acknowledged, if nobody did yet. */
  async acknowledge(manager: EntityManager, origin: AlertOrigin, incidentId: string): Promise<void> {
    const [incident]: Array<{ status: IncidentStatus }> = await manager.query(`SELECT status FROM incident WHERE id = $1 FOR UPDATE`, [incidentId]);
    if (incident?.status !== IncidentStatus.TRIGGERED) return;
    await this.incidents.transitionIn(manager, integrationActor(origin), incidentId, 'acknowledge');
  }

  /**
   * Some of the incident's alerts resolved: recorded on its timeline, and the incident resolves once none fires, when its
   * integration auto-resolves. `origins` are the integrations of the batch, by id.
   */
  async alertsResolved(manager: EntityManager, incidentId: string, alertIds: string[], origins: ReadonlyMap<string, AlertOrigin>, now: Date): Promise<void> {
    const [locked]: Array<{ status: string; integration_id: string | null }> = await manager.query(
      `SELECT status, integration_id FROM incident WHERE id = $1 FOR UPDATE`,
      [incidentId],
    );
    // Counted in a statement of its own: its snapshot is taken after the lock, so an alert that a
    // concurrent delivery attached (and committed while we waited) counts as still firing.
    const [{ firing }]: Array<{ firing: string }> = await manager.query(
      `SELECT count(*) AS firing FROM alert WHERE incident_id = $1 AND status = 'FIRING'`,
      [incidentId],
    );
    const state = { ...locked, firing };
    const origin = (state?.integration_id && origins.get(state.integration_id)) || [...origins.values()][0];
    const actor = integrationActor(origin);
    await appendTimeline(manager, actor, {
      incidentId,
      kind: 'ALERTS_RESOLVED',
      at: now,
      message: `${alertIds.length} alert(s) resolved; ${state.firing} still firing`,
      data: { alertIds },
    });
    const open = (OPEN_STATUSES as readonly string[]).includes(state.status);
    if (open && Number(state.firing) === 0 && state.integration_id && autoResolves(origins.get(state.integration_id)?.options ?? {})) {
      await this.incidents.transitionIn(manager, actor, incidentId, 'resolve', Resolution.FIXED);
    }
  }

  private async findOpen(manager: EntityManager, integrationId: string, groupKey: string): Promise<{ id: string; priority: Priority } | null> {
    const rows: Array<{ id: string; priority: Priority }> = await manager.query(
      `SELECT id, priority FROM incident WHERE integration_id = $1 AND group_key = $2 AND status = ANY($3) FOR UPDATE`,
      [integrationId, groupKey, OPEN_STATUSES],
    );
    return rows[0] ?? null;
  }
}

function integrationActor(origin: AlertOrigin): Actor {
  return { type: ActorType.INTEGRATION, id: origin.integrationId, name: origin.integrationName };
}

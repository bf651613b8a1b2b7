import type { DataSource, EntityManager } from 'typeorm';
import { emitChange } from '../db/changes';
import { IncidentSource, IncidentStatus, Priority, Resolution } from '../schema/enums';
import { Incident } from '../schema/incident.entity';
import { Service } from '../schema/service.entity';
import { TimelineEvent } from '../schema/timeline-event.entity';
import type { Actor } from '../shared/actor';
import type { Clock } from '../shared/clock';
import { badInput, conflict, notFound } from '../shared/domain-error';
import { withServiceAndOwner } from './incident-query.service';
import { canTransition, INCIDENT_TRANSITIONS, OPEN_STATUSES, type IncidentAction } from './incident-transitions';
import { appendTimeline } from './timeline.service';
import { optionalText, requireText, requireUuid, textList } from './validation';
import { requirePerson } from './person-exists';
import { componentImpactsOf, replaceComponentImpacts, validComponentImpacts, type ComponentImpactInput } from './component-impacts';

export interface ImpactInput {
  locations?: string[] | null;
  channels?: string[] | null;
  products?: string[] | null;
  description?: string | null;
}

export interface DeclareIncidentInput {
  title: string;
  serviceId: string;
  priority: Priority;
  description?: string | null;
  source?: IncidentSource | null;
  impact?: ImpactInput | null;
  ownerId?: string | null;
  /** What it does to each component (public service) it affects; none: its own service, by priority. */
  componentImpacts?: ComponentImpactInput[] | null;
}

export interface UpdateIncidentInput {
  title?: string | null;
  description?: string | null;
  priority?: Priority | null;
  impact?: ImpactInput | null;
  ownerId?: string | null;
  /** Replaces the stated component impacts; an empty list (or null) goes back to its own service by priority. */
  componentImpacts?: ComponentImpactInput[] | null;
}

export interface OpenIncidentFields {
  title: string;
  description: string | null;
  serviceId: string;
  priority: Priority;
  source: IncidentSource;
  impact: NormalizedImpact;
  ownerId: string | null;
  /** For incidents opened by alerts: at most one open incident per (integration, group key). */
  group?: { integrationId: string; groupKey: string };
  /** False when the people it would page already know: a maintenance window's own incident, which its team is running. */
  escalate?: boolean;
}

interface NormalizedImpact {
  locations: string[];
  channels: string[];
  products: string[];
  description: string | null;
}

const TITLE_MAX = 500;
const DESCRIPTION_MAX = 20000;
const NOTE_MAX = 10000;

/** What else happens, in the same transaction, when an incident opens or stops needing attention. */
export interface IncidentLifecycleHooks {
  opened(manager: EntityManager, incident: Incident, options: { escalate: boolean }): Promise<void>;
  attended(manager: EntityManager, incident: Incident, action: 'acknowledge' | 'mitigate' | 'resolve', actor: Actor): Promise<void>;
  /** Its priority changed (by hand or raised by an alert); `incident` carries the new one. */
  reprioritized?(manager: EntityManager, incident: Incident, from: Priority, actor: Actor): Promise<void>;
}

export class IncidentService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly hooks: IncidentLifecycleHooks | null = null,
  ) {}

  async get(id: string): Promise<Incident> {
    const incident = await withServiceAndOwner(this.db.getRepository(Incident).createQueryBuilder('i'))
      .where('i.id = :id', { id: requireUuid('id', id) })
      .getOne();
    if (!incident) throw notFound('incident', id);
    return incident;
  }

  async getByNumber(number: number): Promise<Incident> {
    const incident = await withServiceAndOwner(this.db.getRepository(Incident).createQueryBuilder('i')).where('i.number = :number', { number }).getOne();
    if (!incident) throw notFound('incident', `#${number}`);
    return incident;
  }

  /** A person opens an incident by hand: a P1 ticket, an internal discovery, a customer report. */
  async declare(actor: Actor, input: DeclareIncidentInput): Promise<Incident> {
    const title = requireText('title', input.title, TITLE_MAX);
    const description = optionalText('description', input.description, DESCRIPTION_MAX);
    return this.db.transaction(async (manager) => {
      await this.requireService(manager, input.serviceId);
      if (input.ownerId) await requirePerson(manager, 'ownerId', input.ownerId);
      const componentImpacts = await validComponentImpacts(manager, input.componentImpacts ?? []);
      const incident = await this.open(manager, actor, {
        title,
        description,
        serviceId: input.serviceId,
        priority: input.priority,
        source: input.source ?? IncidentSource.INTERNAL,
        impact: normalizeImpact(input.impact),
        ownerId: input.ownerId ?? null,
      });
      await replaceComponentImpacts(manager, (incident as Incident).id, componentImpacts);
      return incident as Incident;
    });
  }

  /**
   * Opens an incident inside the caller's transaction (hand-declared or from alerts).
   * With a group, returns null when that group already has an open incident.
   */
  async open(manager: EntityManager, actor: Actor, fields: OpenIncidentFields): Promise<Incident | null> {
    const now = this.clock.now();
    const insert = manager
      .createQueryBuilder()
      .insert()
      .into(Incident)
      .values({
        title: fields.title,
        description: fields.description,
        serviceId: fields.serviceId,
        priority: fields.priority,
        status: IncidentStatus.TRIGGERED,
        source: fields.source,
        impactLocations: fields.impact.locations,
        impactChannels: fields.impact.channels,
        impactProducts: fields.impact.products,
        impactDescription: fields.impact.description,
        ownerId: fields.ownerId,
        integrationId: fields.group?.integrationId ?? null,
        groupKey: fields.group?.groupKey ?? null,
        openedAt: now,
        updatedAt: now,
      })
      .returning('id');
    if (fields.group) insert.orIgnore();
    const inserted = await insert.execute();
    const id = (inserted.raw as Array<{ id: string }>)[0]?.id;
    if (!id) return null;
    const incident = await manager.getRepository(Incident).findOneByOrFail({ id });
    await appendTimeline(manager, actor, {
      incidentId: incident.id,
      kind: 'INCIDENT_DECLARED',
      at: now,
      message: `#${incident.number} opened (${incident.priority}, ${incident.source}): ${incident.title}`,
      data: { priority: incident.priority, source: incident.source, serviceId: incident.serviceId },
    });
    await emitChange(manager, { topic: 'INCIDENT_CREATED', ...changeFields(incident) });
    await this.hooks?.opened(manager, incident, { escalate: fields.escalate ?? true });
    return incident;
  }

  acknowledge(actor: Actor, id: string): Promise<Incident> {
    return this.transition(actor, id, 'acknowledge');
  }

  mitigate(actor: Actor, id: string): Promise<Incident> {
    return this.transition(actor, id, 'mitigate');
  }

  resolve(actor: Actor, id: string, resolution: Resolution = Resolution.FIXED): Promise<Incident> {
    return this.transition(actor, id, 'resolve', resolution);
  }

  /** Only for incidents without an IRF (e.g. false positives): one with an IRF is REVIEWED by approving it. */
  markReviewed(actor: Actor, id: string): Promise<Incident> {
    return this.db.transaction(async (manager) => {
      const [review] = await manager.query(`SELECT status FROM incident_review WHERE incident_id = $1`, [requireUuid('id', id)]);
      if (review) throw conflict(`incident ${id} has an incident record file (${review.status}): approve it (approveReview) to mark the incident REVIEWED`);
      return this.transitionIn(manager, actor, id, 'markReviewed');
    });
  }

  private transition(actor: Actor, id: string, action: IncidentAction, resolution?: Resolution): Promise<Incident> {
    return this.db.transaction((manager) => this.transitionIn(manager, actor, id, action, resolution));
  }

  /** Moves an incident along its lifecycle inside the caller's transaction; CONFLICT if not allowed. */
  async transitionIn(manager: EntityManager, actor: Actor, id: string, action: IncidentAction, resolution?: Resolution): Promise<Incident> {
    const incident = await this.lock(manager, id);
    const rule = INCIDENT_TRANSITIONS[action];
    if (!canTransition(action, incident.status)) {
      throw conflict(`cannot ${action} incident #${incident.number}: it is ${incident.status}`);
    }
    const now = this.clock.now();
    const previous = incident.status;
    incident.status = rule.to;
    incident.updatedAt = now;
    if (action === 'acknowledge') incident.acknowledgedAt = now;
    if (action === 'mitigate') incident.mitigatedAt = now;
    if (action === 'resolve') {
      incident.resolvedAt = now;
      incident.resolution = resolution ?? Resolution.FIXED;
    }
    if (action === 'markReviewed') incident.reviewedAt = now;
    if (action === 'reopenReview') incident.reviewedAt = null;
    await manager.save(Incident, incident);
    // Resolving closes its alerts too, so a repeat of one opens a fresh alert and incident instead of landing on a closed one.
    if (action === 'resolve') await manager.query(`UPDATE alert SET status = 'RESOLVED', resolved_at = $2 WHERE incident_id = $1 AND status = 'FIRING'`, [incident.id, now]);
    const suffix = action === 'resolve' ? ` as ${incident.resolution}` : '';
    await appendTimeline(manager, actor, {
      incidentId: incident.id,
      kind: rule.kind,
      at: now,
      message: `${rule.to.toLowerCase()} by ${actor.name}${suffix}`,
      data: { from: previous, to: rule.to, ...(action === 'resolve' ? { resolution: incident.resolution } : {}) },
    });
    await emitChange(manager, { topic: 'INCIDENT_UPDATED', ...changeFields(incident) });
    if (action === 'acknowledge' || action === 'mitigate' || action === 'resolve') await this.hooks?.attended(manager, incident, action, actor);
    return incident;
  }

  async update(actor: Actor, id: string, input: UpdateIncidentInput): Promise<Incident> {
    return this.db.transaction(async (manager) => {
      const incident = await this.lock(manager, id);
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      const set = <K extends keyof Incident>(key: K, value: Incident[K]) => {
        if (JSON.stringify(incident[key]) === JSON.stringify(value)) return;
        changes[key] = { from: incident[key], to: value };
        incident[key] = value;
      };
      if (input.title !== undefined && input.title !== null) set('title', requireText('title', input.title, TITLE_MAX));
      if (input.description !== undefined) set('description', optionalText('description', input.description, DESCRIPTION_MAX));
      if (input.priority) set('priority', input.priority);
      if (input.ownerId !== undefined) {
        if (input.ownerId) await requirePerson(manager, 'ownerId', input.ownerId);
        set('ownerId', input.ownerId ?? null);
      }
      if (input.impact) {
        const impact = normalizeImpact(input.impact);
        if (input.impact.locations) set('impactLocations', impact.locations);
        if (input.impact.channels) set('impactChannels', impact.channels);
        if (input.impact.products) set('impactProducts', impact.products);
        if (input.impact.description !== undefined) set('impactDescription', impact.description);
      }
      if (input.componentImpacts !== undefined) {
        const stated = await validComponentImpacts(manager, input.componentImpacts ?? []);
        const before = await componentImpactsOf(manager, incident.id);
        const sorted = [...stated].sort((a, b) => (a.serviceId < b.serviceId ? -1 : 1));
        if (JSON.stringify(before) !== JSON.stringify(sorted)) {
          changes.componentImpacts = { from: before, to: sorted };
          await replaceComponentImpacts(manager, incident.id, stated);
        }
      }
      if (!Object.keys(changes).length) return incident;
      const now = this.clock.now();
      incident.updatedAt = now;
      await manager.save(Incident, incident);
      await appendTimeline(manager, actor, {
        incidentId: incident.id,
        kind: 'INCIDENT_UPDATED',
        at: now,
        message: `${actor.name} changed ${Object.keys(changes).join(', ')}`,
        data: { changes },
      });
      await emitChange(manager, { topic: 'INCIDENT_UPDATED', ...changeFields(incident) });
      if (changes.priority) await this.hooks?.reprioritized?.(manager, incident, changes.priority.from as Priority, actor);
      return incident;
    });
  }

  /** Alerts outranking their incident raise its priority (inside the ingest transaction). */
  async raisePriorityIn(manager: EntityManager, actor: Actor, id: string, priority: Priority): Promise<Incident> {
    const incident = await this.lock(manager, id);
    const previous = incident.priority;
    // Resolved meanwhile (the alert was attached in an earlier statement): a closed incident keeps its priority.
    if (priority >= previous || !(OPEN_STATUSES as readonly string[]).includes(incident.status)) return incident;
    const now = this.clock.now();
    incident.priority = priority;
    incident.updatedAt = now;
    await manager.save(Incident, incident);
    await appendTimeline(manager, actor, {
      incidentId: id,
      kind: 'PRIORITY_RAISED',
      at: now,
      message: `priority raised from ${previous} to ${priority} by a new alert`,
      data: { from: previous, to: priority },
    });
    await emitChange(manager, { topic: 'INCIDENT_UPDATED', ...changeFields(incident) });
    await this.hooks?.reprioritized?.(manager, incident, previous, actor);
    return incident;
  }

  async addNote(actor: Actor, id: string, text: string): Promise<TimelineEvent> {
    requireUuid('incidentId', id);
    const message = requireText('text', text, NOTE_MAX);
    return this.db.transaction(async (manager) => {
      await this.lock(manager, id);
      return appendTimeline(manager, actor, { incidentId: id, kind: 'NOTE_ADDED', at: this.clock.now(), message });
    });
  }

  /**
   * Row lock so concurrent transitions on one incident serialise. FOR NO KEY UPDATE, not FOR UPDATE: it conflicts
   * with itself, yet lets other transactions reference the incident (a timeline row's foreign key takes FOR KEY SHARE),
   * so the escalation runner — which holds the incident's escalation row and then writes a timeline event — cannot
   * deadlock with an acknowledgement that holds the incident and then stops that escalation.
   */
  async lock(manager: EntityManager, id: string): Promise<Incident> {
    requireUuid('id', id);
    const incident = await manager
      .getRepository(Incident)
      .createQueryBuilder('i')
      .setLock('for_no_key_update')
      .where('i.id = :id', { id })
      .getOne();
    if (!incident) throw notFound('incident', id);
    return incident;
  }

  private async requireService(manager: EntityManager, serviceId: string): Promise<void> {
    if (!(await manager.getRepository(Service).existsBy({ id: requireUuid('serviceId', serviceId) }))) throw badInput('serviceId', `service ${serviceId} does not exist`);
  }
}

function normalizeImpact(impact: ImpactInput | null | undefined): NormalizedImpact {
  return {
    locations: textList('impact.locations', impact?.locations),
    channels: textList('impact.channels', impact?.channels),
    products: textList('impact.products', impact?.products),
    description: optionalText('impact.description', impact?.description, 5000),
  };
}

function changeFields(incident: Incident) {
  return { incidentId: incident.id, serviceId: incident.serviceId, priority: incident.priority, status: incident.status };
}

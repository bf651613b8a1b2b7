import type { DataSource } from 'typeorm';
import type { Clock } from '../../shared/clock';
import { ComponentState, IncidentSource, StatusPageKind, type ComponentImpact } from '../../shared/enums';
import { impactOfPriority } from '../../shared/component-downtime';
import { componentState, impacts, incidentImpact, isOpen, pageIndicator, publicIncidentStatus, publicMaintenanceStatus } from './component-state';
import type { AffectedComponent, PublicComponent, PublicIncident, PublicLink, PublicMaintenance, PublicPage, PublicUpdate } from './public-page';
import * as sql from './public-status.sql';
import type { PublicLinkKeys } from '../public-link-keys';
import { HISTORY_DAYS, uptimeHistory, type StateInterval } from './uptime-history';

const RECENT = 50;
const DAY = 86_400_000;

type PublicIdOf = (kind: string, internalId: string) => string;

/** What the reader knows of an incident before it is made public: its rows and the services it affects. */
interface IncidentFacts {
  row: sql.IncidentRow;
  affected: Array<{ serviceId: string; impact: ComponentImpact }>;
  updates: sql.UpdateRow[];
  providerUrl: string | null;
  rcaPublicId: string | null;
}

/**
 * The one module public surfaces read through: it turns a page's rows into the {@link PublicPage} model, with public ids
 * and public fields only, and derives component states, the indicator and the 90-day history.
 */
export class PublicStatusReader {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly keys: PublicLinkKeys,
  ) {}

  async read(slug: string): Promise<PublicPage | null> {
    const page = await sql.pageBySlug(this.db, slug);
    if (!page) return null;
    const now = this.clock.now();
    const since = new Date(now.getTime() - HISTORY_DAYS * DAY - DAY);
    const idOf = await this.keys.publicIds();
    const componentRows = await sql.pageComponents(this.db, page.id);
    const serviceIds = componentRows.map((row) => row.service_id);
    const names = new Map(componentRows.map((row) => [row.service_id, row.name]));
    const [incidentRows, windowRows] = await Promise.all([
      sql.pageIncidents(this.db, serviceIds, page.kind, since),
      sql.pageWindows(this.db, serviceIds, since),
    ]);
    const [facts, windowServices] = await Promise.all([this.incidentFacts(incidentRows, page.kind), sql.windowServices(this.db, windowRows.map((row) => row.id))]);
    const onPage = new Set(serviceIds);
    const providerOf = new Map(componentRows.map((row) => [row.service_id, providerLink(page.kind, row)]));

    const incidents = facts.map((fact) => publicIncident(fact, idOf, names, onPage, providerOf));
    const windows = windowRows.map((row) => publicMaintenance(row, windowServices.filter((ws) => ws.window_id === row.id && onPage.has(ws.service_id)), idOf, names));

    const components = componentRows.map((row) =>
      this.component(row, page.time_zone, now, facts, windowRows, windowServices, idOf, providerOf.get(row.service_id) ?? null),
    );
    const active = incidents.filter((incident) => incident.status !== 'resolved');
    const { indicator, description } = pageIndicator(
      components.map((component) => component.state),
      active.length,
    );
    const updatedAt = latest([page.updated_at, ...componentRows.map((row) => row.updated_at), ...incidents.map((incident) => incident.updatedAt), ...windows.map((window) => window.updatedAt)]);
    return {
      id: idOf('page', page.id),
      slug: page.slug,
      title: page.title,
      description: page.description,
      timeZone: page.time_zone,
      kind: page.kind,
      indicator,
      indicatorDescription: description,
      updatedAt,
      components,
      activeIncidents: active,
      recentIncidents: incidents.slice(0, RECENT),
      activeMaintenances: windows.filter((window) => window.status === 'in_progress').sort((a, b) => a.scheduledUntil.getTime() - b.scheduledUntil.getTime()),
      upcomingMaintenances: windows.filter((window) => window.status === 'scheduled').sort((a, b) => a.scheduledFor.getTime() - b.scheduledFor.getTime()),
      recentMaintenances: windows.slice(0, RECENT),
    };
  }

  /** Public component id → service id of a page's components; null when no page has that slug. */
  async componentServiceIds(slug: string): Promise<Map<string, string> | null> {
    const page = await sql.pageBySlug(this.db, slug);
    if (!page) return null;
    const idOf = await this.keys.publicIds();
    const rows = await sql.pageComponents(this.db, page.id);
    return new Map(rows.map((row) => [idOf('component', row.service_id), row.service_id]));
  }

  /** The public view of one incident (for subscribers' messages), or null when no page would show it. */
  async incident(incidentId: string): Promise<PublicIncident | null> {
    const row = await sql.incidentById(this.db, incidentId);
    if (!row) return null;
    const kind = row.source === IncidentSource.PROVIDER ? StatusPageKind.PROVIDERS : StatusPageKind.SERVICES;
    const [fact] = await this.incidentFacts([row], kind);
    if (kind === StatusPageKind.SERVICES && !fact.updates.length) return null;
    const names = await sql.publicServiceNames(this.db, fact.affected.map((affected) => affected.serviceId));
    if (!names.size) return null;
    const idOf = await this.keys.publicIds();
    return publicIncident(fact, idOf, names, new Set(names.keys()), new Map());
  }

  /** The public view of one maintenance window, or null when it affects no public service. */
  async maintenance(windowId: string): Promise<PublicMaintenance | null> {
    const row = await sql.windowById(this.db, windowId);
    if (!row) return null;
    const services = await sql.windowServices(this.db, [row.id]);
    if (!services.length) return null;
    const names = await sql.publicServiceNames(this.db, services.map((service) => service.service_id));
    return publicMaintenance(row, services, await this.keys.publicIds(), names);
  }

  /** The slugs of the pages of `kind` that show one of `serviceIds`. */
  pageSlugsShowing(serviceIds: string[], kind: StatusPageKind): Promise<string[]> {
    return sql.pagesShowing(this.db, serviceIds, kind);
  }

  private async incidentFacts(rows: sql.IncidentRow[], kind: StatusPageKind): Promise<IncidentFacts[]> {
    const ids = rows.map((row) => row.id);
    const [impactRows, updates, links, rcas] = await Promise.all([
      sql.componentImpacts(this.db, ids),
      sql.publicUpdates(this.db, ids),
      kind === StatusPageKind.PROVIDERS ? sql.providerLinks(this.db, ids) : Promise.resolve(new Map<string, string>()),
      sql.publishedRcas(this.db, ids),
    ]);
    return rows.map((row) => {
      const stated = impactRows.filter((impact) => impact.incident_id === row.id);
      return {
        row,
        affected: stated.length ? stated.map((impact) => ({ serviceId: impact.service_id, impact: impact.impact })) : [{ serviceId: row.service_id, impact: impactOfPriority(row.priority) }],
        updates: updates.filter((update) => update.incident_id === row.id),
        providerUrl: links.get(row.id) ?? null,
        rcaPublicId: rcas.get(row.id) ?? null,
      };
    });
  }

  private component(
    row: sql.ComponentRow,
    zone: string,
    now: Date,
    facts: IncidentFacts[],
    windows: sql.WindowRow[],
    windowServices: sql.WindowServiceRow[],
    idOf: PublicIdOf,
    provider: PublicLink | null,
  ): PublicComponent {
    const intervals: StateInterval[] = [];
    const open: ComponentImpact[] = [];
    let changedAt = row.created_at;
    for (const fact of facts) {
      const affected = fact.affected.find((entry) => entry.serviceId === row.service_id);
      if (!affected) continue;
      const { row: incident } = fact;
      if (isOpen(incident.status) && impacts(incident.status)) open.push(affected.impact);
      const end = incident.mitigated_at ?? incident.resolved_at;
      intervals.push({ state: affected.impact as unknown as ComponentState, start: incident.opened_at, end, incident: { id: idOf('incident', incident.id), title: incident.title } });
      changedAt = latest([changedAt, incident.opened_at, ...(end ? [end] : [])]);
    }
    let inMaintenance = false;
    for (const window of windows) {
      if (!windowServices.some((ws) => ws.window_id === window.id && ws.service_id === row.service_id) || !window.started_at) continue;
      if (window.status === 'IN_PROGRESS') inMaintenance = true;
      const end = window.completed_at ?? window.cancelled_at;
      intervals.push({ state: ComponentState.UNDER_MAINTENANCE, start: window.started_at, end });
      changedAt = latest([changedAt, window.started_at, ...(end ? [end] : [])]);
    }
    return {
      id: idOf('component', row.service_id),
      name: row.name,
      description: row.description,
      group: row.group_name,
      position: row.position ?? 0,
      state: componentState(inMaintenance, open),
      provider,
      createdAt: row.created_at,
      updatedAt: changedAt,
      history: uptimeHistory(intervals, zone, now),
    };
  }
}

function providerLink(kind: StatusPageKind, row: sql.ComponentRow): PublicLink | null {
  if (kind !== StatusPageKind.PROVIDERS) return null;
  return { name: row.provider_name ?? row.name, url: row.provider_url };
}

function publicIncident(fact: IncidentFacts, idOf: PublicIdOf, names: Map<string, string>, onPage: Set<string>, providerOf: Map<string, PublicLink | null>): PublicIncident {
  const { row } = fact;
  const components: AffectedComponent[] = fact.affected
    .filter((affected) => onPage.has(affected.serviceId) && names.has(affected.serviceId))
    .map((affected) => ({ id: idOf('component', affected.serviceId), name: names.get(affected.serviceId) as string, impact: affected.impact as unknown as ComponentState }));
  const updates: PublicUpdate[] = fact.updates.map((update) => ({
    id: idOf('update', update.id),
    body: update.body,
    status: publicIncidentStatus(update.incident_status ?? row.status),
    postedAt: update.posted_at,
  }));
  const changes = [row.updated_at, row.opened_at, row.acknowledged_at, row.mitigated_at, row.resolved_at, ...fact.updates.map((update) => update.posted_at)].filter((at): at is Date => at !== null);
  const componentProvider = fact.affected.map((affected) => providerOf.get(affected.serviceId)).find((link) => link);
  const provider = row.source === IncidentSource.PROVIDER ? { name: componentProvider?.name ?? components[0]?.name ?? 'Provider', url: fact.providerUrl ?? componentProvider?.url ?? null } : null;
  return {
    id: idOf('incident', row.id),
    title: row.title,
    status: publicIncidentStatus(row.status),
    impact: incidentImpact(components.map((component) => component.impact)),
    createdAt: row.opened_at,
    updatedAt: latest(changes),
    monitoringAt: row.mitigated_at,
    resolvedAt: row.resolved_at,
    components,
    updates,
    provider,
    rcaPath: fact.rcaPublicId ? `/status/rca/${fact.rcaPublicId}` : null,
  };
}

const MAINTENANCE_IMPACT: Record<string, ComponentState> = {
  DEGRADED: ComponentState.DEGRADED_PERFORMANCE,
  PARTIAL_OUTAGE: ComponentState.PARTIAL_OUTAGE,
  MAJOR_OUTAGE: ComponentState.MAJOR_OUTAGE,
};

function publicMaintenance(row: sql.WindowRow, services: sql.WindowServiceRow[], idOf: PublicIdOf, names: Map<string, string>): PublicMaintenance {
  const components: AffectedComponent[] = services
    .filter((service) => names.has(service.service_id))
    .map((service) => ({ id: idOf('component', service.service_id), name: names.get(service.service_id) as string, impact: MAINTENANCE_IMPACT[service.impact] ?? ComponentState.UNDER_MAINTENANCE }));
  const span = utcSpan(row.starts_at, row.ends_at);
  const updates: PublicUpdate[] = [
    { id: idOf('maintenance-update', `${row.id}:scheduled`), body: `Scheduled for ${span}.`, status: 'scheduled' as const, postedAt: row.announced_at },
    ...(row.started_at ? [{ id: idOf('maintenance-update', `${row.id}:started`), body: 'Maintenance is in progress.', status: 'in_progress' as const, postedAt: row.started_at }] : []),
    ...(row.completed_at ? [{ id: idOf('maintenance-update', `${row.id}:completed`), body: 'Maintenance has completed.', status: 'completed' as const, postedAt: row.completed_at }] : []),
    ...(row.cancelled_at ? [{ id: idOf('maintenance-update', `${row.id}:cancelled`), body: 'This maintenance was cancelled.', status: 'cancelled' as const, postedAt: row.cancelled_at }] : []),
  ].reverse();
  return {
    id: idOf('maintenance', row.id),
    title: row.title,
    description: row.description,
    status: publicMaintenanceStatus(row.status),
    impact: incidentImpact(components.map((component) => component.impact)),
    scheduledFor: row.starts_at,
    scheduledUntil: row.ends_at,
    createdAt: row.announced_at,
    updatedAt: latest([row.updated_at, ...updates.map((update) => update.postedAt)]),
    startedAt: row.started_at,
    completedAt: row.completed_at ?? row.cancelled_at,
    components,
    updates,
  };
}

function latest(dates: Date[]): Date {
  return new Date(Math.max(...dates.map((date) => date.getTime())));
}

/** "2026-12-10 22:00–23:00 UTC", or with both dates when it runs past midnight: readable in every surface and feed. */
export function utcSpan(start: Date, end: Date): string {
  const [startDay, startTime] = [start.toISOString().slice(0, 10), start.toISOString().slice(11, 16)];
  const [endDay, endTime] = [end.toISOString().slice(0, 10), end.toISOString().slice(11, 16)];
  return startDay === endDay ? `${startDay} ${startTime}–${endTime} UTC` : `${startDay} ${startTime} – ${endDay} ${endTime} UTC`;
}

/**
 * Pure mappers from the public page model to Statuspage's v2 documents: summary.json, status.json, components.json,
 * incidents.json, incidents/unresolved.json, scheduled-maintenances.json and its upcoming.json and active.json.
 */
import type { PublicIncident, PublicMaintenance, PublicMaintenanceStatus, PublicPage, PublicUpdate } from '../services/status/public-page';
import type { PageLinks } from './page-links';
import { statuspageComponents } from './statuspage-components';
import type {
  ComponentsDocument,
  IncidentsDocument,
  MaintenancesDocument,
  StatusDocument,
  StatuspageComponent,
  StatuspageIncident,
  StatuspageIncidentUpdate,
  StatuspageMaintenance,
  StatuspageMaintenanceStatus,
  StatuspagePageRef,
  SummaryDocument,
} from './statuspage-v2.types';

const MAINTENANCE_STATUS: Record<PublicMaintenanceStatus, StatuspageMaintenanceStatus> = {
  scheduled: 'scheduled',
  in_progress: 'in_progress',
  completed: 'completed',
  cancelled: 'completed',
};

const UPDATE_STATUS: Record<PublicUpdate['status'], StatuspageIncidentUpdate['status']> = {
  investigating: 'investigating',
  identified: 'identified',
  monitoring: 'monitoring',
  resolved: 'resolved',
  ...MAINTENANCE_STATUS,
};

function iso(at: Date | null): string | null {
  return at ? at.toISOString() : null;
}

function pageRef(page: PublicPage, links: PageLinks): StatuspagePageRef {
  return { id: page.id, name: page.title, url: links.page, time_zone: page.timeZone, updated_at: page.updatedAt.toISOString() };
}

function updateObject(update: PublicUpdate, subjectId: string): StatuspageIncidentUpdate {
  const at = update.postedAt.toISOString();
  return {
    id: update.id,
    status: UPDATE_STATUS[update.status],
    body: update.body,
    incident_id: subjectId,
    created_at: at,
    updated_at: at,
    display_at: at,
    affected_components: null,
    // Every PUBLIC update is told to the page's subscribers.
    deliver_notifications: true,
    custom_tweet: null,
    tweet_id: null,
  };
}

/** Maps incidents and windows with the page's components at hand (an incident lists its components as they are now). */
class DocumentMapper {
  private readonly page: StatuspagePageRef;
  private readonly components: StatuspageComponent[];
  private readonly byId: Map<string, StatuspageComponent>;

  constructor(
    private readonly model: PublicPage,
    private readonly links: PageLinks,
  ) {
    this.page = pageRef(model, links);
    this.components = statuspageComponents(model);
    this.byId = new Map(this.components.filter((component) => !component.group).map((component) => [component.id, component]));
  }

  componentsOf(subject: PublicIncident | PublicMaintenance): StatuspageComponent[] {
    return subject.components.flatMap((affected) => this.byId.get(affected.id) ?? []);
  }

  incident(incident: PublicIncident): StatuspageIncident {
    return {
      id: incident.id,
      name: incident.title,
      status: incident.status,
      created_at: incident.createdAt.toISOString(),
      updated_at: incident.updatedAt.toISOString(),
      monitoring_at: iso(incident.monitoringAt),
      resolved_at: iso(incident.resolvedAt),
      impact: incident.impact,
      // Our pages have no page per incident: the link leads to its place on the page.
      shortlink: `${this.links.page}#incident-${incident.id}`,
      started_at: incident.createdAt.toISOString(),
      page_id: this.model.id,
      incident_updates: incident.updates.map((update) => updateObject(update, incident.id)),
      components: this.componentsOf(incident),
    };
  }

  maintenance(window: PublicMaintenance): StatuspageMaintenance {
    return {
      id: window.id,
      name: window.title,
      status: MAINTENANCE_STATUS[window.status],
      created_at: window.createdAt.toISOString(),
      updated_at: window.updatedAt.toISOString(),
      monitoring_at: null,
      resolved_at: iso(window.completedAt),
      impact: window.impact,
      shortlink: `${this.links.page}#maintenance-${window.id}`,
      started_at: window.createdAt.toISOString(),
      page_id: this.model.id,
      incident_updates: window.updates.map((update) => updateObject(update, window.id)),
      components: this.componentsOf(window),
      scheduled_for: window.scheduledFor.toISOString(),
      scheduled_until: window.scheduledUntil.toISOString(),
    };
  }

  status(): StatusDocument {
    return { page: this.page, status: { indicator: this.model.indicator, description: this.model.indicatorDescription } };
  }

  componentsDocument(): ComponentsDocument {
    return { page: this.page, components: this.components };
  }

  incidents(incidents: PublicIncident[]): IncidentsDocument {
    return { page: this.page, incidents: incidents.map((incident) => this.incident(incident)) };
  }

  maintenances(windows: PublicMaintenance[]): MaintenancesDocument {
    return { page: this.page, scheduled_maintenances: windows.map((window) => this.maintenance(window)) };
  }

  summary(): SummaryDocument {
    return {
      page: this.page,
      components: this.components,
      incidents: this.model.activeIncidents.map((incident) => this.incident(incident)),
      // In progress first, then the upcoming ones: what Statuspage's summary lists.
      scheduled_maintenances: [...this.model.activeMaintenances, ...this.model.upcomingMaintenances].map((window) => this.maintenance(window)),
      status: this.status().status,
    };
  }
}

export function summaryDocument(page: PublicPage, links: PageLinks): SummaryDocument {
  return new DocumentMapper(page, links).summary();
}

export function statusDocument(page: PublicPage, links: PageLinks): StatusDocument {
  return new DocumentMapper(page, links).status();
}

export function componentsDocument(page: PublicPage, links: PageLinks): ComponentsDocument {
  return new DocumentMapper(page, links).componentsDocument();
}

/** The latest incidents, open or resolved. */
export function incidentsDocument(page: PublicPage, links: PageLinks): IncidentsDocument {
  return new DocumentMapper(page, links).incidents(page.recentIncidents);
}

export function unresolvedIncidentsDocument(page: PublicPage, links: PageLinks): IncidentsDocument {
  return new DocumentMapper(page, links).incidents(page.activeIncidents);
}

/** The latest windows of any status (a cancelled one as completed). */
export function maintenancesDocument(page: PublicPage, links: PageLinks): MaintenancesDocument {
  return new DocumentMapper(page, links).maintenances(page.recentMaintenances);
}

export function upcomingMaintenancesDocument(page: PublicPage, links: PageLinks): MaintenancesDocument {
  return new DocumentMapper(page, links).maintenances(page.upcomingMaintenances);
}

export function activeMaintenancesDocument(page: PublicPage, links: PageLinks): MaintenancesDocument {
  return new DocumentMapper(page, links).maintenances(page.activeMaintenances);
}

/** Every document by its path under `/api/v2/`. */
export const STATUSPAGE_V2_DOCUMENTS: Readonly<Record<string, (page: PublicPage, links: PageLinks) => unknown>> = {
  'summary.json': summaryDocument,
  'status.json': statusDocument,
  'components.json': componentsDocument,
  'incidents.json': incidentsDocument,
  'incidents/unresolved.json': unresolvedIncidentsDocument,
  'scheduled-maintenances.json': maintenancesDocument,
  'scheduled-maintenances/upcoming.json': upcomingMaintenancesDocument,
  'scheduled-maintenances/active.json': activeMaintenancesDocument,
};

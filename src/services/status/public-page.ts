/**
 * What a public status page shows, and nothing else: every public surface (HTML, Statuspage-v2 JSON, feeds,
 * subscriber messages) is built from this model, which the public reader fills with public fields only. Ids here are
 * public ids (keyed hashes of the internal ones), useless anywhere else.
 */
import type { ComponentState, StatusPageKind } from '../../shared/enums';

/** Statuspage's page indicator. */
export type PageIndicator = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';
/** Statuspage's incident impact. */
export type IncidentImpact = 'none' | 'minor' | 'major' | 'critical';
/** Statuspage's incident statuses (ours: TRIGGERED, ACKNOWLEDGED, MITIGATED, RESOLVED/REVIEWED). */
export type PublicIncidentStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved';
/** Statuspage's scheduled-maintenance statuses, plus cancelled (shown as completed by Statuspage clients). */
export type PublicMaintenanceStatus = 'scheduled' | 'in_progress' | 'completed' | 'cancelled';

export interface PublicLink {
  name: string;
  url: string | null;
}

export interface PublicDay {
  /** The calendar day in the page's time zone, YYYY-MM-DD. */
  date: string;
  /** 100 × (1 − (major-outage seconds + 0.3 × partial-outage seconds) / the day's seconds), two decimals. */
  uptimePercent: number;
  /** The worst state the component was in that day (OPERATIONAL when none). */
  worstState: ComponentState;
  outageSeconds: { major: number; partial: number; degraded: number; maintenance: number };
  /** The public incidents behind the day. */
  incidents: Array<{ id: string; title: string }>;
}

export interface PublicComponent {
  id: string;
  name: string;
  description: string | null;
  /** The group it is shown in; null for the page's ungrouped components. */
  group: string | null;
  position: number;
  state: ComponentState;
  /** PROVIDERS pages: whose component it is, with a link to their status page. */
  provider: PublicLink | null;
  /** When the service was created. */
  createdAt: Date;
  /** When its state last changed, as far as incidents and maintenance tell; the service's creation otherwise. */
  updatedAt: Date;
  /** The last 90 days, oldest first, today last. */
  history: PublicDay[];
}

export interface PublicUpdate {
  id: string;
  body: string;
  status: PublicIncidentStatus | PublicMaintenanceStatus;
  postedAt: Date;
}

export interface AffectedComponent {
  id: string;
  name: string;
  impact: ComponentState;
}

export interface PublicIncident {
  id: string;
  title: string;
  status: PublicIncidentStatus;
  impact: IncidentImpact;
  createdAt: Date;
  updatedAt: Date;
  monitoringAt: Date | null;
  resolvedAt: Date | null;
  components: AffectedComponent[];
  /** PUBLIC status updates, newest first. */
  updates: PublicUpdate[];
  /** PROVIDERS pages: the provider whose status page opened it, with a link to their incident. */
  provider: PublicLink | null;
  /** Its published root cause analysis (the public view's path on this server: PUBLIC sections only); null when none is published. */
  rcaPath: string | null;
}

export interface PublicMaintenance {
  id: string;
  title: string;
  description: string | null;
  status: PublicMaintenanceStatus;
  impact: IncidentImpact;
  scheduledFor: Date;
  scheduledUntil: Date;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  components: AffectedComponent[];
  /** What was announced, newest first: scheduled, started, completed or cancelled. */
  updates: PublicUpdate[];
}

export interface PublicPage {
  id: string;
  slug: string;
  title: string;
  description: string | null;
  /** IANA zone the page displays times and counts days in. */
  timeZone: string;
  kind: StatusPageKind;
  indicator: PageIndicator;
  /** Statuspage's status.description: "All Systems Operational", "Partial System Outage", … */
  indicatorDescription: string;
  /** The latest change of anything shown. */
  updatedAt: Date;
  /** In group order, then position, then name. */
  components: PublicComponent[];
  /** Open incidents (not resolved), newest first. */
  activeIncidents: PublicIncident[];
  /** The 50 latest public incidents, open or resolved, newest first (Statuspage's incidents.json). */
  recentIncidents: PublicIncident[];
  /** IN_PROGRESS windows, soonest end first. */
  activeMaintenances: PublicMaintenance[];
  /** SCHEDULED windows, soonest first. */
  upcomingMaintenances: PublicMaintenance[];
  /** The 50 latest windows of any status, newest start first (Statuspage's scheduled-maintenances.json). */
  recentMaintenances: PublicMaintenance[];
}

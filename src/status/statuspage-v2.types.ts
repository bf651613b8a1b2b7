/**
 * The documents of Atlassian Statuspage's public v2 API (`/api/v2/*.json`), field for field, so that Statuspage
 * clients, widgets and monitors read our pages unchanged. test/fixtures/statuspage-v2/ holds real ones.
 */
import type { IncidentImpact, PageIndicator, PublicIncidentStatus } from '../services/status/public-page';

export type StatuspageComponentStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage' | 'under_maintenance';
/** Statuspage has no cancelled maintenance: a cancelled window is shown completed. */
export type StatuspageMaintenanceStatus = 'scheduled' | 'in_progress' | 'verifying' | 'completed';

export interface StatuspagePageRef {
  id: string;
  name: string;
  url: string;
  time_zone: string;
  updated_at: string;
}

export interface StatuspageStatus {
  indicator: PageIndicator;
  description: string;
}

export interface StatuspageComponent {
  id: string;
  name: string;
  status: StatuspageComponentStatus;
  created_at: string;
  updated_at: string;
  /** Within its group, or among the top-level components and groups; from 1. */
  position: number;
  description: string | null;
  showcase: boolean;
  start_date: string | null;
  group_id: string | null;
  page_id: string;
  group: boolean;
  only_show_if_degraded: boolean;
  /** Groups only: their components' ids, in order. */
  components?: string[];
}

export interface StatuspageIncidentUpdate {
  id: string;
  status: PublicIncidentStatus | StatuspageMaintenanceStatus;
  body: string;
  incident_id: string;
  created_at: string;
  updated_at: string;
  display_at: string;
  /** What each component went from and to with this update; we keep no such history, and Statuspage then says null. */
  affected_components: null;
  deliver_notifications: boolean;
  custom_tweet: null;
  tweet_id: null;
}

export interface StatuspageIncident {
  id: string;
  name: string;
  status: PublicIncidentStatus;
  created_at: string;
  updated_at: string;
  monitoring_at: string | null;
  resolved_at: string | null;
  impact: IncidentImpact;
  shortlink: string;
  started_at: string;
  page_id: string;
  incident_updates: StatuspageIncidentUpdate[];
  components: StatuspageComponent[];
}

export interface StatuspageMaintenance extends Omit<StatuspageIncident, 'status'> {
  status: StatuspageMaintenanceStatus;
  scheduled_for: string;
  scheduled_until: string;
}

export interface StatusDocument {
  page: StatuspagePageRef;
  status: StatuspageStatus;
}

export interface ComponentsDocument {
  page: StatuspagePageRef;
  components: StatuspageComponent[];
}

export interface IncidentsDocument {
  page: StatuspagePageRef;
  incidents: StatuspageIncident[];
}

export interface MaintenancesDocument {
  page: StatuspagePageRef;
  scheduled_maintenances: StatuspageMaintenance[];
}

export interface SummaryDocument {
  page: StatuspagePageRef;
  components: StatuspageComponent[];
  incidents: StatuspageIncident[];
  scheduled_maintenances: StatuspageMaintenance[];
  status: StatuspageStatus;
}

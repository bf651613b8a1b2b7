/** The derivation rules of public state: pure, shared by the page reader, the fan-out and the uptime history. */
import { ComponentImpact, ComponentState, IncidentStatus, MaintenanceStatus } from '../../shared/enums';
import type { IncidentImpact, PageIndicator, PublicIncidentStatus, PublicMaintenanceStatus } from './public-page';

const SEVERITY: Record<ComponentState, number> = {
  OPERATIONAL: 0,
  UNDER_MAINTENANCE: 1,
  DEGRADED_PERFORMANCE: 2,
  PARTIAL_OUTAGE: 3,
  MAJOR_OUTAGE: 4,
};

export function worseState(a: ComponentState, b: ComponentState): ComponentState {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

export function worstState(states: Iterable<ComponentState>): ComponentState {
  let worst: ComponentState = ComponentState.OPERATIONAL;
  for (const state of states) worst = worseState(worst, state);
  return worst;
}

/**
 * A component's state: UNDER_MAINTENANCE while a window with an impact on it is in progress, otherwise the worst
 * impact of the open public incidents on it, otherwise OPERATIONAL.
 */
export function componentState(inMaintenance: boolean, incidentImpacts: Iterable<ComponentImpact>): ComponentState {
  if (inMaintenance) return ComponentState.UNDER_MAINTENANCE;
  return worstState(incidentImpacts as Iterable<ComponentState>);
}

/** Whether an incident in this status still impacts its components: a MITIGATED one is being monitored. */
export function impacts(status: IncidentStatus): boolean {
  return status === IncidentStatus.TRIGGERED || status === IncidentStatus.ACKNOWLEDGED;
}

export function isOpen(status: IncidentStatus): boolean {
  return status !== IncidentStatus.RESOLVED && status !== IncidentStatus.REVIEWED;
}

const INCIDENT_STATUS: Record<IncidentStatus, PublicIncidentStatus> = {
  TRIGGERED: 'investigating',
  ACKNOWLEDGED: 'identified',
  MITIGATED: 'monitoring',
  RESOLVED: 'resolved',
  REVIEWED: 'resolved',
};

export function publicIncidentStatus(status: IncidentStatus): PublicIncidentStatus {
  return INCIDENT_STATUS[status];
}

const MAINTENANCE_STATUS: Record<MaintenanceStatus, PublicMaintenanceStatus> = {
  SCHEDULED: 'scheduled',
  IN_PROGRESS: 'in_progress',
  COMPLETED: 'completed',
  CANCELLED: 'cancelled',
};

export function publicMaintenanceStatus(status: MaintenanceStatus): PublicMaintenanceStatus {
  return MAINTENANCE_STATUS[status];
}

/** Statuspage's incident impact for the worst state it causes. */
export function incidentImpact(states: Iterable<ComponentState>): IncidentImpact {
  const worst = worstState(states);
  if (worst === ComponentState.MAJOR_OUTAGE) return 'critical';
  if (worst === ComponentState.PARTIAL_OUTAGE) return 'major';
  if (worst === ComponentState.DEGRADED_PERFORMANCE) return 'minor';
  return 'none';
}

const INDICATOR_DESCRIPTION: Record<PageIndicator, string> = {
  none: 'All Systems Operational',
  minor: 'Minor Service Outage',
  major: 'Partial System Outage',
  critical: 'Major System Outage',
  maintenance: 'Service Under Maintenance',
};

/**
 * The page's overall indicator: from the worst component state (MAJOR_OUTAGE critical, PARTIAL_OUTAGE major,
 * DEGRADED_PERFORMANCE minor); maintenance when a component is under maintenance and none is worse; minor when an
 * incident is open though every component is operational (e.g. being monitored); else none.
 */
export function pageIndicator(states: Iterable<ComponentState>, openIncidents: number): { indicator: PageIndicator; description: string } {
  const worst = worstState(states);
  let indicator: PageIndicator;
  if (worst === ComponentState.UNDER_MAINTENANCE) indicator = 'maintenance';
  else if (worst !== ComponentState.OPERATIONAL) indicator = incidentImpact([worst]) as PageIndicator;
  else indicator = openIncidents > 0 ? 'minor' : 'none';
  return { indicator, description: INDICATOR_DESCRIPTION[indicator] };
}

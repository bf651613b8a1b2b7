/**
 * What Atlassian Statuspage's statuses and impacts mean here, one definition for its webhook and its status feeds
 * (summary.json, incidents.json, history.atom/rss). https://developer.statuspage.io/
 */
import type { AlertSeverity } from '../../shared/enums';

/** Incident statuses, including scheduled-maintenance ones. */
export const STATUSPAGE_INCIDENT_STATUS = {
  investigating: 'FIRING',
  identified: 'FIRING',
  monitoring: 'FIRING',
  scheduled: 'FIRING',
  in_progress: 'FIRING',
  verifying: 'FIRING',
  resolved: 'RESOLVED',
  postmortem: 'RESOLVED',
  completed: 'RESOLVED',
} as const;

export const STATUSPAGE_COMPONENT_STATUS = {
  operational: 'RESOLVED',
  degraded_performance: 'FIRING',
  partial_outage: 'FIRING',
  major_outage: 'FIRING',
  under_maintenance: 'FIRING',
} as const;

export const STATUSPAGE_IMPACT_SEVERITY: Readonly<Record<string, AlertSeverity>> = {
  critical: 'CRITICAL',
  major: 'HIGH',
  minor: 'WARNING',
  none: 'INFO',
  maintenance: 'INFO',
};

export const STATUSPAGE_COMPONENT_SEVERITY: Readonly<Record<string, AlertSeverity>> = {
  major_outage: 'CRITICAL',
  partial_outage: 'HIGH',
  degraded_performance: 'WARNING',
  under_maintenance: 'INFO',
  operational: 'INFO',
};

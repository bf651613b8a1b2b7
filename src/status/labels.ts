/**
 * The words and style classes of every state the page shows. Each colour on the page comes with one of these words,
 * so nothing is said by colour alone.
 */
import type { ComponentState } from '../shared/enums';
import type { IncidentImpact, PageIndicator, PublicIncidentStatus, PublicMaintenanceStatus } from '../services/status/public-page';

/** A state as shown: its words and the style class that colours it (one of the tones in status.css). */
export interface Shown {
  text: string;
  tone: Tone;
}

export type Tone = 'ok' | 'degraded' | 'partial' | 'major' | 'maintenance';

const COMPONENT_STATES: Record<ComponentState, Shown> = {
  OPERATIONAL: { text: 'Operational', tone: 'ok' },
  DEGRADED_PERFORMANCE: { text: 'Degraded performance', tone: 'degraded' },
  PARTIAL_OUTAGE: { text: 'Partial outage', tone: 'partial' },
  MAJOR_OUTAGE: { text: 'Major outage', tone: 'major' },
  UNDER_MAINTENANCE: { text: 'Under maintenance', tone: 'maintenance' },
};

const INDICATOR_TONES: Record<PageIndicator, Tone> = {
  none: 'ok',
  minor: 'degraded',
  major: 'partial',
  critical: 'major',
  maintenance: 'maintenance',
};

const IMPACTS: Record<IncidentImpact, Shown> = {
  none: { text: 'No impact', tone: 'ok' },
  minor: { text: 'Minor impact', tone: 'degraded' },
  major: { text: 'Major impact', tone: 'partial' },
  critical: { text: 'Critical impact', tone: 'major' },
};

const STATUSES: Record<PublicIncidentStatus | PublicMaintenanceStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

export function componentState(state: ComponentState): Shown {
  return COMPONENT_STATES[state];
}

export function indicatorTone(indicator: PageIndicator): Tone {
  return INDICATOR_TONES[indicator];
}

export function incidentImpact(impact: IncidentImpact): Shown {
  return IMPACTS[impact];
}

export function statusText(status: PublicIncidentStatus | PublicMaintenanceStatus): string {
  return STATUSES[status];
}

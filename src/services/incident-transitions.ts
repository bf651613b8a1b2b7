import { IncidentStatus } from '../schema/enums';

/** The lifecycle: which statuses each action may leave from, and where it goes. */
export const INCIDENT_TRANSITIONS = {
  acknowledge: { from: [IncidentStatus.TRIGGERED], to: IncidentStatus.ACKNOWLEDGED, kind: 'ACKNOWLEDGED' },
  mitigate: { from: [IncidentStatus.TRIGGERED, IncidentStatus.ACKNOWLEDGED], to: IncidentStatus.MITIGATED, kind: 'MITIGATED' },
  resolve: {
    from: [IncidentStatus.TRIGGERED, IncidentStatus.ACKNOWLEDGED, IncidentStatus.MITIGATED],
    to: IncidentStatus.RESOLVED,
    kind: 'RESOLVED',
  },
  markReviewed: { from: [IncidentStatus.RESOLVED], to: IncidentStatus.REVIEWED, kind: 'REVIEWED' },
  // An approved review reopened: the incident is back to awaiting its review.
  reopenReview: { from: [IncidentStatus.REVIEWED], to: IncidentStatus.RESOLVED, kind: 'REVIEW_REOPENED' },
} as const;

export type IncidentAction = keyof typeof INCIDENT_TRANSITIONS;

export const OPEN_STATUSES: readonly IncidentStatus[] = [IncidentStatus.TRIGGERED, IncidentStatus.ACKNOWLEDGED, IncidentStatus.MITIGATED];

export function canTransition(action: IncidentAction, from: IncidentStatus): boolean {
  return (INCIDENT_TRANSITIONS[action].from as readonly IncidentStatus[]).includes(from);
}

import { MaintenanceStatus } from '../../schema/enums';

const { SCHEDULED, IN_PROGRESS, COMPLETED, CANCELLED } = MaintenanceStatus;

/** The lifecycle: which statuses each action may leave from, where it goes, and the timeline kind it writes. */
export const MAINTENANCE_TRANSITIONS = {
  update: { from: [SCHEDULED, IN_PROGRESS], to: null, kind: 'RESCHEDULED' },
  start: { from: [SCHEDULED], to: IN_PROGRESS, kind: 'STARTED' },
  extend: { from: [SCHEDULED, IN_PROGRESS], to: null, kind: 'EXTENDED' },
  complete: { from: [IN_PROGRESS], to: COMPLETED, kind: 'COMPLETED' },
  cancel: { from: [SCHEDULED, IN_PROGRESS], to: CANCELLED, kind: 'CANCELLED' },
  // Not a transition: an update on a window that has not ended (one in progress owes one hourly).
  postUpdate: { from: [SCHEDULED, IN_PROGRESS], to: null, kind: 'UPDATE_POSTED' },
} as const;

export type MaintenanceAction = keyof typeof MAINTENANCE_TRANSITIONS;

export function canMaintenanceTransition(action: MaintenanceAction, from: MaintenanceStatus): boolean {
  return (MAINTENANCE_TRANSITIONS[action].from as readonly MaintenanceStatus[]).includes(from);
}

import { RECURRENCE_BATCH, type MaintenanceRecurrenceService } from '../services/maintenance-recurrence.service';
import type { Job } from './job';

/** Creates the next occurrences of recurring maintenance rules as ordinary windows, within each rule's horizon. */
export function maintenanceRecurrenceJob(recurrences: MaintenanceRecurrenceService, schedule = '0 * * * * *'): Job {
  return {
    name: 'maintenance-recurrence',
    schedule,
    run: () => recurrences.materialiseDue(RECURRENCE_BATCH),
  };
}

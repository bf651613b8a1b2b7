import { MAINTENANCE_BATCH, type MaintenanceService } from '../services/maintenance.service';
import type { Job } from './job';

/**
 * Moves maintenance windows at their instants (SCHEDULED → IN_PROGRESS at startsAt, IN_PROGRESS → COMPLETED at
 * endsAt, noting an overrun) and sends the time-driven notices (reminders before the start, hourly while running).
 */
export function maintenanceJob(maintenance: MaintenanceService, schedule = '*/5 * * * * *'): Job {
  return {
    name: 'maintenance',
    schedule,
    run: () => maintenance.runDue(MAINTENANCE_BATCH),
  };
}

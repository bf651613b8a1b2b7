import type { AlertRetentionService } from '../services/alert-retention.service';
import type { Job } from './job';

/** Deletes resolved alerts past ALERT_RETENTION_DAYS (idempotent: instances running it at once need no claim). */
export function alertRetentionJob(retention: AlertRetentionService, schedule = '0 15 * * * *'): Job {
  return { name: 'alert-retention', schedule, run: () => retention.prune() };
}

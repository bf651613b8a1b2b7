import type { ChangeEventService } from '../services/change-event.service';
import type { VendorRequestService } from '../services/vendor-request.service';
import type { Job } from './job';

/** Forgets Opsgenie request outcomes past their polling time and PagerDuty change events past their retention (idempotent). */
export function vendorApiRetentionJob(requests: VendorRequestService, changeEvents: ChangeEventService, schedule = '0 15 * * * *'): Job {
  return { name: 'vendor-api-retention', schedule, run: async () => (await requests.prune()) + (await changeEvents.prune()) };
}

import type { StatusSubscriberService } from '../services/status/subscriber.service';
import type { Job } from './job';

/** Forgets subscriptions never confirmed once their link has long expired (idempotent: no claim needed). */
export function statusSubscriberRetentionJob(subscribers: StatusSubscriberService, schedule = '0 25 * * * *'): Job {
  return { name: 'status-subscriber-retention', schedule, run: () => subscribers.pruneUnconfirmed() };
}

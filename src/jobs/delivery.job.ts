import type { DeliveryService } from '../services/delivery.service';
import type { Job } from './job';

/** Sends due outbox messages; also woken right after a commit that queued some (LISTEN/NOTIFY). */
export function deliveryJob(delivery: DeliveryService, schedule = '*/5 * * * * *'): Job {
  return { name: 'delivery', schedule, run: () => delivery.drain() };
}

import type { StatusDeliveryService } from '../services/status/status-delivery.service';
import type { StatusFanout } from '../services/status/status-fanout.service';
import type { Job } from './job';

/**
 * Tells status subscribers: expands the recorded events into their outbox, then sends what is due (digests whose
 * window passed, retries). Also woken right after a commit that recorded events (LISTEN/NOTIFY).
 */
export function statusFanoutJob(fanout: StatusFanout, delivery: StatusDeliveryService, schedule = '*/5 * * * * *'): Job {
  return {
    name: 'status-fanout',
    schedule,
    run: async () => (await fanout.expandAll()) + (await delivery.drain()),
  };
}

import type { ComponentAnnouncer } from '../services/status/component-announcer';
import type { StatusDeliveryService } from '../services/status/status-delivery.service';
import type { StatusFanout } from '../services/status/status-fanout.service';
import type { Job } from './job';

/**
 * Tells status subscribers: announces the components whose derived state changed, expands the recorded events into
 * their outbox, then sends what is due (digests whose window passed, retries). Also woken right after a commit that
 * recorded events (LISTEN/NOTIFY); the announcement comes first, so the change a public update makes goes with it.
 */
export function statusFanoutJob(components: ComponentAnnouncer, fanout: StatusFanout, delivery: StatusDeliveryService, schedule = '*/5 * * * * *'): Job {
  return {
    name: 'status-fanout',
    schedule,
    run: async () => (await components.reconcile()) + (await fanout.expandAll()) + (await delivery.drain()),
  };
}

import type { Logger } from 'pino';
import type { Clock } from '../shared/clock';
import type { Job } from './job';

export const ALERT_REPAIR_BATCH = 500;

/** The alert pipeline's repair step (AlertPipeline.attachUnattached). */
export interface UnattachedAlerts {
  attachUnattached(firstSeenBefore: Date, limit: number): Promise<number>;
}

export interface AlertRepairOptions {
  schedule: string;
  /** Only alerts first seen longer ago than this: younger ones may still be attached by the delivery that brought them. */
  minAgeSeconds: number;
  /** Called with how many alerts a run attached (for /metrics). */
  onAttached?(count: number): void;
  maxBatches?: number;
}

/**
 * Attaches firing alerts that a crash left without an incident (the ingest's upsert committed, its attach did not), so
 * they page as their delivery would have. Claims are row locks with SKIP LOCKED, so every instance may run it.
 */
export function alertRepairJob(alerts: UnattachedAlerts, clock: Clock, log: Logger, options: AlertRepairOptions): Job {
  const maxBatches = options.maxBatches ?? 20;
  return {
    name: 'alert-repair',
    schedule: options.schedule,
    async run() {
      let total = 0;
      for (let batch = 0; batch < maxBatches; batch += 1) {
        const firstSeenBefore = new Date(clock.now().getTime() - options.minAgeSeconds * 1000);
        const attached = await alerts.attachUnattached(firstSeenBefore, ALERT_REPAIR_BATCH);
        total += attached;
        if (attached < ALERT_REPAIR_BATCH) break;
      }
      if (total) {
        // Only a crash (or a failed attach nobody retried) leaves such alerts: worth an operator's look.
        log.warn({ alerts: total }, 'attached alerts left without an incident');
        options.onAttached?.(total);
      }
      return total;
    },
  };
}

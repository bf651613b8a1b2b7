import { HANDOFF_BATCH, type HandoffService } from '../services/handoff.service';
import type { Job } from './job';

/** Hands over every schedule whose next handoff has passed: onCallChanged where who is on call changed. */
export function handoffJob(handoffs: HandoffService, schedule = '*/5 * * * * *', maxBatches = 200): Job {
  return {
    name: 'handoff',
    schedule,
    async run() {
      let total = 0;
      for (let batch = 0; batch < maxBatches; batch += 1) {
        const handled = await handoffs.runDue(HANDOFF_BATCH);
        total += handled;
        if (handled < HANDOFF_BATCH) break;
      }
      return total;
    },
  };
}

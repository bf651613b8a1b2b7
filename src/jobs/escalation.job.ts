import { ESCALATION_BATCH, type EscalationService } from '../services/escalation.service';
import type { Job } from './job';

/** Advances every escalation whose step delay has passed without an acknowledgement. */
export function escalationJob(escalation: EscalationService, schedule = '*/5 * * * * *', maxBatches = 200): Job {
  return {
    name: 'escalation',
    schedule,
    async run() {
      let total = 0;
      for (let batch = 0; batch < maxBatches; batch += 1) {
        const handled = await escalation.runDue(ESCALATION_BATCH);
        total += handled;
        if (handled < ESCALATION_BATCH) break;
      }
      return total;
    },
  };
}

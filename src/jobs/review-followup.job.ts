import { FOLLOWUP_BATCH, type ReviewFollowupService } from '../services/review/review-followup.service';
import type { Job } from './job';

/** Sends each day's reminder (and, once overdue, the escalation) of every review follow-up not yet met. */
export function reviewFollowupJob(followups: ReviewFollowupService, schedule = '0 */5 * * * *', maxBatches = 100): Job {
  return {
    name: 'review-followup',
    schedule,
    async run() {
      let total = 0;
      for (let batch = 0; batch < maxBatches; batch += 1) {
        const decided = await followups.runDue(FOLLOWUP_BATCH);
        total += decided;
        if (decided < FOLLOWUP_BATCH) break;
      }
      return total;
    },
  };
}

import { REMINDER_BATCH, type CommunicationReminderService } from '../services/communication-reminder.service';
import type { Job } from './job';

/** Reminds, then escalates, every communication obligation whose due time (then grace) passed unmet. */
export function communicationJob(reminders: CommunicationReminderService, schedule = '*/15 * * * * *', maxBatches = 200): Job {
  return {
    name: 'communication',
    schedule,
    async run() {
      let total = 0;
      for (let batch = 0; batch < maxBatches; batch += 1) {
        const handled = await reminders.runDue(REMINDER_BATCH);
        total += handled;
        if (handled < REMINDER_BATCH) break;
      }
      return total;
    },
  };
}

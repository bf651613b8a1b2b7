import { TASK_REMINDER_BATCH, type TaskReminderService } from '../services/task-reminder.service';
import type { Job } from './job';

/**
 * The weekly overdue-task reminder. It may tick often: each owner is told once per ISO week whatever the schedule,
 * so a frequent tick only means a task that becomes overdue is mentioned within that tick (its owner not yet told).
 */
export function taskReminderJob(reminders: TaskReminderService, schedule = '0 0 * * * *', maxBatches = 100): Job {
  return {
    name: 'task-reminder',
    schedule,
    async run() {
      let total = 0;
      for (let batch = 0; batch < maxBatches; batch += 1) {
        const reminded = await reminders.runDue(TASK_REMINDER_BATCH);
        total += reminded;
        if (reminded < TASK_REMINDER_BATCH) break;
      }
      return total;
    },
  };
}

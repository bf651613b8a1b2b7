import type { DeadLetterService } from '../services/dead-letter.service';
import type { Job } from './job';

/**
 * Deletes dead letters past DEAD_LETTER_RETENTION_DAYS and beyond DEAD_LETTER_MAX_ROWS (oldest first). Deleting is
 * idempotent, so instances running it at the same time need no claim.
 */
export function deadLetterRetentionJob(deadLetters: DeadLetterService, schedule = '0 */10 * * * *'): Job {
  return { name: 'dead-letter-retention', schedule, run: () => deadLetters.prune() };
}

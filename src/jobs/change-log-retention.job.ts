import type { Job } from './job';

/**
 * Deletes changes older than CHANGE_LOG_RETENTION_MINUTES from change_log, in batches until none is left. A
 * listener disconnected (or a client resuming) from further back than that is told to resync instead.
 * Idempotent: instances running it at the same time need no claim.
 */
export function changeLogRetentionJob(prune: () => Promise<number>, schedule = '30 * * * * *'): Job {
  return {
    name: 'change-log-retention',
    schedule,
    async run() {
      let total = 0;
      for (let pruned = await prune(); pruned > 0; pruned = await prune()) total += pruned;
      return total;
    },
  };
}

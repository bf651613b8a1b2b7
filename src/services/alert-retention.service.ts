import type { DataSource } from 'typeorm';
import type { Clock } from '../shared/clock';

const DAY_MS = 86_400_000;
const PRUNE_BATCH = 5_000;

/**
 * Deletes resolved alerts past ALERT_RETENTION_DAYS whose incident is closed (or that never had one), oldest first,
 * in batches. Firing alerts and the alerts of open incidents are never touched; incidents and their timelines stay.
 */
export class AlertRetentionService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly retentionDays: number,
  ) {}

  async prune(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.retentionDays * DAY_MS);
    let total = 0;
    for (;;) {
      const [{ deleted }] = (await this.db.query(
        `WITH gone AS (
           DELETE FROM alert WHERE id IN (
             SELECT a.id FROM alert a LEFT JOIN incident i ON i.id = a.incident_id
              WHERE a.status = 'RESOLVED' AND a.resolved_at < $1 AND (i.id IS NULL OR i.status IN ('RESOLVED', 'REVIEWED'))
              ORDER BY a.resolved_at LIMIT $2)
           RETURNING 1)
         SELECT count(*)::int AS deleted FROM gone`,
        [cutoff, PRUNE_BATCH],
      )) as Array<{ deleted: number }>;
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
  }
}

/** A scheduled job: node-cron only ticks; the work is claimed from PostgreSQL, so every instance may run it. */
export interface Job {
  name: string;
  /** node-cron expression (with seconds). */
  schedule: string;
  /** One run; returns how many items it handled. */
  run(): Promise<number>;
}

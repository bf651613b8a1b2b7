import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../db/unavailable';
import type { Job } from './job';

interface Slot {
  job: Job;
  task: ScheduledTask | null;
  running: Promise<void> | null;
  again: boolean;
}

/**
 * Ticks jobs with node-cron and runs them on demand (`trigger`), never two runs of one job at
 * once in this process: a trigger during a run schedules exactly one more run after it.
 */
export class JobScheduler {
  private slots = new Map<string, Slot>();
  private stopped = false;

  constructor(
    jobs: Job[],
    private readonly log: Logger,
  ) {
    for (const job of jobs) this.slots.set(job.name, { job, task: null, running: null, again: false });
  }

  start(): void {
    for (const slot of this.slots.values()) {
      slot.task = cron.schedule(slot.job.schedule, () => this.trigger(slot.job.name), { name: slot.job.name, noOverlap: true });
    }
  }

  /** Runs the job now, or once more after the current run. */
  trigger(name: string): Promise<void> {
    const slot = this.slots.get(name);
    if (!slot || this.stopped) return Promise.resolve();
    if (slot.running) {
      slot.again = true;
      return slot.running;
    }
    slot.running = this.runLoop(slot).finally(() => {
      slot.running = null;
    });
    return slot.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const slot of this.slots.values()) await slot.task?.stop();
    await Promise.all([...this.slots.values()].map((slot) => slot.running));
  }

  private async runLoop(slot: Slot): Promise<void> {
    do {
      slot.again = false;
      const started = Date.now();
      try {
        const handled = await slot.job.run();
        if (handled) this.log.debug({ job: slot.job.name, handled, ms: Date.now() - started }, 'job ran');
      } catch (error) {
        // During a database outage every tick fails the same way until it is back (readiness says so): a warning,
        // not an error per job per tick burying the errors that need a person.
        if (isDatabaseUnavailable(error)) this.log.warn({ job: slot.job.name, reason: (error as Error).message }, 'job skipped: the database is unavailable');
        else this.log.error({ err: error, job: slot.job.name }, 'job failed');
      }
    } while (slot.again && !this.stopped);
  }
}

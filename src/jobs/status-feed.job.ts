import type { Job } from './job';

/** The status feed poller (StatusFeedPoller.runDue). */
export interface DueStatusFeeds {
  runDue(): Promise<number>;
}

/** Polls the provider status feeds that are due; each is claimed with SKIP LOCKED, so every instance may run it. */
export function statusFeedJob(feeds: DueStatusFeeds, schedule = '*/15 * * * * *'): Job {
  return {
    name: 'status-feed',
    schedule,
    run: () => feeds.runDue(),
  };
}

import type { EntityManager } from 'typeorm';

/**
 * Which of these services are in an active maintenance window at `at`. Alerts of a suppressed
 * service are recorded (suppressed = true) but open no incident and page no one.
 * The maintenance-window model plugs in here.
 */
export type SuppressionCheck = (manager: EntityManager, serviceIds: string[], at: Date) => Promise<Set<string>>;

export const noSuppression: SuppressionCheck = async () => new Set();

import type { EntityManager } from 'typeorm';

/**
 * Which of these services are in a maintenance window in progress at `at`, each with that window's id. Alerts of a
 * suppressed service are recorded (suppressed, linked to the window) but open no incident and page no one. The
 * composition root plugs the maintenance service in here.
 */
export type SuppressionCheck = (manager: EntityManager, serviceIds: string[], at: Date) => Promise<Map<string, string>>;

export const noSuppression: SuppressionCheck = async () => new Map();

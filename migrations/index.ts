import type { MigrationInterface } from 'typeorm';

/** Every migration, in order. Landed migrations are never edited; add a new one. */
export const MIGRATIONS: Array<new () => MigrationInterface> = [];

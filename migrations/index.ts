import type { MigrationInterface } from 'typeorm';
import { Foundation1764000000000 } from './1764000000000-Foundation';

/** Every migration, in order. Landed migrations are never edited; add a new one. */
export const MIGRATIONS: Array<new () => MigrationInterface> = [Foundation1764000000000];

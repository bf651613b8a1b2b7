import type { MigrationInterface } from 'typeorm';
import { Foundation1764000000000 } from './1764000000000-Foundation';
import { Ingestion1764000100000 } from './1764000100000-Ingestion';

/** Every migration, in order. Landed migrations are never edited; add a new one. */
export const MIGRATIONS: Array<new () => MigrationInterface> = [Foundation1764000000000, Ingestion1764000100000];

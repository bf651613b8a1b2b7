import type { MigrationInterface } from 'typeorm';
import { Foundation1764000000000 } from './1764000000000-Foundation';
import { Ingestion1764000100000 } from './1764000100000-Ingestion';
import { Schedules1764000200000 } from './1764000200000-Schedules';
import { Escalation1764000300000 } from './1764000300000-Escalation';
import { BoundedDeadLetters1764000460000 } from './1764000460000-BoundedDeadLetters';
import { WebhookReceipts1764000470000 } from './1764000470000-WebhookReceipts';

/** Every migration, in order. Landed migrations are never edited; add a new one. */
export const MIGRATIONS: Array<new () => MigrationInterface> = [
  Foundation1764000000000,
  Ingestion1764000100000,
  Schedules1764000200000,
  Escalation1764000300000,
  BoundedDeadLetters1764000460000,
  WebhookReceipts1764000470000,
];

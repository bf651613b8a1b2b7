import type { EntityManager } from 'typeorm';
import { emitChange } from '../db/changes';

export interface PageRequest {
  incidentId: string;
  personId: string;
  /** Unique per decision, e.g. escalate:<incident>:<step>:<repeat>:<person>; channel, address and delay are appended. */
  keyPrefix: string;
  subject: string;
  body: string;
  data: Record<string, unknown>;
  reason: string;
  now: Date;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * Writes the outbox rows for paging people, in the caller's transaction, in one statement: one
 * row per notification rule (e.g. SMS at once, e-mail after 5 minutes), or — for a person with no
 * rules — SMS to their phone, else e-mail. Idempotency keys are unique, so deciding the same page
 * twice writes nothing twice. Returns how many rows were written; the caller announces them
 * (announceOutbox) once per transaction.
 */
export async function planPages(manager: EntityManager, pages: PageRequest[], maxAttempts = DEFAULT_MAX_ATTEMPTS): Promise<number> {
  if (!pages.length) return 0;
  const inserted: unknown[] = await manager.query(
    `WITH page AS (
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[])
         AS p(incident_id, person_id, key_prefix, subject, body, data, reason)
     ), contact AS (
       SELECT r.person_id, c.channel, c.address, r.delay_minutes AS delay
         FROM notification_rule r JOIN contact_method c ON c.id = r.contact_method_id
        WHERE r.person_id IN (SELECT person_id FROM page)
       UNION ALL
       SELECT p.id, CASE WHEN p.phone IS NOT NULL THEN 'SMS' ELSE 'EMAIL' END, COALESCE(p.phone, p.email), 0
         FROM person p
        WHERE p.id IN (SELECT person_id FROM page)
          AND NOT EXISTS (SELECT 1 FROM notification_rule r WHERE r.person_id = p.id)
     )
     INSERT INTO notification (idempotency_key, incident_id, person_id, channel, address, subject, body, data, reason, status,
                               max_attempts, next_attempt_at, due_at, created_at)
     SELECT page.key_prefix || ':' || contact.channel || ':' || contact.address || ':' || contact.delay,
            page.incident_id, page.person_id, contact.channel, contact.address, page.subject, page.body, page.data, page.reason,
            'PENDING', $8, $9::timestamptz + make_interval(mins => contact.delay), $9::timestamptz + make_interval(mins => contact.delay), $9
       FROM page JOIN contact ON contact.person_id = page.person_id
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id`,
    [
      pages.map((page) => page.incidentId),
      pages.map((page) => page.personId),
      pages.map((page) => page.keyPrefix),
      pages.map((page) => page.subject),
      pages.map((page) => page.body),
      pages.map((page) => JSON.stringify(page.data)),
      pages.map((page) => page.reason),
      maxAttempts,
      pages[0].now,
    ],
  );
  return inserted.length;
}

/** Wakes the delivery workers when the transaction commits. */
export async function announceOutbox(manager: EntityManager, queued: number): Promise<void> {
  if (queued > 0) await emitChange(manager, { topic: 'OUTBOX_READY' });
}

/**
 * Escalation stopped: its pages not yet sent for this incident are cancelled, so nobody is woken for nothing.
 * Cadence reminders (cadence:…) are not pages of the escalation: they go until their obligation is met.
 */
export async function cancelPendingPages(manager: EntityManager, incidentId: string): Promise<number> {
  const [, count] = await manager.query(
    `UPDATE notification SET status = 'CANCELLED' WHERE incident_id = $1 AND status = 'PENDING' AND split_part(idempotency_key, ':', 1) = 'escalate'`,
    [incidentId],
  );
  return Number(count ?? 0);
}

export interface NoticeRequest {
  personId: string;
  /** Unique per decision and person, e.g. handoff:<schedule>:<instant>:<person>:start; used as is. */
  key: string;
  subject: string;
  body: string;
  data: Record<string, unknown>;
  reason: string;
  now: Date;
  /** The maintenance window it is about, if any (its cadence reminders are cancelled by it once moot). */
  maintenanceWindowId?: string | null;
}

/**
 * Writes outbox rows for notices — telling, not paging: one message per person, now, to the contact method of their
 * first immediate notification rule (delay 0), else to their e-mail. Unique keys make deciding a notice twice write
 * nothing twice. Returns how many rows were written (announce them with announceOutbox).
 */
export async function planNotices(manager: EntityManager, notices: NoticeRequest[], maxAttempts = DEFAULT_MAX_ATTEMPTS): Promise<number> {
  if (!notices.length) return 0;
  const inserted: unknown[] = await manager.query(
    `WITH notice AS (
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $9::uuid[]) AS n(person_id, key, subject, body, data, reason, maintenance_window_id)
     ), contact AS (
       SELECT DISTINCT ON (p.id) p.id AS person_id, x.channel, x.address
         FROM person p
         CROSS JOIN LATERAL (
           SELECT c.channel, c.address, 0 AS rank, r.created_at
             FROM notification_rule r JOIN contact_method c ON c.id = r.contact_method_id
            WHERE r.person_id = p.id AND r.delay_minutes = 0
           UNION ALL
           SELECT 'EMAIL', p.email, 1, NULL
         ) x
        WHERE p.id IN (SELECT person_id FROM notice)
        ORDER BY p.id, x.rank, x.created_at
     )
     INSERT INTO notification (idempotency_key, incident_id, maintenance_window_id, person_id, channel, address, subject, body, data, reason, status,
                               max_attempts, next_attempt_at, due_at, created_at)
     SELECT notice.key, NULL, notice.maintenance_window_id, notice.person_id, contact.channel, contact.address, notice.subject, notice.body, notice.data, notice.reason,
            'PENDING', $7, $8, $8, $8
       FROM notice JOIN contact ON contact.person_id = notice.person_id
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id`,
    [
      notices.map((notice) => notice.personId),
      notices.map((notice) => notice.key),
      notices.map((notice) => notice.subject),
      notices.map((notice) => notice.body),
      notices.map((notice) => JSON.stringify(notice.data)),
      notices.map((notice) => notice.reason),
      maxAttempts,
      notices[0].now,
      notices.map((notice) => notice.maintenanceWindowId ?? null),
    ],
  );
  return inserted.length;
}

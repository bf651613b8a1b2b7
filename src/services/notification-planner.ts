import type { EntityManager } from 'typeorm';
import { emitChange } from '../db/changes';
import { ChannelKind } from '../schema/enums';

export interface PageRequest {
  incidentId: string;
  personId: string;
  /** Unique per decision, e.g. escalate:<incident>:<step>:<repeat>:<person>; channel and delay are appended. */
  keyPrefix: string;
  subject: string;
  body: string;
  data: Record<string, unknown>;
  reason: string;
  now: Date;
}

interface PlannedContact {
  channel: ChannelKind;
  address: string;
  delay_minutes: number;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * Writes the outbox rows for paging one person, in the caller's transaction: one per notification
 * rule (e.g. SMS at once, e-mail after 5 minutes), or — with no rules — SMS to their phone, else
 * e-mail. The idempotency key is unique, so deciding the same page twice writes nothing twice.
 */
export async function planPage(manager: EntityManager, page: PageRequest, maxAttempts = DEFAULT_MAX_ATTEMPTS): Promise<number> {
  let contacts: PlannedContact[] = await manager.query(
    `SELECT c.channel, c.address, r.delay_minutes
       FROM notification_rule r JOIN contact_method c ON c.id = r.contact_method_id
      WHERE r.person_id = $1 ORDER BY r.delay_minutes, c.channel`,
    [page.personId],
  );
  if (!contacts.length) {
    const [person] = await manager.query(`SELECT phone, email FROM person WHERE id = $1`, [page.personId]);
    if (!person) return 0;
    contacts = [person.phone ? { channel: ChannelKind.SMS, address: person.phone, delay_minutes: 0 } : { channel: ChannelKind.EMAIL, address: person.email, delay_minutes: 0 }];
  }
  const inserted: unknown[] = await manager.query(
    `INSERT INTO notification (idempotency_key, incident_id, person_id, channel, address, subject, body, data, reason, status,
                               max_attempts, next_attempt_at, created_at)
     SELECT $1 || ':' || v.channel || ':' || v.address || ':' || v.delay, $2, $3, v.channel, v.address, $4, $5, $6, $7, 'PENDING',
            $8, $9::timestamptz + make_interval(mins => v.delay), $9
       FROM unnest($10::text[], $11::text[], $12::int[]) AS v(channel, address, delay)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id`,
    [
      page.keyPrefix,
      page.incidentId,
      page.personId,
      page.subject,
      page.body,
      JSON.stringify(page.data),
      page.reason,
      maxAttempts,
      page.now,
      contacts.map((contact) => contact.channel),
      contacts.map((contact) => contact.address),
      contacts.map((contact) => contact.delay_minutes),
    ],
  );
  if (inserted.length) await emitChange(manager, { topic: 'OUTBOX_READY' });
  return inserted.length;
}

/** Escalation stopped: messages not yet sent for this incident are cancelled, so nobody is woken for nothing. */
export async function cancelPendingPages(manager: EntityManager, incidentId: string): Promise<number> {
  const [, count] = await manager.query(`UPDATE notification SET status = 'CANCELLED' WHERE incident_id = $1 AND status = 'PENDING'`, [incidentId]);
  return Number(count ?? 0);
}

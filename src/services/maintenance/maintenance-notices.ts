import type { EntityManager } from 'typeorm';
import type { MaintenanceWindow } from '../../schema/maintenance-window.entity';
import { SYSTEM_ACTOR, type Actor } from '../../shared/actor';
import { DEFAULT_MAX_ATTEMPTS, announceOutbox } from '../notification-planner';
import { appendMaintenanceEvent } from './maintenance-timeline';

/** Why the team is told. */
export type NoticeKind = 'ANNOUNCED' | 'REMINDER' | 'STARTED' | 'HOURLY' | 'EXTENDED' | 'RESCHEDULED' | 'OVERRUN' | 'COMPLETED' | 'CANCELLED';

export interface Notice {
  kind: NoticeKind;
  /** Unique per window and kind: which one (the reminder's lead in minutes, the hour of the run, the end it extended to). */
  occurrence: string;
  subject: string;
  body: string;
}

const HOUR = 3_600_000;

/**
 * Tells a window's team, as notifications (not pages: no escalation, no rule delays), through every contact method
 * of each member, or their e-mail when they have none. Each notice is decided once across instances: its
 * (window, kind, occurrence) row is inserted first and a duplicate means another instance decided it; its outbox rows
 * carry `maintenance:<window>:<kind>:<occurrence>:…` as idempotency key for the at-least-once delivery. Returns
 * whether this call decided it.
 */
export async function sendNotice(manager: EntityManager, window: MaintenanceWindow, notice: Notice, now: Date, actor: Actor = SYSTEM_ACTOR): Promise<boolean> {
  const [decided] = await manager.query(
    `INSERT INTO maintenance_notice (window_id, kind, occurrence, decided_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING kind`,
    [window.id, notice.kind, notice.occurrence, now],
  );
  if (!decided) return false;
  const keyPrefix = `maintenance:${window.id}:${notice.kind}:${notice.occurrence}`;
  const queued: unknown[] = await manager.query(
    `WITH member AS (
       SELECT p.id, p.email FROM team_member m JOIN person p ON p.id = m.person_id WHERE m.team_id = $1
     ), contact AS (
       SELECT c.person_id, c.channel, c.address FROM contact_method c WHERE c.person_id IN (SELECT id FROM member)
       UNION ALL
       SELECT m.id, 'EMAIL', m.email FROM member m WHERE NOT EXISTS (SELECT 1 FROM contact_method c WHERE c.person_id = m.id)
     )
     INSERT INTO notification (idempotency_key, maintenance_window_id, person_id, channel, address, subject, body, data, reason, status,
                               max_attempts, next_attempt_at, due_at, created_at)
     SELECT $2 || ':' || contact.person_id || ':' || contact.channel || ':' || contact.address, $3, contact.person_id, contact.channel,
            contact.address, $4, $5, $6, $7, 'PENDING', $8, $9, $9, $9
       FROM contact
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id`,
    [
      window.teamId,
      keyPrefix,
      window.id,
      notice.subject,
      notice.body,
      JSON.stringify({ maintenanceWindowId: window.id, notice: notice.kind, occurrence: notice.occurrence }),
      `maintenance notice (${notice.kind.toLowerCase()})`,
      DEFAULT_MAX_ATTEMPTS,
      now,
    ],
  );
  await appendMaintenanceEvent(manager, window.id, actor, {
    kind: 'NOTICE_SENT',
    at: now,
    message: `${notice.kind.toLowerCase()} notice queued for the team (${queued.length} message(s))`,
    data: { notice: notice.kind, occurrence: notice.occurrence, messages: queued.length },
  });
  await announceOutbox(manager, queued.length);
  return true;
}

function when(window: MaintenanceWindow): string {
  return `${window.startsAt.toISOString()} – ${window.endsAt.toISOString()} (UTC)`;
}

/** The notice a change by hand or by the job makes. */
export function changeNotice(window: MaintenanceWindow, kind: Exclude<NoticeKind, 'REMINDER' | 'HOURLY'>, detail = ''): Notice {
  const label = `${window.kind === 'PLANNED' ? 'Planned' : 'Emergency'} maintenance`;
  const lines: Record<typeof kind, [string, string]> = {
    ANNOUNCED: [`${label} scheduled: ${window.title}`, `${label} "${window.title}" is scheduled for ${when(window)}.`],
    RESCHEDULED: [`${label} rescheduled: ${window.title}`, `"${window.title}" now runs ${when(window)}.`],
    EXTENDED: [`Maintenance extended: ${window.title}`, `"${window.title}" now ends at ${window.endsAt.toISOString()} (UTC). ${detail}`.trim()],
    STARTED: [`Maintenance started: ${window.title}`, `"${window.title}" started; it is planned to end at ${window.endsAt.toISOString()} (UTC). Alerts of its services are suppressed until then.`],
    OVERRUN: [`Maintenance overran: ${window.title}`, `"${window.title}" reached its end at ${window.endsAt.toISOString()} (UTC) without being completed or extended, and its services still have firing alerts: they are re-evaluated now. ${detail}`.trim()],
    COMPLETED: [`Maintenance completed: ${window.title}`, `"${window.title}" is over. Alerts still firing on its services are re-evaluated and page as usual.`],
    CANCELLED: [`Maintenance cancelled: ${window.title}`, `"${window.title}" was cancelled. ${detail}`.trim()],
  };
  // A reschedule or an extension may happen more than once: each new set of dates is its own notice.
  const occurrence = kind === 'RESCHEDULED' || kind === 'EXTENDED' ? `${window.startsAt.toISOString()}/${window.endsAt.toISOString()}` : 'once';
  return { kind, occurrence, subject: lines[kind][0], body: lines[kind][1] };
}

/**
 * The time-driven notices due at `now`, the latest of each kind only (a job that was down does not send a burst):
 * a reminder `minutes` before the start, for leads the announcement came before; and, while it runs, one for each
 * whole hour since it started, up to and including its end (a 3-hour window: hours 1, 2 and 3).
 */
export function dueNotices(window: MaintenanceWindow, now: Date, reminderMinutes: readonly number[]): Notice[] {
  const due: Notice[] = [];
  if (window.status === 'SCHEDULED') {
    const leads = reminderMinutes
      .filter((minutes) => now.getTime() >= window.startsAt.getTime() - minutes * 60_000 && window.noticeGivenAt.getTime() < window.startsAt.getTime() - minutes * 60_000)
      .sort((a, b) => a - b);
    if (leads.length) {
      const minutes = leads[0];
      const lead = minutes % 60 ? `${minutes} minutes` : `${minutes / 60} hour(s)`;
      due.push({ kind: 'REMINDER', occurrence: `${window.startsAt.toISOString()}-${minutes}`, subject: `Maintenance in ${lead}: ${window.title}`, body: `"${window.title}" starts in ${lead}: ${when(window)}.` });
    }
  }
  if (window.status === 'IN_PROGRESS' && window.startedAt) {
    const until = Math.min(now.getTime(), window.endsAt.getTime());
    // From the scheduled start when the job started it a few seconds late, from the real one when started early.
    const since = Math.min(window.startedAt.getTime(), window.startsAt.getTime());
    const hour = Math.floor((until - since) / HOUR);
    if (hour >= 1) {
      due.push({
        kind: 'HOURLY',
        occurrence: String(hour),
        subject: `Maintenance under way (hour ${hour}): ${window.title}`,
        body: `"${window.title}" has run for ${hour} hour(s); it is planned to end at ${window.endsAt.toISOString()} (UTC).`,
      });
    }
  }
  return due;
}

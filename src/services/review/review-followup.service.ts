import { DateTime } from 'luxon';
import type { DataSource, EntityManager } from 'typeorm';
import { ReviewDocument, ReviewOrigin, ReviewReminderStage, type Priority } from '../../schema/enums';
import { SYSTEM_ACTOR } from '../../shared/actor';
import { addBusinessDays, businessDaysBetween, endOfDay, type BusinessCalendar } from '../../shared/business-days';
import type { Clock } from '../../shared/clock';
import type { OnCallLookup } from '../escalation.service';
import { firstStepReaching, type StepRecipients } from '../escalation-targets';
import type { MaintenanceCalendarService } from '../maintenance/maintenance-calendar.service';
import { announceOutbox, planNotices, type NoticeRequest } from '../notification-planner';
import { appendTimeline } from '../timeline.service';
import { followupMessage, followupStanding, type FollowupFacts } from './review-followup-message';
import type { ReviewFollowupHooks } from './review-hooks';
import type { ReviewSettingsService } from './review-settings.service';

export const FOLLOWUP_BATCH = 100;
export const DEFAULT_REMINDER_HOUR = 9;

interface DueFollowup {
  incidentId: string;
  document: ReviewDocument;
  dueAt: Date;
  number: number;
  title: string;
  priority: Priority;
  serviceId: string;
  ownerId: string | null;
}

/** Who a reminder or escalation reached (step null: the incident owner, the configured reviewer or a window's team). */
type Recipients = StepRecipients;

/**
 * What is due after an incident's review opens, by when, and whether it is met; and the daily reminder until it is.
 * INTERNAL origin owes a published RCA, EXTERNAL an approved IRF, by the end of the Nth business day after the
 * resolution day (settings), counted in the maintenance calendar's zone. From the day after resolution, once a day from
 * the reminder hour (local), the incident owner (else whoever the first step of the service's escalation policy reaches
 * now) is reminded; once overdue, it escalates as well: to the configured reviewer, else to the next step that reaches
 * somebody else. Each day's decision is the insert of the review_reminder row keyed (incident, day): only the runner
 * whose insert lands sends, so any number of runners decide each incident's day once.
 */
export class ReviewFollowupService implements ReviewFollowupHooks {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly calendar: MaintenanceCalendarService,
    private readonly settings: ReviewSettingsService,
    private readonly onCall: OnCallLookup,
    private readonly reminderHour = DEFAULT_REMINDER_HOUR,
  ) {}

  async opened(manager: EntityManager, review: { incidentId: string; origin: ReviewOrigin; resolvedAt: Date }): Promise<void> {
    const calendar = await this.calendar.current(manager);
    const { dueBusinessDays } = await this.settings.current(manager);
    const dueAt = endOfDay(addBusinessDays(calendar, review.resolvedAt, dueBusinessDays));
    await manager.query(
      `INSERT INTO review_followup (incident_id, document, due_at, met_at, created_at) VALUES ($1, $2, $3, NULL, $4)
       ON CONFLICT (incident_id) DO UPDATE SET document = EXCLUDED.document, due_at = EXCLUDED.due_at`,
      [review.incidentId, documentOwed(review.origin), dueAt, this.clock.now()],
    );
    await this.decideMet(manager, review.incidentId);
  }

  async changed(manager: EntityManager, incidentId: string): Promise<void> {
    if (await this.decideMet(manager, incidentId)) return;
    // A review opened before the follow-up existed (or whose opened call was lost) starts being followed up now.
    const [review] = await manager.query(
      `SELECT r.origin, i.resolved_at FROM incident_review r JOIN incident i ON i.id = r.incident_id WHERE r.incident_id = $1 AND i.resolved_at IS NOT NULL`,
      [incidentId],
    );
    if (review) await this.opened(manager, { incidentId, origin: review.origin, resolvedAt: review.resolved_at });
  }

  /**
   * What is owed follows the origin; met is INTERNAL: the RCA published (a version exists, even while the next one is
   * drafted), EXTERNAL: the IRF approved (unmet again once reopened). Returns false when there is no follow-up row.
   */
  private async decideMet(manager: EntityManager, incidentId: string): Promise<boolean> {
    const [, updated] = await manager.query(
      `UPDATE review_followup f
          SET document = CASE r.origin WHEN 'INTERNAL' THEN 'RCA' ELSE 'IRF' END,
              met_at = CASE WHEN (r.origin = 'INTERNAL' AND (d.status = 'PUBLISHED' OR d.published_version IS NOT NULL))
                                 OR (r.origin = 'EXTERNAL' AND r.status = 'APPROVED')
                            THEN COALESCE(f.met_at, $2::timestamptz) END
         FROM incident_review r LEFT JOIN rca_document d ON d.review_id = r.id
        WHERE f.incident_id = $1 AND r.incident_id = f.incident_id`,
      [incidentId, this.clock.now()],
    );
    return Number(updated) > 0;
  }

  /** One batch of today's reminders and escalations; returns how many incidents it decided. */
  async runDue(limit = FOLLOWUP_BATCH): Promise<number> {
    const now = this.clock.now();
    const calendar = await this.calendar.current();
    const local = DateTime.fromJSDate(now, { zone: calendar.zone });
    if (local.hour < this.reminderHour) return 0;
    const day = local.toISODate() as string;
    return this.db.transaction(async (manager) => {
      const reviewerId = await this.reviewer(manager);
      let decided = 0;
      let queued = 0;
      for (const followup of await this.claim(manager, day, calendar.zone, limit)) {
        const sent = await this.decide(manager, followup, { calendar, day, now, reviewerId });
        if (sent === null) continue;
        decided += 1;
        queued += sent;
      }
      await announceOutbox(manager, queued);
      return decided;
    });
  }

  /**
   * Unmet follow-ups resolved before today (local) without today's decision. The rows are locked and skipped when
   * taken, so concurrent runners share the work; the (incident, day) key is what makes each decision once.
   */
  private async claim(manager: EntityManager, day: string, zone: string, limit: number): Promise<DueFollowup[]> {
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT f.incident_id, f.document, f.due_at, i.number, i.title, i.priority, i.service_id, i.owner_id
         FROM review_followup f JOIN incident i ON i.id = f.incident_id
        WHERE f.met_at IS NULL
          AND (i.resolved_at AT TIME ZONE $2)::date < $1::date
          AND NOT EXISTS (SELECT 1 FROM review_reminder r WHERE r.incident_id = f.incident_id AND r.day = $1::date)
        ORDER BY f.due_at, f.incident_id LIMIT ${Number(limit)}
        FOR NO KEY UPDATE OF f SKIP LOCKED`,
      [day, zone],
    );
    return rows.map((row) => ({
      incidentId: row.incident_id as string,
      document: row.document as ReviewDocument,
      dueAt: row.due_at as Date,
      number: Number(row.number),
      title: row.title as string,
      priority: row.priority as Priority,
      serviceId: row.service_id as string,
      ownerId: row.owner_id as string | null,
    }));
  }

  /** The configured reviewer while they exist (a configured id may name nobody). */
  private async reviewer(manager: EntityManager): Promise<string | null> {
    const { reviewerId } = await this.settings.current(manager);
    if (!reviewerId) return null;
    const [person] = await manager.query(`SELECT id FROM person WHERE id = $1`, [reviewerId]);
    return person ? reviewerId : null;
  }

  /** Decides the day: null when another runner already had it, else the messages queued. */
  private async decide(
    manager: EntityManager,
    followup: DueFollowup,
    { calendar, day, now, reviewerId }: { calendar: BusinessCalendar; day: string; now: Date; reviewerId: string | null },
  ): Promise<number | null> {
    const overdue = now >= followup.dueAt;
    const responsible = followup.ownerId ? { personIds: [followup.ownerId], step: null } : await firstStepReaching(manager, this.onCall, followup.serviceId, 0, [], now);
    const escalated = overdue ? await this.escalationRecipients(manager, followup, responsible, reviewerId, now) : { personIds: [], step: null };
    const personIds = [...responsible.personIds, ...escalated.personIds];
    const stage = overdue ? ReviewReminderStage.ESCALATION : ReviewReminderStage.REMINDER;
    const inserted: unknown[] = await manager.query(
      `INSERT INTO review_reminder (incident_id, day, stage, person_ids, decided_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (incident_id, day) DO NOTHING RETURNING incident_id`,
      [followup.incidentId, day, stage, personIds, now],
    );
    if (!inserted.length) return null;
    const facts = this.facts(followup, calendar, day);
    const notices = (ids: string[], escalatedToYou: boolean): NoticeRequest[] =>
      ids.map((personId) => ({
        personId,
        key: `rca-reminder:${followup.incidentId}:${day}:${personId}`,
        ...followupMessage(facts, escalatedToYou),
        data: { incidentId: followup.incidentId, number: followup.number, document: followup.document, dueAt: followup.dueAt, day, stage },
        reason: `review ${overdue ? 'escalation' : 'reminder'}: ${followup.document}`,
        now,
      }));
    const queued = await planNotices(manager, [...notices(responsible.personIds, false), ...notices(escalated.personIds, true)]);
    await appendTimeline(manager, SYSTEM_ACTOR, {
      incidentId: followup.incidentId,
      kind: overdue ? 'REVIEW_ESCALATED' : 'REVIEW_REMINDER',
      at: now,
      message: `${followup.document} ${followupStanding(facts)}: ${await this.who(manager, responsible, escalated, overdue)}`,
      data: { day, document: followup.document, dueAt: followup.dueAt, personIds, escalatedPersonIds: escalated.personIds, step: escalated.step ?? responsible.step, notificationsQueued: queued },
    });
    return queued;
  }

  /** The reviewer when configured, else the step after the responsible one's that reaches somebody not yet told. */
  private async escalationRecipients(manager: EntityManager, followup: DueFollowup, responsible: Recipients, reviewerId: string | null, now: Date): Promise<Recipients> {
    if (reviewerId) return { personIds: responsible.personIds.includes(reviewerId) ? [] : [reviewerId], step: null };
    const from = responsible.step === null ? 0 : responsible.step + 1;
    return firstStepReaching(manager, this.onCall, followup.serviceId, from, responsible.personIds, now);
  }


  private facts(followup: DueFollowup, calendar: BusinessCalendar, day: string): FollowupFacts {
    const dueDay = DateTime.fromJSDate(followup.dueAt, { zone: calendar.zone }).minus({ milliseconds: 1 });
    const today = DateTime.fromISO(day, { zone: calendar.zone });
    const daysOverdue = Math.max(0, Math.round(today.diff(dueDay.startOf('day'), 'days').days));
    return {
      number: followup.number,
      priority: followup.priority,
      title: followup.title,
      document: followup.document,
      dueDay: dueDay.toISODate() as string,
      zone: calendar.zone,
      businessDaysLeft: daysOverdue ? 0 : businessDaysBetween(calendar, today.toJSDate(), dueDay.toJSDate()),
      daysOverdue,
    };
  }

  private async who(manager: EntityManager, responsible: Recipients, escalated: Recipients, overdue: boolean): Promise<string> {
    const names = async (ids: string[]) =>
      ids.length ? ((await manager.query(`SELECT name FROM person WHERE id = ANY($1) ORDER BY name`, [ids])) as Array<{ name: string }>).map((row) => row.name).join(', ') : '';
    const owner = await names(responsible.personIds);
    const reminded = owner ? `reminded ${owner}` : 'nobody to remind';
    if (!overdue) return reminded;
    const to = await names(escalated.personIds);
    return `${to ? `escalated to ${to}` : 'nobody to escalate to'}; ${reminded}`;
  }
}

function documentOwed(origin: ReviewOrigin): ReviewDocument {
  return origin === ReviewOrigin.INTERNAL ? ReviewDocument.RCA : ReviewDocument.IRF;
}

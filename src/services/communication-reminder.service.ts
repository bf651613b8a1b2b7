import type { DataSource, EntityManager } from 'typeorm';
import { CommunicationDueStage, type CommunicationKind, type Priority } from '../schema/enums';
import { SYSTEM_ACTOR } from '../shared/actor';
import type { Clock } from '../shared/clock';
import type { OnCallLookup } from './escalation.service';
import { peopleOfStep, serviceEscalationSteps } from './escalation-targets';
import { announceOutbox, planPages } from './notification-planner';
import { appendTimeline } from './timeline.service';

export const REMINDER_BATCH = 100;

/** How each kind reads in a reminder. */
const OWED: Record<CommunicationKind, string> = {
  FIRST_PUBLIC_NOTICE: 'the first public notice',
  PUBLIC_UPDATE: 'the next public (client) update',
  INTERNAL_UPDATE: "the incident team's next internal update",
  STATUS_PAGE_UPDATE: 'the next status page update',
  INCIDENT_CALL: 'the next incident-team call',
};

const HOW: Record<CommunicationKind, string> = {
  FIRST_PUBLIC_NOTICE: 'post a PUBLIC status update',
  PUBLIC_UPDATE: 'post a PUBLIC status update',
  INTERNAL_UPDATE: 'post an INTERNAL status update',
  STATUS_PAGE_UPDATE: 'post a PUBLIC status update',
  INCIDENT_CALL: 'hold the call and record it (recordIncidentCall)',
};

interface DueObligation {
  id: string;
  kind: CommunicationKind;
  dueAt: Date;
  escalateAt: Date;
  reminded: boolean;
  remindedStep: number | null;
  remindedPersonIds: string[];
  incident: { id: string; number: number; title: string; priority: Priority; serviceId: string; ownerId: string | null };
}

/** Who a reminder or escalation reached: people, and the escalation step they came from (null: the incident owner). */
interface Recipients {
  personIds: string[];
  step: number | null;
}

/**
 * Reminds and escalates unmet obligations: at its due time, one reminder to the incident owner (else whoever the first
 * step of the service's escalation policy reaches now: the on-call); after the grace, one escalation to the next step
 * (the first step when the owner was reminded), leaving out whoever was reminded. Each obligation row is claimed with
 * SKIP LOCKED and moved on (next_action_at) in the transaction that decides, and each message has a unique
 * idempotency key (cadence:<obligation>:<stage>:<person>), so any number of runners decide each once.
 */
export class CommunicationReminderService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly onCall: OnCallLookup,
  ) {}

  /** One batch of due reminders and escalations; returns how many obligations it handled. */
  async runDue(limit = REMINDER_BATCH): Promise<number> {
    return this.db.transaction(async (manager) => {
      const now = this.clock.now();
      const due = await this.claim(manager, now, limit);
      let queued = 0;
      for (const obligation of due) queued += obligation.reminded ? await this.escalate(manager, obligation, now) : await this.remind(manager, obligation, now);
      await announceOutbox(manager, queued);
      return due.length;
    });
  }

  /**
   * Locks due obligations and shares their incident's key lock, skipping both when taken: an incident locked by a
   * status update being posted is left for the next run instead of waited on (that update may meet the obligation).
   */
  private async claim(manager: EntityManager, now: Date, limit: number): Promise<DueObligation[]> {
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT o.id, o.kind, o.due_at, o.escalate_at, o.reminded_at, o.reminded_step, o.reminded_person_ids,
              i.id AS incident_id, i.number, i.title, i.priority, i.service_id, i.owner_id
         FROM communication_obligation o JOIN incident i ON i.id = o.incident_id
        WHERE o.next_action_at <= $1
        ORDER BY o.next_action_at LIMIT ${Number(limit)}
        FOR UPDATE OF o SKIP LOCKED FOR KEY SHARE OF i SKIP LOCKED`,
      [now],
    );
    return rows.map((row) => ({
      id: row.id as string,
      kind: row.kind as CommunicationKind,
      dueAt: row.due_at as Date,
      escalateAt: row.escalate_at as Date,
      reminded: row.reminded_at !== null,
      remindedStep: row.reminded_step as number | null,
      remindedPersonIds: row.reminded_person_ids as string[],
      incident: {
        id: row.incident_id as string,
        number: Number(row.number),
        title: row.title as string,
        priority: row.priority as Priority,
        serviceId: row.service_id as string,
        ownerId: row.owner_id as string | null,
      },
    }));
  }

  private async remind(manager: EntityManager, obligation: DueObligation, now: Date): Promise<number> {
    const recipients = await this.reminderRecipients(manager, obligation, now);
    await manager.query(
      `UPDATE communication_obligation SET reminded_at = $2, reminded_step = $3, reminded_person_ids = $4, next_action_at = escalate_at WHERE id = $1`,
      [obligation.id, now, recipients.step, recipients.personIds],
    );
    return this.notify(manager, obligation, recipients, CommunicationDueStage.OVERDUE, now);
  }

  private async escalate(manager: EntityManager, obligation: DueObligation, now: Date): Promise<number> {
    const recipients = await this.escalationRecipients(manager, obligation, now);
    await manager.query(`UPDATE communication_obligation SET escalated_at = $2, next_action_at = NULL WHERE id = $1`, [obligation.id, now]);
    return this.notify(manager, obligation, recipients, CommunicationDueStage.ESCALATED, now);
  }

  /** The incident owner; without one, the first step of the service's escalation policy that reaches anybody now. */
  private async reminderRecipients(manager: EntityManager, obligation: DueObligation, now: Date): Promise<Recipients> {
    if (obligation.incident.ownerId) return { personIds: [obligation.incident.ownerId], step: null };
    return this.firstStepReaching(manager, obligation.incident.serviceId, 0, [], now);
  }

  /** The step after the one reminded (the first, when the owner was), leaving out whoever was reminded. */
  private async escalationRecipients(manager: EntityManager, obligation: DueObligation, now: Date): Promise<Recipients> {
    const from = obligation.remindedStep === null ? 0 : obligation.remindedStep + 1;
    return this.firstStepReaching(manager, obligation.incident.serviceId, from, obligation.remindedPersonIds, now);
  }

  private async firstStepReaching(manager: EntityManager, serviceId: string, from: number, excluded: string[], now: Date): Promise<Recipients> {
    const steps = await serviceEscalationSteps(manager, serviceId);
    for (let step = from; step < steps.length; step += 1) {
      const people = (await peopleOfStep(manager, steps[step], now, this.onCall)).filter((id) => !excluded.includes(id));
      if (people.length) return { personIds: people, step };
    }
    return { personIds: [], step: null };
  }

  /** Queues the messages, notes the decision on the timeline and announces it; returns the messages queued. */
  private async notify(manager: EntityManager, obligation: DueObligation, recipients: Recipients, stage: CommunicationDueStage, now: Date): Promise<number> {
    const { incident } = obligation;
    const escalated = stage === CommunicationDueStage.ESCALATED;
    const owed = OWED[obligation.kind];
    const dueAt = `${obligation.dueAt.toISOString().slice(11, 16)} UTC`;
    const subject = `[${incident.priority}] #${incident.number} ${escalated ? 'still missing' : 'overdue'}: ${owed}`;
    const body =
      `Incident #${incident.number} (${incident.priority}) "${incident.title}": ${owed} was due at ${dueAt} and has not been done` +
      `${escalated ? ', after a reminder; it is escalated to you' : ''}. To meet it, ${HOW[obligation.kind]}.`;
    const queued = await planPages(
      manager,
      recipients.personIds.map((personId) => ({
        incidentId: incident.id,
        personId,
        keyPrefix: `cadence:${obligation.id}:${escalated ? 'escalation' : 'reminder'}:${personId}`,
        subject,
        body,
        data: { incidentId: incident.id, number: incident.number, priority: incident.priority, obligationId: obligation.id, kind: obligation.kind, dueAt: obligation.dueAt, stage },
        reason: `cadence ${escalated ? 'escalation' : 'reminder'}: ${obligation.kind}`,
        now,
      })),
    );
    const names: Array<{ name: string }> = recipients.personIds.length
      ? await manager.query(`SELECT name FROM person WHERE id = ANY($1) ORDER BY name`, [recipients.personIds])
      : [];
    const who = names.length ? `${escalated ? 'escalated to' : 'reminded'} ${names.map((row) => row.name).join(', ')}` : `nobody to ${escalated ? 'escalate to' : 'remind'}`;
    await appendTimeline(manager, SYSTEM_ACTOR, {
      incidentId: incident.id,
      kind: escalated ? 'COMMUNICATION_ESCALATED' : 'COMMUNICATION_REMINDER',
      at: now,
      message: `${owed} was due at ${dueAt}: ${who}`,
      data: { obligationId: obligation.id, kind: obligation.kind, dueAt: obligation.dueAt, personIds: recipients.personIds, step: recipients.step, notificationsQueued: queued },
    });
    await manager.query(`SELECT ib_emit_change($1)`, [JSON.stringify({ topic: 'COMMUNICATION_DUE', stage, incidentId: incident.id, obligationIds: [obligation.id] })]);
    return queued;
  }
}

import type { DataSource, EntityManager } from 'typeorm';
import { CommunicationDueStage, type CommunicationKind, type Priority } from '../schema/enums';
import { SYSTEM_ACTOR } from '../shared/actor';
import type { Clock } from '../shared/clock';
import type { OnCallLookup } from './escalation.service';
import { firstStepReaching, type StepRecipients } from './escalation-targets';
import { appendMaintenanceEvent } from './maintenance/maintenance-timeline';
import { announceOutbox, planNotices, planPages } from './notification-planner';
import { appendTimeline } from './timeline.service';

export const REMINDER_BATCH = 100;

/** How each kind reads in a reminder. */
const OWED: Record<CommunicationKind, string> = {
  FIRST_PUBLIC_NOTICE: 'the first public notice',
  PUBLIC_UPDATE: 'the next public (client) update',
  INTERNAL_UPDATE: "the incident team's next internal update",
  STATUS_PAGE_UPDATE: 'the next status page update',
  INCIDENT_CALL: 'the next incident-team call',
  MAINTENANCE_UPDATE: 'the next maintenance status update',
};

const HOW: Record<CommunicationKind, string> = {
  FIRST_PUBLIC_NOTICE: 'post a PUBLIC status update',
  PUBLIC_UPDATE: 'post a PUBLIC status update',
  INTERNAL_UPDATE: 'post an INTERNAL status update',
  STATUS_PAGE_UPDATE: 'post a PUBLIC status update',
  INCIDENT_CALL: 'hold the call and record it (recordIncidentCall)',
  MAINTENANCE_UPDATE: 'post an update on the window (postMaintenanceUpdate)',
};

interface DueIncident {
  type: 'INCIDENT';
  id: string;
  number: number;
  title: string;
  priority: Priority;
  serviceId: string;
  ownerId: string | null;
}

interface DueWindow {
  type: 'MAINTENANCE_WINDOW';
  id: string;
  title: string;
  priority: Priority;
  teamId: string | null;
}

interface DueObligation {
  id: string;
  kind: CommunicationKind;
  dueAt: Date;
  escalateAt: Date;
  reminded: boolean;
  remindedStep: number | null;
  remindedPersonIds: string[];
  subject: DueIncident | DueWindow;
}

/** Who a reminder or escalation reached (step null: the incident owner, the configured reviewer or a window's team). */
type Recipients = StepRecipients;

const CLAIMED = `o.id, o.kind, o.due_at, o.escalate_at, o.reminded_at, o.reminded_step, o.reminded_person_ids`;

/**
 * Reminds and escalates unmet obligations. An incident's: at its due time, one reminder to the incident owner (else
 * whoever the first step of the service's escalation policy reaches now: the on-call); after the grace, one escalation
 * to the next step (the first step when the owner was reminded), leaving out whoever was reminded. A maintenance
 * window's: one reminder to every member of its team (who runs it and owes the update); after the grace, one
 * escalation to the first step of its services' escalation policies that reaches somebody outside the team (the
 * responsible person above the team, as for an incident; the team was already told). Window messages are
 * notifications, not pages, like the window's notices. Each obligation row is claimed with SKIP LOCKED and moved on
 * (next_action_at) in the transaction that decides, and each message has a unique idempotency key
 * (cadence:<obligation>:<stage>:<person>…), so any number of runners decide each once.
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
      const incidents = await this.claimOfIncidents(manager, now, limit);
      const due = incidents.length < limit ? [...incidents, ...(await this.claimOfWindows(manager, now, limit - incidents.length))] : incidents;
      let queued = 0;
      for (const obligation of due) queued += obligation.reminded ? await this.escalate(manager, obligation, now) : await this.remind(manager, obligation, now);
      await announceOutbox(manager, queued);
      return due.length;
    });
  }

  /**
   * Locks due obligations of incidents and their incident (FOR NO KEY UPDATE, the lock transitions and status updates
   * take), skipping both when taken: an incident locked by a status update being posted is left for the next run
   * instead of waited on (that update may meet the obligation). Windows' are claimed apart (claimOfWindows): a row lock cannot be taken on the nullable side of the
   * LEFT JOIN one claim of both would need.
   */
  private async claimOfIncidents(manager: EntityManager, now: Date, limit: number): Promise<DueObligation[]> {
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT ${CLAIMED}, i.id AS incident_id, i.number, i.title, i.priority, i.service_id, i.owner_id
         FROM communication_obligation o JOIN incident i ON i.id = o.incident_id
        WHERE o.next_action_at <= $1
        ORDER BY o.next_action_at LIMIT ${Number(limit)}
        FOR UPDATE OF o SKIP LOCKED FOR NO KEY UPDATE OF i SKIP LOCKED`,
      [now],
    );
    return rows.map((row) => ({
      ...claimed(row),
      subject: {
        type: 'INCIDENT',
        id: row.incident_id as string,
        number: Number(row.number),
        title: row.title as string,
        priority: row.priority as Priority,
        serviceId: row.service_id as string,
        ownerId: row.owner_id as string | null,
      },
    }));
  }

  /** The same for maintenance windows: a window locked by an update being posted (or by its lifecycle job) waits for the next run. */
  private async claimOfWindows(manager: EntityManager, now: Date, limit: number): Promise<DueObligation[]> {
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT ${CLAIMED}, w.id AS window_id, w.title, w.incident_priority, w.team_id
         FROM communication_obligation o JOIN maintenance_window w ON w.id = o.maintenance_window_id
        WHERE o.next_action_at <= $1
        ORDER BY o.next_action_at LIMIT ${Number(limit)}
        FOR UPDATE OF o SKIP LOCKED FOR KEY SHARE OF w SKIP LOCKED`,
      [now],
    );
    return rows.map((row) => ({
      ...claimed(row),
      subject: { type: 'MAINTENANCE_WINDOW', id: row.window_id as string, title: row.title as string, priority: row.incident_priority as Priority, teamId: row.team_id as string | null },
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

  /** The incident owner, else the first step of the service's escalation policy that reaches anybody now; a window's team. */
  private async reminderRecipients(manager: EntityManager, obligation: DueObligation, now: Date): Promise<Recipients> {
    const { subject } = obligation;
    if (subject.type === 'MAINTENANCE_WINDOW') {
      const members: Array<{ person_id: string }> = subject.teamId
        ? await manager.query(`SELECT person_id FROM team_member WHERE team_id = $1 ORDER BY person_id`, [subject.teamId])
        : [];
      return { personIds: members.map((row) => row.person_id), step: null };
    }
    if (subject.ownerId) return { personIds: [subject.ownerId], step: null };
    return firstStepReaching(manager, this.onCall, subject.serviceId, 0, [], now);
  }

  /**
   * An incident's: the step after the one reminded (the first, when the owner was). A window's: the first step, of its
   * services' policies in the order of their names, that reaches somebody. Whoever was reminded is left out.
   */
  private async escalationRecipients(manager: EntityManager, obligation: DueObligation, now: Date): Promise<Recipients> {
    const { subject } = obligation;
    if (subject.type === 'MAINTENANCE_WINDOW') {
      const services: Array<{ service_id: string }> = await manager.query(
        `SELECT ws.service_id FROM maintenance_window_service ws JOIN service s ON s.id = ws.service_id WHERE ws.window_id = $1 ORDER BY s.name, s.id`,
        [subject.id],
      );
      for (const { service_id: serviceId } of services) {
        const recipients = await firstStepReaching(manager, this.onCall, serviceId, 0, obligation.remindedPersonIds, now);
        if (recipients.personIds.length) return recipients;
      }
      return { personIds: [], step: null };
    }
    const from = obligation.remindedStep === null ? 0 : obligation.remindedStep + 1;
    return firstStepReaching(manager, this.onCall, subject.serviceId, from, obligation.remindedPersonIds, now);
  }


  /** Queues the messages, notes the decision on the subject's timeline and announces it; returns the messages queued. */
  private async notify(manager: EntityManager, obligation: DueObligation, recipients: Recipients, stage: CommunicationDueStage, now: Date): Promise<number> {
    const { subject } = obligation;
    const escalated = stage === CommunicationDueStage.ESCALATED;
    const decision = escalated ? 'escalation' : 'reminder';
    const owed = OWED[obligation.kind];
    const dueAt = `${obligation.dueAt.toISOString().slice(11, 16)} UTC`;
    const what = subject.type === 'INCIDENT' ? `Incident #${subject.number} (${subject.priority}) "${subject.title}"` : `Maintenance "${subject.title}"`;
    const subjectLine = `${subject.type === 'INCIDENT' ? `[${subject.priority}] #${subject.number}` : '[maintenance]'} ${escalated ? 'still missing' : 'overdue'}: ${owed}`;
    const body = `${what}: ${owed} was due at ${dueAt} and has not been done${escalated ? ', after a reminder; it is escalated to you' : ''}. To meet it, ${HOW[obligation.kind]}.`;
    const data = { obligationId: obligation.id, kind: obligation.kind, dueAt: obligation.dueAt, stage };
    const reason = `cadence ${decision}: ${obligation.kind}`;
    const queued =
      subject.type === 'INCIDENT'
        ? await planPages(
            manager,
            recipients.personIds.map((personId) => ({
              incidentId: subject.id,
              personId,
              keyPrefix: `cadence:${obligation.id}:${decision}:${personId}`,
              subject: subjectLine,
              body,
              data: { incidentId: subject.id, number: subject.number, priority: subject.priority, ...data },
              reason,
              now,
            })),
          )
        : await planNotices(
            manager,
            recipients.personIds.map((personId) => ({
              maintenanceWindowId: subject.id,
              personId,
              key: `cadence:${obligation.id}:${decision}:${personId}`,
              subject: subjectLine,
              body,
              data: { maintenanceWindowId: subject.id, ...data },
              reason,
              now,
            })),
          );
    const names: Array<{ name: string }> = recipients.personIds.length
      ? await manager.query(`SELECT name FROM person WHERE id = ANY($1) ORDER BY name`, [recipients.personIds])
      : [];
    const who = names.length ? `${escalated ? 'escalated to' : 'reminded'} ${names.map((row) => row.name).join(', ')}` : `nobody to ${escalated ? 'escalate to' : 'remind'}`;
    const entry = {
      kind: escalated ? 'COMMUNICATION_ESCALATED' : 'COMMUNICATION_REMINDER',
      at: now,
      message: `${owed} was due at ${dueAt}: ${who}`,
      data: { obligationId: obligation.id, kind: obligation.kind, dueAt: obligation.dueAt, personIds: recipients.personIds, step: recipients.step, notificationsQueued: queued },
    };
    if (subject.type === 'INCIDENT') await appendTimeline(manager, SYSTEM_ACTOR, { incidentId: subject.id, ...entry });
    else await appendMaintenanceEvent(manager, subject.id, SYSTEM_ACTOR, entry);
    await manager.query(`SELECT ib_emit_change($1)`, [
      JSON.stringify({
        topic: 'COMMUNICATION_DUE',
        stage,
        incidentId: subject.type === 'INCIDENT' ? subject.id : null,
        maintenanceWindowId: subject.type === 'MAINTENANCE_WINDOW' ? subject.id : null,
        obligationIds: [obligation.id],
      }),
    ]);
    return queued;
  }
}

function claimed(row: Record<string, unknown>): Omit<DueObligation, 'subject'> {
  return {
    id: row.id as string,
    kind: row.kind as CommunicationKind,
    dueAt: row.due_at as Date,
    escalateAt: row.escalate_at as Date,
    reminded: row.reminded_at !== null,
    remindedStep: row.reminded_step as number | null,
    remindedPersonIds: row.reminded_person_ids as string[],
  };
}

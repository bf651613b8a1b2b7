import type { DataSource, EntityManager } from 'typeorm';
import type { CommunicationObligation, IncidentCall, IncidentCommunication } from '../schema/communication.entity';
import { CommunicationDueStage, CommunicationKind, IncidentStatus, MaintenanceStatus, type Priority } from '../schema/enums';
import type { Incident } from '../schema/incident.entity';
import type { MaintenanceWindow } from '../schema/maintenance-window.entity';
import type { Actor } from '../shared/actor';
import type { Clock } from '../shared/clock';
import { badInput, notFound } from '../shared/domain-error';
import { CommunicationPolicyService } from './communication-policy.service';
import {
  CADENCE_OF,
  CADENCES,
  cadencesMetBy,
  maintenanceObligation,
  nextObligation,
  openingObligations,
  replan,
  type Cadence,
  type CadenceState,
  type Communication,
  type PlannedObligation,
} from './communication-planner';
import { OPEN_STATUSES } from './incident-transitions';
import { appendTimeline } from './timeline.service';
import { optionalText, requireUuid, textList } from './validation';

/** What an incident's communication needs of it. */
export type CommunicatingIncident = Pick<Incident, 'id' | 'priority' | 'status' | 'openedAt'>;

/** What a maintenance window's communication needs of it: its cadence follows the policy of its incidentPriority. */
export type CommunicatingWindow = Pick<MaintenanceWindow, 'id' | 'incidentPriority' | 'status'>;

/** Who owes an obligation: an incident or a maintenance window (the row's incident_id or maintenance_window_id). */
export type ObligationSubject = { incidentId: string; maintenanceWindowId?: undefined } | { maintenanceWindowId: string; incidentId?: undefined };

/** The obligation's (and notification's) column naming the subject, and its id. */
export function subjectColumn(subject: ObligationSubject): { column: 'incident_id' | 'maintenance_window_id'; id: string } {
  return subject.incidentId !== undefined ? { column: 'incident_id', id: subject.incidentId } : { column: 'maintenance_window_id', id: subject.maintenanceWindowId };
}

export interface RecordCallInput {
  incidentId: string;
  attendees: string[];
  notes?: string | null;
}

/** The latest obligations listed per incident. */
export const OBLIGATIONS_LISTED = 100;
const NOTES_MAX = 20_000;

const OBLIGATION_COLUMNS = `o.id, o.incident_id, o.maintenance_window_id, o.met_by_maintenance_event_id, o.kind, o.due_at, o.escalate_at, o.met_at, o.met_by_status_update_id, o.met_by_call_id,
  o.ended_at, o.ended_reason, o.reminded_at, o.escalated_at`;

export interface ObligationRow {
  id: string;
  incident_id: string | null;
  maintenance_window_id: string | null;
  met_by_maintenance_event_id: string | null;
  kind: CommunicationKind;
  due_at: Date;
  escalate_at: Date;
  met_at: Date | null;
  met_by_status_update_id: string | null;
  met_by_call_id: string | null;
  ended_at: Date | null;
  ended_reason: string | null;
  reminded_at: Date | null;
  escalated_at: Date | null;
}

/**
 * The communication cadence of incidents and maintenance windows as rows: opening an incident plans its first
 * obligations from the policy of its priority; a status update or call meets the open obligation of its cadence and
 * plans the next one; a priority change plans them again; resolving ends them. A window in progress owes an update
 * every maintenanceUpdateMinutes of the policy of its incidentPriority (postMaintenanceUpdate meets it); completing or
 * cancelling it ends that. Every change happens in the transaction of the event that caused it
 * and is announced (communicationDue) on commit. Reminders and escalations: CommunicationReminderService.
 */
export class CommunicationService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The incident opened: its first obligations, after the policy of its priority. */
  async opened(manager: EntityManager, incident: CommunicatingIncident): Promise<void> {
    const policy = await CommunicationPolicyService.of(manager, incident.priority);
    await this.plan(manager, { incidentId: incident.id }, openingObligations(policy, incident.openedAt));
  }

  /** A maintenance window started (inside that transaction): its first update is due, after the policy of its incidentPriority. */
  async maintenanceStarted(manager: EntityManager, window: CommunicatingWindow, startedAt: Date): Promise<void> {
    const policy = await CommunicationPolicyService.of(manager, window.incidentPriority);
    const planned = maintenanceObligation(policy, startedAt);
    await this.plan(manager, { maintenanceWindowId: window.id }, planned ? [planned] : []);
  }

  /**
   * An update was posted on a window (inside that transaction, the window locked): its open MAINTENANCE_UPDATE
   * obligation is met and, while the window is in progress, the next one planned from now.
   */
  async maintenanceUpdated(manager: EntityManager, window: CommunicatingWindow, eventId: string): Promise<void> {
    const now = this.clock.now();
    await this.meet(manager, { maintenanceWindowId: window.id }, ['MAINTENANCE'], now, { maintenanceEventId: eventId });
    if (window.status !== MaintenanceStatus.IN_PROGRESS) return;
    const policy = await CommunicationPolicyService.of(manager, window.incidentPriority);
    const planned = nextObligation(policy, 'MAINTENANCE', now, true);
    await this.plan(manager, { maintenanceWindowId: window.id }, planned ? [planned] : []);
  }

  /** The window completed or was cancelled (inside that transaction): nothing more is owed. */
  async maintenanceEnded(manager: EntityManager, windowId: string, reason: string): Promise<void> {
    await this.endAll(manager, { maintenanceWindowId: windowId }, reason);
  }

  /**
   * A status update was posted or a call held (inside its transaction, the incident locked): the open obligation of
   * each cadence it meets is met, and, while the incident is open, the next one is planned from now.
   */
  async communicated(manager: EntityManager, incident: CommunicatingIncident, communication: Communication, metBy: { statusUpdateId?: string; callId?: string }): Promise<void> {
    const now = this.clock.now();
    const cadences = cadencesMetBy(communication);
    await this.meet(manager, { incidentId: incident.id }, cadences, now, metBy);
    if (!(OPEN_STATUSES as readonly string[]).includes(incident.status)) return;
    const policy = await CommunicationPolicyService.of(manager, incident.priority);
    await this.plan(
      manager,
      { incidentId: incident.id },
      cadences.map((cadence) => nextObligation(policy, cadence, now, true)).filter((planned): planned is PlannedObligation => planned !== null),
    );
  }

  /** The incident's priority changed (inside that transaction): its open obligations are planned again under the new policy. */
  async reprioritized(manager: EntityManager, incident: CommunicatingIncident, from: Priority): Promise<void> {
    if (!(OPEN_STATUSES as readonly string[]).includes(incident.status)) return;
    const policy = await CommunicationPolicyService.of(manager, incident.priority);
    const { end, create } = replan(policy, await this.cadenceStates(manager, incident), this.clock.now());
    await this.end(manager, { incidentId: incident.id }, end, `priority changed from ${from} to ${incident.priority}`);
    await this.plan(manager, { incidentId: incident.id }, create);
  }

  /** The incident resolved (inside that transaction): nothing more is owed. */
  async resolved(manager: EntityManager, incidentId: string): Promise<void> {
    await this.endAll(manager, { incidentId }, 'incident resolved');
  }

  /** `recordIncidentCall`: the call is stored and on the timeline, and meets the call obligation. */
  async recordCall(actor: Actor, input: RecordCallInput): Promise<IncidentCall> {
    requireUuid('incidentId', input.incidentId);
    const attendees = textList('attendees', input.attendees, 100, 200);
    if (!attendees.length) throw badInput('attendees', 'name at least one attendee');
    const notes = optionalText('notes', input.notes, NOTES_MAX);
    return this.db.transaction(async (manager) => {
      const [incident]: Array<{ id: string; priority: Priority; status: IncidentStatus; opened_at: Date }> = await manager.query(
        `SELECT id, priority, status, opened_at FROM incident WHERE id = $1 FOR UPDATE`,
        [input.incidentId],
      );
      if (!incident) throw notFound('incident', input.incidentId);
      const now = this.clock.now();
      const [row] = await manager.query(
        `INSERT INTO incident_call (incident_id, attendees, notes, recorded_by, held_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [incident.id, attendees, notes, actor.name, now],
      );
      const call: IncidentCall = { id: row.id, incidentId: incident.id, attendees, notes, recordedBy: actor.name, heldAt: now };
      await appendTimeline(manager, actor, {
        incidentId: incident.id,
        kind: 'INCIDENT_CALL_RECORDED',
        at: now,
        message: `incident call with ${attendees.join(', ')}${notes ? `: ${notes.slice(0, 500)}` : ''}`,
        data: { callId: call.id, attendees },
      });
      await this.communicated(manager, { id: incident.id, priority: incident.priority, status: incident.status, openedAt: incident.opened_at }, { type: 'CALL' }, { callId: call.id });
      return call;
    });
  }

  /** The calls recorded on these incidents, oldest first. */
  async callsOf(incidentIds: readonly string[]): Promise<IncidentCall[]> {
    return this.db.query(
      `SELECT id, incident_id AS "incidentId", attendees, notes, recorded_by AS "recordedBy", held_at AS "heldAt"
         FROM incident_call WHERE incident_id = ANY($1) ORDER BY held_at, id`,
      [incidentIds],
    );
  }

  /** incident.communication for a batch of incidents, in two statements. */
  forIncidents(incidentIds: readonly string[]): Promise<Map<string, IncidentCommunication>> {
    return this.forSubjects('incident_id', incidentIds);
  }

  /** maintenanceWindow.communication for a batch of windows, in two statements. */
  forMaintenanceWindows(windowIds: readonly string[]): Promise<Map<string, IncidentCommunication>> {
    return this.forSubjects('maintenance_window_id', windowIds);
  }

  private async forSubjects(column: 'incident_id' | 'maintenance_window_id', ids: readonly string[]): Promise<Map<string, IncidentCommunication>> {
    const now = this.clock.now();
    const rows: ObligationRow[] = await this.db.query(
      `SELECT ${OBLIGATION_COLUMNS}
         FROM unnest($1::uuid[]) AS listed (id)
        CROSS JOIN LATERAL (SELECT * FROM communication_obligation c WHERE c.${column} = listed.id ORDER BY c.due_at DESC, c.id DESC LIMIT ${OBLIGATIONS_LISTED}) o
        ORDER BY o.due_at, o.id`,
      [ids],
    );
    const open: Array<{ subject_id: string; next_due_at: Date; overdue: number }> = await this.db.query(
      `SELECT ${column} AS subject_id, min(due_at) AS next_due_at, count(*) FILTER (WHERE due_at <= $2)::int AS overdue
         FROM communication_obligation WHERE ${column} = ANY($1) AND met_at IS NULL AND ended_at IS NULL GROUP BY ${column}`,
      [ids, now],
    );
    const result = new Map<string, IncidentCommunication>(ids.map((id) => [id, { obligations: [], nextDueAt: null, overdueCount: 0 }]));
    for (const row of rows) result.get(row[column] as string)?.obligations.push(toObligation(row, now));
    for (const row of open) Object.assign(result.get(row.subject_id)!, { nextDueAt: row.next_due_at, overdueCount: row.overdue });
    return result;
  }

  async obligationsByIds(ids: readonly string[]): Promise<CommunicationObligation[]> {
    const now = this.clock.now();
    const rows: ObligationRow[] = await this.db.query(`SELECT ${OBLIGATION_COLUMNS} FROM communication_obligation o WHERE o.id = ANY($1)`, [ids]);
    return rows.map((row) => toObligation(row, now));
  }

  /** Meets the subject's open obligations of these cadences, with what met them. */
  private async meet(
    manager: EntityManager,
    subject: ObligationSubject,
    cadences: Cadence[],
    now: Date,
    metBy: { statusUpdateId?: string; callId?: string; maintenanceEventId?: string },
  ): Promise<void> {
    const { column, id } = subjectColumn(subject);
    const met: Array<{ id: string }> = (
      await manager.query(
        `UPDATE communication_obligation SET met_at = $3, met_by_status_update_id = $4, met_by_call_id = $5, met_by_maintenance_event_id = $6, next_action_at = NULL
          WHERE ${column} = $1 AND met_at IS NULL AND ended_at IS NULL AND kind = ANY($2) RETURNING id`,
        [id, kindsOf(cadences), now, metBy.statusUpdateId ?? null, metBy.callId ?? null, metBy.maintenanceEventId ?? null],
      )
    )[0];
    await this.closed(manager, subject, met.map((row) => row.id), CommunicationDueStage.MET);
  }

  /** Writes planned obligations of a subject and announces them, in one statement. */
  private async plan(manager: EntityManager, subject: ObligationSubject, planned: PlannedObligation[]): Promise<void> {
    if (!planned.length) return;
    const { column, id } = subjectColumn(subject);
    await manager.query(
      `WITH inserted AS (
         INSERT INTO communication_obligation (${column}, kind, due_at, escalate_at, next_action_at, created_at)
         SELECT $1, p.kind, p.due_at, p.escalate_at, p.due_at, $5 FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[]) AS p(kind, due_at, escalate_at)
         RETURNING id)
       SELECT ib_emit_change(json_build_object('topic', 'COMMUNICATION_DUE', 'stage', 'SCHEDULED', 'incidentId', $6::uuid, 'maintenanceWindowId', $7::uuid,
                                               'obligationIds', json_agg(id))::text)
         FROM inserted`,
      [
        id,
        planned.map((obligation) => obligation.kind),
        planned.map((obligation) => obligation.dueAt),
        planned.map((obligation) => obligation.escalateAt),
        this.clock.now(),
        subject.incidentId ?? null,
        subject.maintenanceWindowId ?? null,
      ],
    );
  }

  /** Ends every open obligation of the subject, with the reason. */
  private async endAll(manager: EntityManager, subject: ObligationSubject, reason: string): Promise<void> {
    const { column, id } = subjectColumn(subject);
    const open: Array<{ id: string }> = await manager.query(
      `SELECT id FROM communication_obligation WHERE ${column} = $1 AND met_at IS NULL AND ended_at IS NULL FOR UPDATE`,
      [id],
    );
    await this.end(
      manager,
      subject,
      open.map((row) => row.id),
      reason,
    );
  }

  /** Ends open obligations unmet, with the reason. */
  private async end(manager: EntityManager, subject: ObligationSubject, ids: string[], reason: string): Promise<void> {
    if (!ids.length) return;
    await manager.query(`UPDATE communication_obligation SET ended_at = $2, ended_reason = $3, next_action_at = NULL WHERE id = ANY($1)`, [ids, this.clock.now(), reason]);
    await this.closed(manager, subject, ids, CommunicationDueStage.ENDED);
  }

  /** Obligations met or ended: their reminders not yet sent are moot, and subscribers hear of it. */
  private async closed(manager: EntityManager, subject: ObligationSubject, ids: string[], stage: CommunicationDueStage): Promise<void> {
    if (!ids.length) return;
    const { column, id } = subjectColumn(subject);
    await manager.query(
      `UPDATE notification SET status = 'CANCELLED'
        WHERE ${column} = $1 AND status = 'PENDING' AND split_part(idempotency_key, ':', 1) = 'cadence' AND split_part(idempotency_key, ':', 2) = ANY($2)`,
      [id, ids],
    );
    await manager.query(`SELECT ib_emit_change($1)`, [
      JSON.stringify({ topic: 'COMMUNICATION_DUE', stage, incidentId: subject.incidentId ?? null, maintenanceWindowId: subject.maintenanceWindowId ?? null, obligationIds: ids }),
    ]);
  }

  /**
   * Where each cadence of an incident stands: its open obligation, and when it was last met. Read under the incident's
   * lock, which everything that meets or ends its obligations takes first.
   */
  private async cadenceStates(manager: EntityManager, incident: CommunicatingIncident): Promise<CadenceState[]> {
    const rows: Array<{ id: string; kind: CommunicationKind; due_at: Date; met_at: Date | null }> = await manager.query(
      `(SELECT id, kind, due_at, NULL::timestamptz AS met_at FROM communication_obligation WHERE incident_id = $1 AND met_at IS NULL AND ended_at IS NULL)
       UNION ALL
       (SELECT NULL, kind, NULL, max(met_at) FROM communication_obligation WHERE incident_id = $1 AND met_at IS NOT NULL GROUP BY kind)`,
      [incident.id],
    );
    return CADENCES.map((cadence): CadenceState => {
      const ofCadence = rows.filter((row) => CADENCE_OF[row.kind] === cadence);
      const open = ofCadence.find((row) => row.id !== null);
      const lastMet = ofCadence.map((row) => row.met_at).filter((at): at is Date => at !== null).sort((a, b) => b.getTime() - a.getTime())[0];
      return {
        cadence,
        open: open ? { id: open.id, kind: open.kind, dueAt: open.due_at } : null,
        anchor: lastMet ?? incident.openedAt,
        metBefore: lastMet !== undefined,
      };
    });
  }
}

function kindsOf(cadences: Cadence[]): CommunicationKind[] {
  return (Object.keys(CADENCE_OF) as CommunicationKind[]).filter((kind) => cadences.includes(CADENCE_OF[kind]));
}

export function toObligation(row: ObligationRow, now: Date): CommunicationObligation {
  return {
    id: row.id,
    incidentId: row.incident_id,
    maintenanceWindowId: row.maintenance_window_id,
    kind: row.kind,
    dueAt: row.due_at,
    escalateAt: row.escalate_at,
    metAt: row.met_at,
    overdue: row.met_at === null && row.ended_at === null && row.due_at.getTime() <= now.getTime(),
    metByStatusUpdateId: row.met_by_status_update_id,
    metByCallId: row.met_by_call_id,
    metByMaintenanceUpdateId: row.met_by_maintenance_event_id,
    endedAt: row.ended_at,
    endedReason: row.ended_reason,
    remindedAt: row.reminded_at,
    escalatedAt: row.escalated_at,
  };
}

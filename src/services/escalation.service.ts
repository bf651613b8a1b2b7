import type { DataSource, EntityManager } from 'typeorm';
import { ActorType, EscalationState, EscalationTargetType } from '../schema/enums';
import type { Incident } from '../schema/incident.entity';
import { IncidentEscalation, type PolicySnapshot } from '../schema/notification.entity';
import type { Actor } from '../shared/actor';
import { SYSTEM_ACTOR } from '../shared/actor';
import type { Clock } from '../shared/clock';
import { conflict, notFound } from '../shared/domain-error';
import { announceOutbox, cancelPendingPages, planPages } from './notification-planner';
import { TeamService } from './team.service';
import { appendTimeline } from './timeline.service';

/** Who is on call on a schedule at an instant, read inside the escalation's transaction. */
export interface OnCallLookup {
  whoIsOnCallIn(manager: EntityManager, scheduleId: string, at: Date): Promise<{ primary: string[]; backups: string[] }>;
}

const MINUTE = 60_000;
export const ESCALATION_BATCH = 100;

/**
 * Runs escalation policies: step 1 pages when the incident opens; each unacknowledged step hands
 * over to the next after its delay; the policy repeats `repeatCount` times. State lives in
 * incident_escalation (a snapshot of the policy plus the next due time), so any number of
 * runners can claim due rows; acknowledging or resolving stops it in the same transaction.
 */
export class EscalationService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly onCall: OnCallLookup,
  ) {}

  /** Called inside the transaction that opened the incident. */
  async start(manager: EntityManager, incident: Incident): Promise<void> {
    const [policy] = await manager.query(
      `SELECT p.id, p.name, p.repeat_count, p.steps FROM service s JOIN escalation_policy p ON p.id = s.escalation_policy_id WHERE s.id = $1`,
      [incident.serviceId],
    );
    if (!policy || !policy.steps.length) return;
    const snapshot: PolicySnapshot = { policyId: policy.id, name: policy.name, repeatCount: policy.repeat_count, steps: policy.steps };
    const now = this.clock.now();
    const state: EscalationPosition = { stepIndex: 0, repeatIndex: 0, nextDueAt: new Date(now.getTime() + snapshot.steps[0].delayMinutes * MINUTE) };
    await manager.query(
      `INSERT INTO incident_escalation (incident_id, policy_id, policy_snapshot, state, step_index, repeat_index, next_due_at, updated_at)
       VALUES ($1, $2, $3, 'ACTIVE', 0, 0, $4, $5)`,
      [incident.id, policy.id, JSON.stringify(snapshot), state.nextDueAt, now],
    );
    await announceOutbox(manager, await this.notifyStep(manager, incident, snapshot, state, SYSTEM_ACTOR, newBatch(now)));
  }

  /** Called inside the transaction that acknowledged, mitigated or resolved the incident. */
  async stop(manager: EntityManager, incidentId: string, reason: string, actor: Actor): Promise<void> {
    const [rows] = await manager.query(
      `UPDATE incident_escalation SET state = 'STOPPED', next_due_at = NULL, paused_by = NULL, stopped_reason = $2, updated_at = $3
        WHERE incident_id = $1 AND state IN ('ACTIVE','PAUSED') RETURNING step_index`,
      [incidentId, reason, this.clock.now()],
    );
    if (!rows.length) return;
    const cancelled = await cancelPendingPages(manager, incidentId);
    await appendTimeline(manager, actor, {
      incidentId,
      kind: 'ESCALATION_STOPPED',
      at: this.clock.now(),
      message: `escalation stopped (${reason})${cancelled ? `; ${cancelled} pending notification(s) cancelled` : ''}`,
      data: { reason, stepIndex: rows[0].step_index, cancelled },
    });
  }

  /** `escalateIncident`: move on to the next step now. */
  async escalateNow(actor: Actor, incidentId: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const [row] = await this.claim(manager, `e.incident_id = $1`, [incidentId], 1, false);
      if (!row) throw notFound('escalation for incident', incidentId);
      if (row.state !== EscalationState.ACTIVE) throw conflict(`the escalation of this incident is ${row.state}`);
      await announceOutbox(manager, await this.advance(manager, row, actor, newBatch(this.clock.now())));
    });
  }

  /** Claims due escalations (SKIP LOCKED, so concurrent runners split the work) and advances each once. */
  async runDue(limit = ESCALATION_BATCH): Promise<number> {
    return this.db.transaction(async (manager) => {
      const batch = newBatch(this.clock.now());
      const due = await this.claim(manager, `e.state = 'ACTIVE' AND e.next_due_at <= $1`, [batch.now], limit, true);
      let queued = 0;
      for (const row of due) queued += await this.advance(manager, row, SYSTEM_ACTOR, batch);
      await announceOutbox(manager, queued);
      return due.length;
    });
  }

  /** Locks escalation rows with what advancing them needs from their incident, in one statement. */
  private async claim(manager: EntityManager, where: string, params: unknown[], limit: number, skipLocked: boolean): Promise<ClaimedEscalation[]> {
    const rows = await manager.query(
      `SELECT e.incident_id, e.policy_snapshot, e.state, e.step_index, e.repeat_index,
              i.number, i.title, i.priority, i.service_id
         FROM incident_escalation e JOIN incident i ON i.id = e.incident_id
        WHERE ${where}
        ORDER BY e.next_due_at LIMIT ${Number(limit)}
        FOR UPDATE OF e${skipLocked ? ' SKIP LOCKED' : ''}`,
      params,
    );
    return rows.map((row: Record<string, unknown>) => ({
      incident: { id: row.incident_id, number: Number(row.number), title: row.title, priority: row.priority, serviceId: row.service_id },
      snapshot: row.policy_snapshot,
      state: row.state,
      stepIndex: row.step_index,
      repeatIndex: row.repeat_index,
    })) as ClaimedEscalation[];
  }

  /** Escalations whose next step is overdue by more than `graceMs`: runners are not keeping up. */
  async overdue(graceMs: number): Promise<number> {
    const [row] = await this.db.query(`SELECT count(*) FROM incident_escalation WHERE state = 'ACTIVE' AND next_due_at < $1`, [
      new Date(this.clock.now().getTime() - graceMs),
    ]);
    return Number(row.count);
  }

  async forIncidents(incidentIds: readonly string[]): Promise<IncidentEscalation[]> {
    return this.db.getRepository(IncidentEscalation).createQueryBuilder('e').where('e.incident_id = ANY(:ids)', { ids: incidentIds }).getMany();
  }

  /** Moves one claimed escalation to its next step (or ends it); returns the pages queued. */
  private async advance(manager: EntityManager, row: ClaimedEscalation, actor: Actor, batch: StepBatch): Promise<number> {
    const now = batch.now;
    const steps = row.snapshot.steps;
    let stepIndex = row.stepIndex + 1;
    let repeatIndex = row.repeatIndex;
    if (stepIndex >= steps.length) {
      stepIndex = 0;
      repeatIndex += 1;
    }
    if (repeatIndex > row.snapshot.repeatCount) {
      await manager.query(`UPDATE incident_escalation SET state = 'EXHAUSTED', next_due_at = NULL, updated_at = $2 WHERE incident_id = $1`, [row.incident.id, now]);
      await appendTimeline(manager, actor, {
        incidentId: row.incident.id,
        kind: 'ESCALATION_EXHAUSTED',
        at: now,
        message: `escalation policy "${row.snapshot.name}" ran out of steps without an acknowledgement`,
        data: { repeats: row.snapshot.repeatCount },
      });
      return 0;
    }
    const position: EscalationPosition = { stepIndex, repeatIndex, nextDueAt: new Date(now.getTime() + steps[stepIndex].delayMinutes * MINUTE) };
    await manager.query(
      `UPDATE incident_escalation SET step_index = $2, repeat_index = $3, next_due_at = $4, updated_at = $5 WHERE incident_id = $1`,
      [row.incident.id, position.stepIndex, position.repeatIndex, position.nextDueAt, now],
    );
    return this.notifyStep(manager, row.incident, row.snapshot, position, actor, batch);
  }

  /** Pages a step's targets (schedules resolved once per batch) and records the step on the timeline. */
  private async notifyStep(
    manager: EntityManager,
    incident: EscalatingIncident,
    snapshot: PolicySnapshot,
    position: EscalationPosition,
    actor: Actor,
    batch: StepBatch,
  ): Promise<number> {
    const step = snapshot.steps[position.stepIndex];
    const people: string[] = [];
    for (const target of step.targets) {
      if (target.type === EscalationTargetType.PERSON) people.push(target.id);
      else if (target.type === EscalationTargetType.TEAM) {
        let members = batch.teams.get(target.id);
        if (!members) {
          members = TeamService.memberIdsIn(manager, target.id);
          batch.teams.set(target.id, members);
        }
        people.push(...(await members));
      } else {
        let onCall = batch.onCall.get(target.id);
        if (!onCall) {
          onCall = this.onCall.whoIsOnCallIn(manager, target.id, batch.now);
          batch.onCall.set(target.id, onCall);
        }
        const { primary, backups } = await onCall;
        people.push(...primary, ...(target.includeBackups ? backups : []));
      }
    }
    const unique = [...new Set(people)];
    const subject = `[${incident.priority}] #${incident.number} ${incident.title}`;
    const body = `Incident #${incident.number} (${incident.priority}): ${incident.title}. Reply ACK ${incident.number} to acknowledge.`;
    const reason = `escalation step ${position.stepIndex + 1}${position.repeatIndex ? ` (repeat ${position.repeatIndex})` : ''}`;
    const queued = await planPages(
      manager,
      unique.map((personId) => ({
        incidentId: incident.id,
        personId,
        keyPrefix: `escalate:${incident.id}:${position.stepIndex}:${position.repeatIndex}:${personId}`,
        subject,
        body,
        data: { incidentId: incident.id, number: incident.number, priority: incident.priority, step: position.stepIndex + 1 },
        reason,
        now: batch.now,
      })),
    );
    const names = await this.names(manager, unique, batch);
    await appendTimeline(manager, actor.type === ActorType.SYSTEM ? SYSTEM_ACTOR : actor, {
      incidentId: incident.id,
      kind: 'ESCALATION_STEP',
      at: batch.now,
      message: unique.length
        ? `escalation step ${position.stepIndex + 1} of ${snapshot.steps.length}: paging ${names.join(', ')}`
        : `escalation step ${position.stepIndex + 1}: nobody to page (no one on call)`,
      data: { stepIndex: position.stepIndex, repeatIndex: position.repeatIndex, personIds: unique, notificationsQueued: queued, nextDueAt: position.nextDueAt },
    });
    return queued;
  }

  /** People's names for the timeline, remembered for the rest of the batch. */
  private async names(manager: EntityManager, personIds: string[], batch: StepBatch): Promise<string[]> {
    const missing = personIds.filter((id) => !batch.names.has(id));
    if (missing.length) {
      const rows: Array<{ id: string; name: string }> = await manager.query(`SELECT id, name FROM person WHERE id = ANY($1)`, [missing]);
      for (const row of rows) batch.names.set(row.id, row.name);
    }
    return personIds.map((id) => batch.names.get(id) ?? id).sort();
  }
}

type EscalatingIncident = Pick<Incident, 'id' | 'number' | 'title' | 'priority' | 'serviceId'>;

interface EscalationPosition {
  stepIndex: number;
  repeatIndex: number;
  nextDueAt: Date;
}

interface ClaimedEscalation {
  incident: EscalatingIncident;
  snapshot: PolicySnapshot;
  state: EscalationState;
  stepIndex: number;
  repeatIndex: number;
}

/** What a batch of steps shares: one instant, so each schedule's on-call is looked up once. */
interface StepBatch {
  now: Date;
  onCall: Map<string, Promise<{ primary: string[]; backups: string[] }>>;
  teams: Map<string, Promise<string[]>>;
  names: Map<string, string>;
}

function newBatch(now: Date): StepBatch {
  return { now, onCall: new Map(), teams: new Map(), names: new Map() };
}

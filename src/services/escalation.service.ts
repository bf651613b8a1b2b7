import type { DataSource, EntityManager } from 'typeorm';
import { ActorType, EscalationState, EscalationTargetType } from '../schema/enums';
import type { Incident } from '../schema/incident.entity';
import { IncidentEscalation, type PolicySnapshot } from '../schema/notification.entity';
import type { Actor } from '../shared/actor';
import { SYSTEM_ACTOR } from '../shared/actor';
import type { Clock } from '../shared/clock';
import { conflict, notFound } from '../shared/domain-error';
import { cancelPendingPages, planPage } from './notification-planner';
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
    const row = manager.create(IncidentEscalation, {
      incidentId: incident.id,
      policyId: policy.id,
      policySnapshot: snapshot,
      state: EscalationState.ACTIVE,
      stepIndex: 0,
      repeatIndex: 0,
      nextDueAt: new Date(now.getTime() + snapshot.steps[0].delayMinutes * MINUTE),
      stoppedReason: null,
      updatedAt: now,
    });
    await manager.getRepository(IncidentEscalation).insert(row);
    await this.notifyStep(manager, incident, row, SYSTEM_ACTOR, now);
  }

  /** Called inside the transaction that acknowledged, mitigated or resolved the incident. */
  async stop(manager: EntityManager, incidentId: string, reason: string, actor: Actor): Promise<void> {
    const [rows] = await manager.query(
      `UPDATE incident_escalation SET state = 'STOPPED', next_due_at = NULL, stopped_reason = $2, updated_at = $3
        WHERE incident_id = $1 AND state = 'ACTIVE' RETURNING step_index`,
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
  async escalateNow(actor: Actor, incidentId: string): Promise<IncidentEscalation> {
    return this.db.transaction(async (manager) => {
      const row = await manager
        .getRepository(IncidentEscalation)
        .createQueryBuilder('e')
        .setLock('pessimistic_write')
        .where('e.incident_id = :incidentId', { incidentId })
        .getOne();
      if (!row) throw notFound('escalation for incident', incidentId);
      if (row.state !== EscalationState.ACTIVE) throw conflict(`the escalation of this incident is ${row.state}`);
      await this.advance(manager, row, actor);
      return row;
    });
  }

  /** Claims due escalations (SKIP LOCKED, so concurrent runners split the work) and advances each once. */
  async runDue(limit = ESCALATION_BATCH): Promise<number> {
    return this.db.transaction(async (manager) => {
      const due = await manager
        .getRepository(IncidentEscalation)
        .createQueryBuilder('e')
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .where(`e.state = 'ACTIVE' AND e.next_due_at <= :now`, { now: this.clock.now() })
        .orderBy('e.next_due_at', 'ASC')
        .limit(limit)
        .getMany();
      for (const row of due) await this.advance(manager, row, SYSTEM_ACTOR);
      return due.length;
    });
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

  private async advance(manager: EntityManager, row: IncidentEscalation, actor: Actor): Promise<void> {
    const now = this.clock.now();
    const steps = row.policySnapshot.steps;
    let stepIndex = row.stepIndex + 1;
    let repeatIndex = row.repeatIndex;
    if (stepIndex >= steps.length) {
      stepIndex = 0;
      repeatIndex += 1;
    }
    if (repeatIndex > row.policySnapshot.repeatCount) {
      row.state = EscalationState.EXHAUSTED;
      row.nextDueAt = null;
      row.updatedAt = now;
      await manager.getRepository(IncidentEscalation).save(row);
      await appendTimeline(manager, actor, {
        incidentId: row.incidentId,
        kind: 'ESCALATION_EXHAUSTED',
        at: now,
        message: `escalation policy "${row.policySnapshot.name}" ran out of steps without an acknowledgement`,
        data: { repeats: row.policySnapshot.repeatCount },
      });
      return;
    }
    row.stepIndex = stepIndex;
    row.repeatIndex = repeatIndex;
    row.nextDueAt = new Date(now.getTime() + steps[stepIndex].delayMinutes * MINUTE);
    row.updatedAt = now;
    await manager.getRepository(IncidentEscalation).save(row);
    const [incident] = await manager.query(`SELECT id, number, title, priority, service_id AS "serviceId" FROM incident WHERE id = $1`, [row.incidentId]);
    await this.notifyStep(manager, incident, row, actor, now);
  }

  private async notifyStep(
    manager: EntityManager,
    incident: Pick<Incident, 'id' | 'number' | 'title' | 'priority' | 'serviceId'>,
    row: IncidentEscalation,
    actor: Actor,
    now: Date,
  ): Promise<void> {
    const step = row.policySnapshot.steps[row.stepIndex];
    const people: string[] = [];
    for (const target of step.targets) {
      if (target.type === EscalationTargetType.PERSON) people.push(target.id);
      else {
        const onCall = await this.onCall.whoIsOnCallIn(manager, target.id, now);
        people.push(...onCall.primary, ...(target.includeBackups ? onCall.backups : []));
      }
    }
    const unique = [...new Set(people)];
    const subject = `[${incident.priority}] #${incident.number} ${incident.title}`;
    const body = `Incident #${incident.number} (${incident.priority}): ${incident.title}. Reply ACK ${incident.number} to acknowledge.`;
    let queued = 0;
    for (const personId of unique) {
      queued += await planPage(manager, {
        incidentId: incident.id,
        personId,
        keyPrefix: `escalate:${incident.id}:${row.stepIndex}:${row.repeatIndex}:${personId}`,
        subject,
        body,
        data: { incidentId: incident.id, number: incident.number, priority: incident.priority, step: row.stepIndex + 1 },
        reason: `escalation step ${row.stepIndex + 1}${row.repeatIndex ? ` (repeat ${row.repeatIndex})` : ''}`,
        now,
      });
    }
    const names: Array<{ name: string }> = unique.length ? await manager.query(`SELECT name FROM person WHERE id = ANY($1) ORDER BY name`, [unique]) : [];
    await appendTimeline(manager, actor.type === ActorType.SYSTEM ? SYSTEM_ACTOR : actor, {
      incidentId: incident.id,
      kind: 'ESCALATION_STEP',
      at: now,
      message: unique.length
        ? `escalation step ${row.stepIndex + 1} of ${row.policySnapshot.steps.length}: paging ${names.map((n) => n.name).join(', ')}`
        : `escalation step ${row.stepIndex + 1}: nobody to page (no one on call)`,
      data: { stepIndex: row.stepIndex, repeatIndex: row.repeatIndex, personIds: unique, notificationsQueued: queued, nextDueAt: row.nextDueAt },
    });
  }
}

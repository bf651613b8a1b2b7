import type { DataSource, EntityManager } from 'typeorm';
import { emitChange } from '../db/changes';
import type { Clock } from '../shared/clock';
import { handoffNotices } from './handoff-notices';
import { announceOutbox, planNotices } from './notification-planner';
import { MAX_TIMELINE_PIECES } from './on-call.service';
import { estimatedPieces, nextHandoff, sameOnCall, whoIsOnCall, type OnCallNow } from './rota';
import { type ScheduleStore, toDefinition } from './schedule.store';

/** Schedules one claim of the handoff job takes at most. */
export const HANDOFF_BATCH = 50;
/** How far ahead a handoff is looked for; a schedule that changes hands less often is looked at again after this. */
export const HANDOFF_LOOKAHEAD_DAYS = 14;
/**
 * Handoffs missed by longer than this (no instance ran the job) are not announced one by one, hours late: one change
 * at the current instant says who is on call now.
 */
export const MAX_CATCH_UP_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** What schedule_handoff_state holds for a schedule: who was last announced as on call, and when that next changes. */
export interface HandoffState {
  scheduleId: string;
  /** Null until first computed (schedules older than the table). */
  onCall: OnCallNow | null;
  onCallSince: Date | null;
  nextHandoffAt: Date;
}

interface Computed {
  scheduleName: string;
  onCall: OnCallNow;
  nextHandoffAt: Date;
}

/**
 * Handoffs as events: each schedule's row in schedule_handoff_state says who is on call and when the resolved shifts
 * next hand over (across DST: src/services/rota). The handoff job claims due rows with SKIP LOCKED, so every
 * handoff is decided once across instances, and emits ON_CALL_CHANGED when who is on call actually changed.
 * Schedule edits recompute the row in their own transaction (`scheduleEdited`), announcing the edit
 * (SCHEDULE_UPDATED) and, when it changed who is on call now, ON_CALL_CHANGED. Every change of the person on call
 * also tells the people whose shift ends and starts (handoff-notices.ts), through the outbox, in that transaction.
 */
export class HandoffService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly store: ScheduleStore,
  ) {}

  /** In the transaction of an edit of the schedule, after its writes. */
  async scheduleEdited(manager: EntityManager, scheduleId: string): Promise<void> {
    const now = this.clock.now();
    // Locked before the schedule is read: a concurrent edit or handoff of this schedule commits first, and is seen.
    const [previous] = await this.claim(manager, 'schedule_id = $1', [scheduleId], 1, false);
    const computed = await this.computeAt(manager, scheduleId, now);
    const changed = previous?.onCall ? !sameOnCall(previous.onCall, computed.onCall) : false;
    await this.write(manager, scheduleId, computed, previous?.onCallSince && !changed ? previous.onCallSince : now);
    if (changed && previous?.onCall) await this.announce(manager, scheduleId, now, previous.onCall, computed);
    await emitChange(manager, { topic: 'SCHEDULE_UPDATED', scheduleId, deleted: false });
  }

  /** In the transaction that deletes the schedule (its state goes with it). */
  async scheduleDeleted(manager: EntityManager, scheduleId: string): Promise<void> {
    await emitChange(manager, { topic: 'SCHEDULE_UPDATED', scheduleId, deleted: true });
  }

  /** Hands over every schedule whose next handoff has passed, at most `limit`; returns how many were claimed. */
  async runDue(limit = HANDOFF_BATCH): Promise<number> {
    return this.db.transaction(async (manager) => {
      const now = this.clock.now();
      const due = await this.claim(manager, 'next_handoff_at <= $1', [now], limit, true);
      for (const state of due) await this.handOver(manager, state, now);
      return due.length;
    });
  }

  /** The stored state of a schedule, or null when it has none (unknown schedule). */
  async stateOf(scheduleId: string): Promise<HandoffState | null> {
    const [state] = await this.claim(this.db.manager, 'schedule_id = $1', [scheduleId], 1, null);
    return state ?? null;
  }

  /** Every handoff of the schedule up to `now`, each announced at its own instant (one at now after a long outage). */
  private async handOver(manager: EntityManager, state: HandoffState, now: Date): Promise<void> {
    let { onCall, onCallSince } = state;
    let due = state.nextHandoffAt;
    for (;;) {
      const at = onCall === null || now.getTime() - due.getTime() > MAX_CATCH_UP_MS ? now : due;
      const computed = await this.computeAt(manager, state.scheduleId, at);
      if (onCall === null || !sameOnCall(onCall, computed.onCall)) {
        if (onCall !== null) await this.announce(manager, state.scheduleId, at, onCall, computed);
        onCallSince = at;
      }
      onCall = computed.onCall;
      due = computed.nextHandoffAt;
      if (due.getTime() > now.getTime()) return this.write(manager, state.scheduleId, computed, onCallSince ?? at);
    }
  }

  /** Who is on call at `at` and when that next changes (or when to look again, when nothing changes within the look-ahead). */
  private async computeAt(manager: EntityManager, scheduleId: string, at: Date): Promise<Computed> {
    const schedule = await this.store.getIn(manager, scheduleId, 'scheduleId');
    const until = lookAhead(toDefinition(schedule, []), at);
    const [overrides] = await this.store.overridesOf(manager, [schedule.id], { from: at, to: until }, 'by creation');
    const definition = toDefinition(schedule, overrides);
    const handoff = nextHandoff(definition, at, until);
    return { scheduleName: schedule.name, onCall: whoIsOnCall(definition, at), nextHandoffAt: handoff?.at ?? until };
  }

  /** Who is on call changed at `at`: the change for subscribers, and the notices for the people whose shift ends and starts. */
  private async announce(manager: EntityManager, scheduleId: string, at: Date, previous: OnCallNow, next: Computed): Promise<void> {
    await emitChange(manager, { topic: 'ON_CALL_CHANGED', scheduleId, at: at.toISOString(), primary: next.onCall.primary, backups: next.onCall.backups });
    const notices = handoffNotices({ scheduleId, scheduleName: next.scheduleName, at, previous, next: next.onCall, now: this.clock.now() });
    await announceOutbox(manager, await planNotices(manager, notices));
  }

  private async claim(manager: EntityManager, where: string, params: unknown[], limit: number, skipLocked: boolean | null): Promise<HandoffState[]> {
    const lock = skipLocked === null ? '' : skipLocked ? 'FOR UPDATE SKIP LOCKED' : 'FOR UPDATE';
    const rows: Array<{ schedule_id: string; primary_ids: string[] | null; backup_ids: string[] | null; on_call_since: Date | null; next_handoff_at: Date }> = await manager.query(
      `SELECT schedule_id, primary_ids, backup_ids, on_call_since, next_handoff_at FROM schedule_handoff_state
        WHERE ${where} ORDER BY next_handoff_at LIMIT ${Number(limit)} ${lock}`,
      params,
    );
    return rows.map((row) => ({
      scheduleId: row.schedule_id,
      onCall: row.primary_ids === null ? null : { primary: row.primary_ids, backups: row.backup_ids ?? [] },
      onCallSince: row.on_call_since,
      nextHandoffAt: row.next_handoff_at,
    }));
  }

  private async write(manager: EntityManager, scheduleId: string, computed: Computed, onCallSince: Date): Promise<void> {
    await manager.query(
      `INSERT INTO schedule_handoff_state (schedule_id, primary_ids, backup_ids, on_call_since, next_handoff_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (schedule_id) DO UPDATE SET primary_ids = $2, backup_ids = $3, on_call_since = $4, next_handoff_at = $5, updated_at = $6`,
      [scheduleId, computed.onCall.primary, computed.onCall.backups, onCallSince, computed.nextHandoffAt, this.clock.now()],
    );
  }
}

/**
 * The end of the range a handoff is looked for in: HANDOFF_LOOKAHEAD_DAYS, shortened (to an hour at least) for a
 * schedule whose layers change hands so often that resolving that far would cost more than one resolution may.
 */
function lookAhead(definition: Parameters<typeof estimatedPieces>[0], at: Date): Date {
  const full = HANDOFF_LOOKAHEAD_DAYS * 24 * HOUR_MS;
  const pieces = estimatedPieces(definition, at, new Date(at.getTime() + full));
  const span = pieces > MAX_TIMELINE_PIECES ? Math.max(HOUR_MS, Math.floor((full * MAX_TIMELINE_PIECES) / pieces)) : full;
  return new Date(at.getTime() + span);
}

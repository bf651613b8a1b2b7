import type { DataSource, EntityManager } from 'typeorm';
import type { Schedule, ScheduleGap, ScheduleShift, ScheduleTimeline, ScheduleWarning } from '../schema/schedule.entity';
import type { Clock } from '../shared/clock';
import { badInput, notFound } from '../shared/domain-error';
import { WorkBudget, yieldToEventLoop } from '../shared/work-budget';
import { estimatedPieces, type OnCallNow, resolveShifts, type Schedule as ScheduleDefinition, whoIsOnCall } from './rota';
import { type ScheduleStore, toDefinition } from './schedule.store';
import { isValidDate, requireUuid } from './validation';

export type { OnCallNow };

/**
 * Where a resolution reads its schedule: by default the store; a request passes its per-request loader, so the
 * fields of one query (whoIsOnCall and shifts side by side) share one read of the schedule.
 */
export interface ScheduleReader {
  load(id: string): Promise<Schedule | null>;
}

/** Schedule.warnings looks this far ahead. */
export const WARNING_HORIZON_DAYS = 14;
const DAY_MS = 86_400_000;
/** The longest range a timeline (shifts, gaps) is resolved over on request: a quarter and then some. */
export const MAX_TIMELINE_DAYS = 100;
/**
 * The most pieces (handoffs, window cuts, overrides) one resolution may produce: ~40 ms of synchronous work on
 * this machine (each piece is a time-zone conversion, ~20 µs), so one resolution never holds up other requests
 * for long. Two years of 8-hour shifts fit; a schedule of four hourly layers reaches it in 20 days, and the error
 * says how many would fit.
 */
export const MAX_TIMELINE_PIECES = 2_000;

/**
 * Who is on call, when, and where nobody is: stored schedules resolved by the pure rota module (src/services/rota),
 * each resolution bounded by MAX_TIMELINE_PIECES and charged to the request's work budget.
 */
export class OnCallService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly store: ScheduleStore,
  ) {}

  /**
   * Who to page at `at` (default: now by the clock): person ids of the primary (empty in a gap),
   * then the backups in order, without duplicates. NOT_FOUND for an unknown schedule.
   */
  async whoIsOnCall(scheduleId: string, at: Date = this.clock.now(), schedules?: ScheduleReader): Promise<OnCallNow> {
    if (!schedules) return this.whoIsOnCallIn(this.db.manager, scheduleId, at);
    if (!isValidDate(at)) throw badInput('at', 'must be a valid date-time');
    // The overrides need only the id: read beside the schedule, in the same round trip.
    const id = requireUuid('scheduleId', scheduleId);
    const [schedule, [overrides]] = await Promise.all([
      this.read(schedules, id),
      this.store.overridesOf(this.db.manager, [id], { from: at, to: new Date(at.getTime() + 1) }, 'by creation'),
    ]);
    return whoIsOnCall(toDefinition(schedule, overrides), at);
  }

  /** whoIsOnCall inside the caller's transaction. */
  async whoIsOnCallIn(manager: EntityManager, scheduleId: string, at: Date = this.clock.now()): Promise<OnCallNow> {
    if (!isValidDate(at)) throw badInput('at', 'must be a valid date-time');
    const definition = await this.store.definitionIn(manager, scheduleId, { from: at, to: new Date(at.getTime() + 1) });
    return whoIsOnCall(definition, at);
  }

  /** The resolved timeline in [from, to): shifts (person, layer or override) and gaps. */
  async shifts(scheduleId: string, from: Date, to: Date, work = WorkBudget.unlimited(), schedules?: ScheduleReader): Promise<ScheduleTimeline> {
    checkWindow(from, to);
    const manager = this.db.manager;
    const id = requireUuid('scheduleId', scheduleId);
    const [schedule, [overrides]] = await Promise.all([
      schedules ? this.read(schedules, id) : this.store.getIn(manager, id, 'scheduleId'),
      this.store.overridesOf(manager, [id], { from, to }, 'by creation'),
    ]);
    const { shifts, gaps } = resolveWithinBudget(toDefinition(schedule, overrides), from, to, work);
    const layers = new Map(schedule.layers.map((layer) => [layer.id, layer]));
    const overridesById = new Map(overrides.map((override) => [override.id, override]));
    return {
      from,
      to,
      shifts: shifts.map(
        (shift): ScheduleShift => ({
          ...shift,
          layer: shift.layerId ? (layers.get(shift.layerId) ?? null) : null,
          scheduleOverride: shift.overrideId ? (overridesById.get(shift.overrideId) ?? null) : null,
        }),
      ),
      gaps,
    };
  }

  private async read(schedules: ScheduleReader, scheduleId: string): Promise<Schedule> {
    const schedule = await schedules.load(requireUuid('scheduleId', scheduleId));
    if (!schedule) throw notFound('schedule', scheduleId);
    return schedule;
  }

  /** Coverage gaps over the next WARNING_HORIZON_DAYS days. */
  async warnings(scheduleId: string, work = WorkBudget.unlimited()): Promise<ScheduleWarning[]> {
    const from = this.clock.now();
    const { gaps } = await this.shifts(scheduleId, from, warningHorizon(from), work);
    return gaps.map(coverageWarning);
  }

  /** The gaps of already loaded schedules over [from, to): one statement for all their overrides. */
  async gapsOfMany(schedules: readonly Schedule[], from: Date, to: Date, work = WorkBudget.unlimited()): Promise<ScheduleGap[][]> {
    checkWindow(from, to);
    // Schedules come hydrated from every read of the store; one that is not gets its layers now.
    const bare = schedules.filter((schedule) => !Array.isArray(schedule.layers));
    if (bare.length) await this.store.hydrate(this.db.manager, bare);
    const overrides = await this.store.overridesOf(
      this.db.manager,
      schedules.map((schedule) => schedule.id),
      { from, to },
      'by creation',
    );
    const gaps: ScheduleGap[][] = [];
    for (const [index, schedule] of schedules.entries()) {
      // One resolution is synchronous: other requests get their turn between schedules.
      if (index) await yieldToEventLoop();
      gaps.push(resolveWithinBudget(toDefinition(schedule, overrides[index]), from, to, work).gaps);
    }
    return gaps;
  }

  /** warnings() for already loaded schedules, in one statement. */
  async warningsOfMany(schedules: readonly Schedule[], work = WorkBudget.unlimited()): Promise<ScheduleWarning[][]> {
    const from = this.clock.now();
    return (await this.gapsOfMany(schedules, from, warningHorizon(from), work)).map((gaps) => gaps.map(coverageWarning));
  }
}

function warningHorizon(from: Date): Date {
  return new Date(from.getTime() + WARNING_HORIZON_DAYS * DAY_MS);
}

function coverageWarning(gap: ScheduleGap): ScheduleWarning {
  return {
    code: 'COVERAGE_GAP',
    message: `nobody is on call from ${gap.start.toISOString()} to ${gap.end.toISOString()}`,
    start: gap.start,
    end: gap.end,
  };
}

function checkWindow(from: Date, to: Date): void {
  if (!isValidDate(from)) throw badInput('from', 'must be a valid date-time');
  if (!isValidDate(to)) throw badInput('to', 'must be a valid date-time');
  if (to.getTime() < from.getTime()) throw badInput('to', 'must not be before from');
  if (to.getTime() - from.getTime() > MAX_TIMELINE_DAYS * DAY_MS) throw badInput('to', `must be at most ${MAX_TIMELINE_DAYS} days after from`);
}

/**
 * resolveShifts, refused (BAD_USER_INPUT naming `to`) when the range would cost more pieces than one resolution may,
 * and charged to the request's work budget (which refuses when the request's resolutions add up to too much).
 */
function resolveWithinBudget(definition: ScheduleDefinition, from: Date, to: Date, work: WorkBudget): ReturnType<typeof resolveShifts> {
  const pieces = estimatedPieces(definition, from, to);
  if (pieces > MAX_TIMELINE_PIECES) {
    const days = Math.max(1, Math.floor(((to.getTime() - from.getTime()) / DAY_MS) * (MAX_TIMELINE_PIECES / pieces)));
    throw badInput('to', `this schedule changes hands about ${pieces} times in that range (at most ${MAX_TIMELINE_PIECES} per resolution); ask for at most ${days} days`);
  }
  work.spend(pieces, `resolving ${pieces} more pieces of on-call timelines`);
  return resolveShifts(definition, from, to);
}

import { conflictOnDuplicate } from '../db/error-code';
import type { DataSource, EntityManager } from 'typeorm';
import { MaintenanceImpact, MaintenanceKind, MaintenanceStatus, MaintenanceWarning, Priority } from '../schema/enums';
import { MaintenanceEvent, MaintenanceServiceImpact, MaintenanceWindow } from '../schema/maintenance-window.entity';
import { SYSTEM_ACTOR, type Actor } from '../shared/actor';
import type { Clock } from '../shared/clock';
import { badInput, conflict, notFound } from '../shared/domain-error';
import type { Page, PageArgs } from '../shared/page';
import { deriveMaintenanceKind } from './maintenance/maintenance-kind';
import type { MaintenanceCalendarService } from './maintenance/maintenance-calendar.service';
import { changeNotice, dueNotices, sendNotice, type Notice } from './maintenance/maintenance-notices';
import { releaseSuppressedAlerts, windowsInProgress } from './maintenance/maintenance-suppression';
import { announceMaintenance, appendMaintenanceEvent } from './maintenance/maintenance-timeline';
import { canMaintenanceTransition, MAINTENANCE_TRANSITIONS, type MaintenanceAction } from './maintenance/maintenance-transitions';
import { withinOffPeak, type OffPeakHours } from './maintenance/off-peak';
import { decodeTimeCursor, encodeCursor, pageSize } from './pagination';
import { isValidDate, optionalText, requireText, requireUuid } from './validation';

export interface ServiceImpactInput {
  serviceId: string;
  impact: MaintenanceImpact;
}

export interface ScheduleMaintenanceInput {
  title: string;
  description?: string | null;
  serviceIds: string[];
  startsAt: Date;
  endsAt: Date;
  teamId: string;
  /** Per service; a service not listed is expected to be DEGRADED. */
  impact?: ServiceImpactInput[] | null;
  incidentPriority?: Priority | null;
}

export interface UpdateMaintenanceInput {
  title?: string | null;
  description?: string | null;
  serviceIds?: string[] | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  teamId?: string | null;
  impact?: ServiceImpactInput[] | null;
  incidentPriority?: Priority | null;
}

export interface MaintenanceFilter {
  status?: MaintenanceStatus[] | null;
  serviceId?: string | null;
  kind?: MaintenanceKind | null;
  /** Windows still running at or after this instant (endsAt > from). */
  from?: Date | null;
  /** Windows starting before this instant (startsAt < to). */
  to?: Date | null;
}

/**
 * What else happens, in the same transaction, when a window starts or ends (linked incident, suppression, escalations,
 * notices) and when people are to be told of a change. The composition of these is services/index.ts's.
 */
export interface MaintenanceLifecycleHooks {
  started(manager: EntityManager, window: MaintenanceWindow, actor: Actor): Promise<void>;
  /** Returns the alerts it released from suppression, to re-evaluate once the transaction commits. */
  ended(manager: EntityManager, window: MaintenanceWindow, actor: Actor): Promise<string[]>;
  changed(manager: EntityManager, window: MaintenanceWindow, change: MaintenanceChangeKind, actor: Actor): Promise<void>;
  /** An update was posted on the window (its timeline event): it meets the window's communication obligation. */
  posted(manager: EntityManager, window: MaintenanceWindow, eventId: string, actor: Actor): Promise<void>;
  /** The team was given a notice the job decided (a reminder, an hourly one, an overrun): subscribers may be told too. */
  noticed(manager: EntityManager, window: MaintenanceWindow, notice: Notice, at: Date): Promise<void>;
}

export type MaintenanceChangeKind = 'ANNOUNCED' | 'RESCHEDULED' | 'EXTENDED' | 'STARTED' | 'COMPLETED' | 'CANCELLED';

const TITLE_MAX = 500;
const DESCRIPTION_MAX = 20_000;
const REASON_MAX = 2_000;
const UPDATE_MAX = 10_000;
const MAX_SERVICES = 100;
const MAX_DURATION_MS = 30 * 24 * 3600_000;
/** A start this close before now is "now" (clocks differ); earlier is a window in the past. */
const PAST_TOLERANCE_MS = 5 * 60_000;
const TIMELINE_MAX = 500;
export const MAINTENANCE_BATCH = 200;

export interface MaintenanceOptions {
  /** Minutes before a window starts when its team is reminded. */
  reminderMinutes: readonly number[];
}

export const DEFAULT_MAINTENANCE_OPTIONS: MaintenanceOptions = { reminderMinutes: [24 * 60, 60] };

/**
 * Maintenance windows: scheduling (its kind derived from the notice, warnings from off-peak hours), the lifecycle by
 * hand and by the job, each change on the window's own timeline with its actor and announced to maintenanceUpdated.
 */
export class MaintenanceService {
  /**
   * Alerts released from suppression when a window ended, after that commit: the composition root has intake attach
   * them at once (open or join incidents, page). Should this process die first, intake's repair job attaches them.
   */
  onAlertsReleased: ((alertIds: string[]) => Promise<unknown>) | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly calendars: MaintenanceCalendarService,
    private readonly hooks: MaintenanceLifecycleHooks | null = null,
    private readonly options: MaintenanceOptions = DEFAULT_MAINTENANCE_OPTIONS,
  ) {}

  /** Which of these services are in a window in progress, and which window: intake's SuppressionCheck. */
  readonly suppression = (manager: EntityManager, serviceIds: string[]): Promise<Map<string, string>> => windowsInProgress(manager, serviceIds);

  /**
   * One pass of the lifecycle job: windows due to start start, time-driven notices go out, windows whose end passed
   * complete (an overrun when their services still have firing alerts). Claimed with SKIP LOCKED, each decision in the
   * transaction that moves the window, so any number of runners move each window once. Returns windows handled.
   */
  async runDue(limit = MAINTENANCE_BATCH): Promise<number> {
    const released: string[] = [];
    const handled = await this.db.transaction(async (manager) => {
      const now = this.clock.now();
      const due = await this.claim(manager, `(status = 'SCHEDULED' AND starts_at <= $1) OR status = 'IN_PROGRESS'`, [this.reminderHorizon(now)], limit);
      let moved = 0;
      for (const window of due) {
        if (window.status === MaintenanceStatus.SCHEDULED && window.startsAt.getTime() <= now.getTime()) {
          await this.startIn(manager, window, SYSTEM_ACTOR);
          moved += 1;
        }
        for (const notice of dueNotices(window, now, this.options.reminderMinutes)) await this.notify(manager, window, notice, now);
        if (window.status === MaintenanceStatus.IN_PROGRESS && window.endsAt.getTime() <= now.getTime()) {
          await this.noteOverrun(manager, window, now);
          released.push(...(await this.endIn(manager, window, 'complete', SYSTEM_ACTOR)).released);
          moved += 1;
        }
      }
      // Alerts an ingest batch suppressed while their window was ending: nothing else would release them.
      released.push(...(await releaseSuppressedAlerts(manager, null)));
      return moved;
    });
    await this.reevaluate(released);
    return handled;
  }

  /** SCHEDULED windows starting within the longest reminder lead may have a reminder due. */
  private reminderHorizon(now: Date): Date {
    return new Date(now.getTime() + Math.max(0, ...this.options.reminderMinutes) * 60_000);
  }

  private async claim(manager: EntityManager, where: string, params: unknown[], limit: number): Promise<MaintenanceWindow[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id FROM maintenance_window WHERE ${where} ORDER BY starts_at, id LIMIT ${Number(limit)} FOR UPDATE SKIP LOCKED`,
      params,
    );
    if (!rows.length) return [];
    const windows = await manager.getRepository(MaintenanceWindow).createQueryBuilder('w').where('w.id = ANY(:ids)', { ids: rows.map((row) => row.id) }).getMany();
    return windows.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || (a.id < b.id ? -1 : 1));
  }

  /** The end passed without a completion or an extension while its services still have firing alerts: a fact, and a notice. */
  private async noteOverrun(manager: EntityManager, window: MaintenanceWindow, now: Date): Promise<void> {
    const [row] = await manager.query(
      `SELECT count(*)::int AS firing FROM alert WHERE status = 'FIRING' AND service_id IN (SELECT service_id FROM maintenance_window_service WHERE window_id = $1)`,
      [window.id],
    );
    if (!row.firing) return;
    await appendMaintenanceEvent(manager, window.id, SYSTEM_ACTOR, {
      kind: 'OVERRAN',
      at: now,
      message: `reached its end without being completed or extended; ${row.firing} alert(s) still firing on its services`,
      data: { scheduledEnd: window.endsAt, firingAlerts: row.firing },
    });
    await this.notify(manager, window, changeNotice(window, 'OVERRUN', `${row.firing} alert(s) still firing.`), now);
  }

  private async notify(manager: EntityManager, window: MaintenanceWindow, notice: Notice, now: Date): Promise<void> {
    if (await sendNotice(manager, window, notice, now)) await this.hooks?.noticed(manager, window, notice, now);
  }

  private async reevaluate(alertIds: string[]): Promise<void> {
    if (alertIds.length && this.onAlertsReleased) await this.onAlertsReleased(alertIds);
  }

  async get(id: string): Promise<MaintenanceWindow> {
    const window = await this.db.getRepository(MaintenanceWindow).findOneBy({ id: requireUuid('id', id) });
    if (!window) throw notFound('maintenance window', id);
    return window;
  }

  async byIds(ids: readonly string[]): Promise<MaintenanceWindow[]> {
    return this.db.getRepository(MaintenanceWindow).createQueryBuilder('w').where('w.id = ANY(:ids)', { ids }).getMany();
  }

  async servicesOf(windowIds: readonly string[], manager: DataSource | EntityManager = this.db): Promise<MaintenanceServiceImpact[]> {
    return manager
      .getRepository(MaintenanceServiceImpact)
      .createQueryBuilder('s')
      .where('s.window_id = ANY(:ids)', { ids: windowIds })
      .orderBy('s.service_id')
      .getMany();
  }

  /** The windows' timelines, oldest first, at most 500 events each. */
  async timelinesOf(windowIds: readonly string[]): Promise<MaintenanceEvent[]> {
    return this.db.getRepository(MaintenanceEvent).query(
      `SELECT e.id, e.window_id AS "windowId", e.kind, e.at, e.actor_type AS "actorType", e.actor_id AS "actorId", e.actor_name AS "actorName", e.message, e.data
         FROM unnest($1::uuid[]) AS w(id)
         CROSS JOIN LATERAL (SELECT * FROM maintenance_event WHERE window_id = w.id ORDER BY at, seq LIMIT ${TIMELINE_MAX}) e
        ORDER BY e.window_id, e.at, e.seq`,
      [windowIds],
    ).then((rows: MaintenanceEvent[]) => rows.map((row) => Object.assign(new MaintenanceEvent(), row)));
  }

  /** Windows matching the filter, by start then id (earliest first), keyset-paginated. */
  async list(filter: MaintenanceFilter = {}, page: PageArgs = {}): Promise<Page<MaintenanceWindow>> {
    const limit = pageSize(page.first);
    const query = this.db.getRepository(MaintenanceWindow).createQueryBuilder('w');
    if (filter.status?.length) query.andWhere('w.status = ANY(:statuses)', { statuses: filter.status });
    if (filter.kind) query.andWhere('w.kind = :kind', { kind: filter.kind });
    if (filter.serviceId) {
      query.andWhere('EXISTS (SELECT 1 FROM maintenance_window_service s WHERE s.window_id = w.id AND s.service_id = :serviceId)', {
        serviceId: requireUuid('filter.serviceId', filter.serviceId),
      });
    }
    if (filter.from) query.andWhere('w.ends_at > :from', { from: requireDate('filter.from', filter.from) });
    if (filter.to) query.andWhere('w.starts_at < :to', { to: requireDate('filter.to', filter.to) });
    const paged = query.clone();
    if (page.after) {
      const { at, id } = decodeTimeCursor(page.after);
      paged.andWhere('(w.starts_at, w.id) > (:cursorAt, :cursorId::uuid)', { cursorAt: at, cursorId: id });
    }
    const rows = await paged.orderBy('w.starts_at', 'ASC').addOrderBy('w.id', 'ASC').limit(limit + 1).getMany();
    const nodes = rows.slice(0, limit);
    return {
      nodes,
      cursors: nodes.map((row) => encodeCursor(row.startsAt.toISOString(), row.id)),
      hasNextPage: rows.length > limit,
      totalCount: () => query.getCount(),
    };
  }

  /** Announces a window: its kind is derived from the notice given now, with the current calendar. */
  async schedule(actor: Actor, input: ScheduleMaintenanceInput): Promise<MaintenanceWindow> {
    return this.db.transaction(async (manager) => (await this.announceIn(manager, actor, input, null)) as MaintenanceWindow);
  }

  /**
   * Announces one occurrence of a recurrence rule as an ordinary window, in the caller's transaction; null when another
   * instance created it first (the insert is ON CONFLICT DO NOTHING on (recurrence_id, starts_at)).
   */
  scheduleOccurrence(manager: EntityManager, actor: Actor, input: ScheduleMaintenanceInput, recurrenceId: string): Promise<MaintenanceWindow | null> {
    return this.announceIn(manager, actor, input, recurrenceId);
  }

  private async announceIn(manager: EntityManager, actor: Actor, input: ScheduleMaintenanceInput, recurrenceId: string | null): Promise<MaintenanceWindow | null> {
    const now = this.clock.now();
    const title = requireText('title', input.title, TITLE_MAX);
    const description = optionalText('description', input.description, DESCRIPTION_MAX);
    const { startsAt, endsAt } = validDates(input.startsAt, input.endsAt, now, true);
    const serviceIds = validServiceIds('serviceIds', input.serviceIds);
    const impacts = impactsOf(serviceIds, input.impact);
    const teamId = requireUuid('teamId', input.teamId);
    await requireTeam(manager, teamId);
    const offPeak = await requireServices(manager, serviceIds);
    const calendar = await this.calendars.current(manager);
    const { kind, noticeBusinessDays } = deriveMaintenanceKind(calendar, now, startsAt);
    const window = manager.getRepository(MaintenanceWindow).create({
      title,
      description,
      teamId,
      status: MaintenanceStatus.SCHEDULED,
      kind,
      calendar,
      noticeBusinessDays,
      noticeGivenAt: now,
      warnings: warningsOf(offPeak, startsAt, endsAt),
      startsAt,
      endsAt,
      announcedAt: now,
      announcedByType: actor.type,
      announcedById: actor.id,
      announcedByName: actor.name,
      incidentPriority: input.incidentPriority ?? Priority.P1,
      incidentId: null,
      recurrenceId,
      startedAt: null,
      completedAt: null,
      cancelledAt: null,
      cancelReason: null,
      createdAt: now,
      updatedAt: now,
    });
    const inserted = await manager.createQueryBuilder().insert().into(MaintenanceWindow).values(window).orIgnore().returning('id').execute();
    if (!inserted.raw.length) return null;
    window.id = inserted.raw[0].id;
    await replaceImpacts(manager, window.id, impacts);
    await appendMaintenanceEvent(manager, window.id, actor, {
      kind: 'SCHEDULED',
      at: now,
      message: `${kind.toLowerCase()} maintenance scheduled by ${actor.name} for ${startsAt.toISOString()} – ${endsAt.toISOString()} (${noticeBusinessDays} business day(s) of notice)`,
      data: { kind, noticeBusinessDays, startsAt, endsAt, serviceIds, warnings: window.warnings },
    });
    await this.hooks?.changed(manager, window, 'ANNOUNCED', actor);
    await announceMaintenance(manager, window);
    return window;
  }

  /**
   * Changes the fields given. Moving the start re-derives the kind: moving it earlier counts the notice from now (a
   * planned window moved closer can become an emergency, which the timeline says); moving it later keeps the notice
   * already given. A running window keeps its start (extend it to move its end later).
   */
  async update(actor: Actor, id: string, input: UpdateMaintenanceInput): Promise<MaintenanceWindow> {
    return this.db.transaction(async (manager) => {
      const window = await this.lockFor(manager, id, 'update');
      const now = this.clock.now();
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      const set = <K extends keyof MaintenanceWindow>(key: K, value: MaintenanceWindow[K]) => {
        if (JSON.stringify(window[key]) === JSON.stringify(value)) return;
        changes[key] = { from: window[key], to: value };
        window[key] = value;
      };
      if (input.title !== undefined && input.title !== null) set('title', requireText('title', input.title, TITLE_MAX));
      if (input.description !== undefined) set('description', optionalText('description', input.description, DESCRIPTION_MAX));
      if (input.incidentPriority) set('incidentPriority', input.incidentPriority);
      if (input.teamId) {
        await requireTeam(manager, requireUuid('teamId', input.teamId));
        set('teamId', input.teamId.toLowerCase());
      }
      const running = window.status === MaintenanceStatus.IN_PROGRESS;
      if (running && input.startsAt && input.startsAt.getTime() !== window.startsAt.getTime()) throw conflict('startsAt: the window is IN_PROGRESS; it keeps its start', 'startsAt');
      const dates = validDates(input.startsAt ?? window.startsAt, input.endsAt ?? window.endsAt, now, !running && Boolean(input.startsAt));
      const moved = dates.startsAt.getTime() !== window.startsAt.getTime() || dates.endsAt.getTime() !== window.endsAt.getTime();
      const current = await this.servicesOf([window.id], manager);
      const servicesChanged = Boolean(input.serviceIds || input.impact);
      const serviceIds = input.serviceIds ? validServiceIds('serviceIds', input.serviceIds) : current.map((row) => row.serviceId);
      const impacts = servicesChanged
        ? impactsOf(serviceIds, input.impact ?? current.filter((row) => serviceIds.includes(row.serviceId)).map(({ serviceId, impact }) => ({ serviceId, impact })))
        : current;
      const offPeak = await requireServices(manager, serviceIds);
      const previousKind = window.kind;
      if (dates.startsAt.getTime() < window.startsAt.getTime()) {
        const calendar = await this.calendars.current(manager);
        const derived = deriveMaintenanceKind(calendar, now, dates.startsAt);
        set('calendar', calendar);
        set('kind', derived.kind);
        set('noticeBusinessDays', derived.noticeBusinessDays);
        set('noticeGivenAt', now);
      }
      set('startsAt', dates.startsAt);
      set('endsAt', dates.endsAt);
      set('warnings', warningsOf(offPeak, dates.startsAt, dates.endsAt));
      if (servicesChanged) {
        const before = current.map(({ serviceId, impact }) => ({ serviceId, impact }));
        const after = impacts.map(({ serviceId, impact }) => ({ serviceId, impact }));
        if (JSON.stringify(before) !== JSON.stringify(after)) {
          changes.services = { from: before, to: after };
          await replaceImpacts(manager, window.id, after);
        }
      }
      if (!Object.keys(changes).length) return window;
      window.updatedAt = now;
      // A window of a weekly rule moved onto another occurrence of the same rule (one window per rule and start).
      await conflictOnDuplicate(() => manager.save(window), 'startsAt: another window of the same recurrence already starts then');
      await appendMaintenanceEvent(manager, window.id, actor, {
        kind: 'RESCHEDULED',
        at: now,
        message: `${actor.name} changed ${Object.keys(changes).join(', ')}`,
        data: { changes },
      });
      if (window.kind !== previousKind) {
        await appendMaintenanceEvent(manager, window.id, actor, {
          kind: 'KIND_CHANGED',
          at: now,
          message: `now ${window.kind.toLowerCase()} maintenance: moved to start ${window.startsAt.toISOString()} with ${window.noticeBusinessDays} business day(s) of notice`,
          data: { from: previousKind, to: window.kind, noticeBusinessDays: window.noticeBusinessDays },
        });
      }
      if (moved) await this.hooks?.changed(manager, window, 'RESCHEDULED', actor);
      await announceMaintenance(manager, window);
      return window;
    });
  }

  /** Starts a window now (early, by hand); the job starts it at startsAt otherwise. */
  async start(actor: Actor, id: string): Promise<MaintenanceWindow> {
    return this.db.transaction(async (manager) => this.startIn(manager, await this.lockFor(manager, id, 'start'), actor));
  }

  /** Moves the end later; the window keeps running (or, not started yet, runs longer). */
  async extend(actor: Actor, id: string, newEndsAt: Date, reason: string): Promise<MaintenanceWindow> {
    const why = requireText('reason', reason, REASON_MAX);
    return this.db.transaction(async (manager) => {
      const window = await this.lockFor(manager, id, 'extend');
      const now = this.clock.now();
      const endsAt = requireDate('newEndsAt', newEndsAt);
      if (endsAt.getTime() <= window.endsAt.getTime()) throw badInput('newEndsAt', `must be after the current end ${window.endsAt.toISOString()}`);
      if (endsAt.getTime() <= now.getTime()) throw badInput('newEndsAt', 'is in the past');
      if (endsAt.getTime() - window.startsAt.getTime() > MAX_DURATION_MS) throw badInput('newEndsAt', 'a window lasts at most 30 days');
      const previous = window.endsAt;
      window.endsAt = endsAt;
      window.warnings = warningsOf(await requireServices(manager, (await this.servicesOf([window.id], manager)).map((row) => row.serviceId)), window.startsAt, endsAt);
      window.updatedAt = now;
      await manager.save(window);
      await appendMaintenanceEvent(manager, window.id, actor, {
        kind: 'EXTENDED',
        at: now,
        message: `extended by ${actor.name} to ${endsAt.toISOString()}: ${why}`,
        data: { from: previous, to: endsAt, reason: why },
      });
      await this.hooks?.changed(manager, window, 'EXTENDED', actor);
      await announceMaintenance(manager, window);
      return window;
    });
  }

  /**
   * A status update on a window that has not ended, on its timeline (UPDATE_POSTED, the text in data.body): while the
   * window is in progress it meets the MAINTENANCE_UPDATE obligation and the next one is due an hour (the policy's
   * maintenanceUpdateMinutes) later. The automatic hourly notice to the team does not meet it: it says only that the
   * window still runs, while the update says how the work goes (../shared/DOMAIN.md: the status is updated hourly).
   */
  async postUpdate(actor: Actor, id: string, body: string): Promise<{ window: MaintenanceWindow; event: MaintenanceEvent }> {
    const text = requireText('body', body, UPDATE_MAX);
    return this.db.transaction(async (manager) => {
      const window = await this.lockFor(manager, id, 'postUpdate');
      const now = this.clock.now();
      const entry = { kind: MAINTENANCE_TRANSITIONS.postUpdate.kind, at: now, message: `update by ${actor.name}: ${text.slice(0, 500)}`, data: { body: text } };
      const eventId = await appendMaintenanceEvent(manager, window.id, actor, entry);
      await this.hooks?.posted(manager, window, eventId, actor);
      await announceMaintenance(manager, window);
      const event = Object.assign(new MaintenanceEvent(), { id: eventId, windowId: window.id, actorType: actor.type, actorId: actor.id, actorName: actor.name, ...entry });
      return { window, event };
    });
  }

  async complete(actor: Actor, id: string): Promise<MaintenanceWindow> {
    const { window, released } = await this.db.transaction(async (manager) => this.endIn(manager, await this.lockFor(manager, id, 'complete'), 'complete', actor));
    await this.reevaluate(released);
    return window;
  }

  async cancel(actor: Actor, id: string, reason: string): Promise<MaintenanceWindow> {
    const why = requireText('reason', reason, REASON_MAX);
    const { window, released } = await this.db.transaction(async (manager) => this.endIn(manager, await this.lockFor(manager, id, 'cancel'), 'cancel', actor, why));
    await this.reevaluate(released);
    return window;
  }

  /** SCHEDULED → IN_PROGRESS inside the caller's transaction (by hand, or the job at startsAt). */
  async startIn(manager: EntityManager, window: MaintenanceWindow, actor: Actor): Promise<MaintenanceWindow> {
    const now = this.clock.now();
    window.status = MaintenanceStatus.IN_PROGRESS;
    window.startedAt = now;
    window.updatedAt = now;
    await manager.save(window);
    const early = now.getTime() < window.startsAt.getTime();
    await appendMaintenanceEvent(manager, window.id, actor, {
      kind: MAINTENANCE_TRANSITIONS.start.kind,
      at: now,
      message: early ? `started early by ${actor.name}` : `started by ${actor.name}`,
      data: { scheduledStart: window.startsAt, early },
    });
    await this.hooks?.started(manager, window, actor);
    await this.hooks?.changed(manager, window, 'STARTED', actor);
    await announceMaintenance(manager, window);
    return window;
  }

  /** IN_PROGRESS → COMPLETED, or SCHEDULED/IN_PROGRESS → CANCELLED, inside the caller's transaction; with the alerts it released. */
  async endIn(manager: EntityManager, window: MaintenanceWindow, action: 'complete' | 'cancel', actor: Actor, reason?: string): Promise<{ window: MaintenanceWindow; released: string[] }> {
    const now = this.clock.now();
    const wasRunning = window.status === MaintenanceStatus.IN_PROGRESS;
    window.status = MAINTENANCE_TRANSITIONS[action].to;
    window.updatedAt = now;
    if (action === 'complete') window.completedAt = now;
    else {
      window.cancelledAt = now;
      window.cancelReason = reason ?? null;
    }
    await manager.save(window);
    await appendMaintenanceEvent(manager, window.id, actor, {
      kind: MAINTENANCE_TRANSITIONS[action].kind,
      at: now,
      message: action === 'complete' ? `completed by ${actor.name}` : `cancelled by ${actor.name}: ${reason}`,
      data: action === 'complete' ? { scheduledEnd: window.endsAt } : { reason, wasRunning },
    });
    const released = wasRunning ? ((await this.hooks?.ended(manager, window, actor)) ?? []) : [];
    await this.hooks?.changed(manager, window, action === 'complete' ? 'COMPLETED' : 'CANCELLED', actor);
    await announceMaintenance(manager, window);
    return { window, released };
  }

  /** The window, locked for the rest of the transaction; CONFLICT (naming `id`) when the action does not fit its status. */
  private async lockFor(manager: EntityManager, id: string, action: MaintenanceAction): Promise<MaintenanceWindow> {
    const window = await manager
      .getRepository(MaintenanceWindow)
      .createQueryBuilder('w')
      .setLock('pessimistic_write')
      .where('w.id = :id', { id: requireUuid('id', id) })
      .getOne();
    if (!window) throw notFound('maintenance window', id);
    if (!canMaintenanceTransition(action, window.status)) throw conflict(`id: cannot ${action} maintenance window "${window.title}": it is ${window.status}`, 'id');
    return window;
  }
}

function requireDate(field: string, value: Date): Date {
  if (!isValidDate(value)) throw badInput(field, 'must be an ISO-8601 date-time');
  return value;
}

/** startsAt before endsAt, at most 30 days apart, not in the past (a start is checked only when it is being set). */
function validDates(startsAt: Date, endsAt: Date, now: Date, checkStart: boolean): { startsAt: Date; endsAt: Date } {
  requireDate('startsAt', startsAt);
  requireDate('endsAt', endsAt);
  if (checkStart && startsAt.getTime() < now.getTime() - PAST_TOLERANCE_MS) throw badInput('startsAt', 'is in the past');
  if (endsAt.getTime() <= startsAt.getTime()) throw badInput('endsAt', 'must be after startsAt');
  if (endsAt.getTime() <= now.getTime()) throw badInput('endsAt', 'is in the past');
  if (endsAt.getTime() - startsAt.getTime() > MAX_DURATION_MS) throw badInput('endsAt', 'a window lasts at most 30 days');
  return { startsAt, endsAt };
}

export function validServiceIds(field: string, ids: string[]): string[] {
  if (!ids.length) throw badInput(field, 'name at least one service');
  if (ids.length > MAX_SERVICES) throw badInput(field, `at most ${MAX_SERVICES} services`);
  return [...new Set(ids.map((id, index) => requireUuid(`${field}[${index}]`, id)))];
}

/** Each service's expected impact: as given, DEGRADED when not; an impact for a service not in the window is bad input. */
export function impactsOf(serviceIds: string[], given: ServiceImpactInput[] | null | undefined): ServiceImpactInput[] {
  const byService = new Map<string, MaintenanceImpact>();
  if ((given?.length ?? 0) > MAX_SERVICES) throw badInput('impact', `at most ${MAX_SERVICES} entries`);
  (given ?? []).forEach((entry, index) => {
    const serviceId = requireUuid(`impact[${index}].serviceId`, entry.serviceId);
    if (!serviceIds.includes(serviceId)) throw badInput(`impact[${index}].serviceId`, 'is not one of serviceIds');
    byService.set(serviceId, entry.impact);
  });
  return [...serviceIds].sort().map((serviceId) => ({ serviceId, impact: byService.get(serviceId) ?? MaintenanceImpact.DEGRADED }));
}

export async function requireTeam(manager: EntityManager, teamId: string): Promise<void> {
  const [row] = await manager.query(`SELECT 1 FROM team WHERE id = $1`, [teamId]);
  if (!row) throw badInput('teamId', `team ${teamId} does not exist`);
}

/** The services' off-peak hours; BAD_USER_INPUT naming `serviceIds[i]` for one that does not exist. */
export async function requireServices(manager: EntityManager, serviceIds: string[]): Promise<Array<OffPeakHours | null>> {
  const rows: Array<{ id: string; off_peak_hours: OffPeakHours | null }> = await manager.query(`SELECT id, off_peak_hours FROM service WHERE id = ANY($1)`, [serviceIds]);
  const found = new Map(rows.map((row) => [row.id, row.off_peak_hours]));
  const missing = serviceIds.findIndex((id) => !found.has(id));
  if (missing >= 0) throw badInput(`serviceIds[${missing}]`, `service ${serviceIds[missing]} does not exist`);
  return serviceIds.map((id) => found.get(id) ?? null);
}

function warningsOf(offPeak: Array<OffPeakHours | null>, startsAt: Date, endsAt: Date): MaintenanceWarning[] {
  return offPeak.some((hours) => hours && !withinOffPeak(hours, startsAt, endsAt)) ? [MaintenanceWarning.OUTSIDE_OFF_PEAK] : [];
}

async function replaceImpacts(manager: EntityManager, windowId: string, impacts: ServiceImpactInput[]): Promise<void> {
  await manager.query(`DELETE FROM maintenance_window_service WHERE window_id = $1`, [windowId]);
  await manager.query(
    `INSERT INTO maintenance_window_service (window_id, service_id, impact) SELECT $1, s, i FROM unnest($2::uuid[], $3::text[]) AS v(s, i)`,
    [windowId, impacts.map((entry) => entry.serviceId), impacts.map((entry) => entry.impact)],
  );
}

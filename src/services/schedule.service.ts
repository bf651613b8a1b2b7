import type { DataSource, EntityManager } from 'typeorm';
import {
  type DailyWindow,
  type RotationUnit,
  Schedule,
  ScheduleLayer,
  ScheduleOverride,
  type ScheduleGap,
  type ScheduleShift,
  type ScheduleTimeline,
  type ScheduleWarning,
} from '../schema/schedule.entity';
import type { Clock } from '../shared/clock';
import { badInput, notFound } from '../shared/domain-error';
import { WorkBudget, yieldToEventLoop } from '../shared/work-budget';
import { decodeCursor, encodeCursor, type Page, type PageArgs, pageSize } from './pagination';
import {
  estimatedPieces,
  type OnCallNow,
  resolveShifts,
  type Schedule as ScheduleDefinition,
  type ScheduleLayer as LayerDefinition,
  type ScheduleValidationIssue,
  validateSchedule,
  whoIsOnCall,
} from './rota';
import { optionalText, requireText, requireUuid } from './validation';

export type { OnCallNow, ScheduleDefinition };

export interface LayerValues {
  name?: string | null;
  priority?: number | null;
  /** Person ids in rotation order. */
  participants: string[];
  rotation: { unit: RotationUnit; length: number };
  /** Local date-time of the first handoff, '2026-03-01T09:00'. */
  start: string;
  restrictions?: DailyWindow[] | null;
}

export interface CreateScheduleValues {
  name: string;
  timeZone: string;
  layers: LayerValues[];
  backupPersonIds?: string[] | null;
}

/** Omitted or null fields stay as they are; backupPersonIds: [] clears the list. */
export interface UpdateScheduleValues {
  name?: string | null;
  timeZone?: string | null;
  backupPersonIds?: string[] | null;
}

/** Omitted or null fields stay as they are, except restrictions, where null (or []) removes them. */
export interface LayerPatch {
  name?: string | null;
  priority?: number | null;
  participants?: string[] | null;
  rotation?: { unit: RotationUnit; length: number } | null;
  start?: string | null;
  restrictions?: DailyWindow[] | null;
}

export interface OverrideValues {
  scheduleId: string;
  personId: string;
  start: Date;
  end: Date;
}

export const MAX_LAYERS = 20;
export const MAX_PARTICIPANTS = 100;
export const MAX_BACKUPS = 20;
export const MAX_RESTRICTIONS = 24;
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
const MAX_OVERRIDES_LISTED = 1000;

interface PersonRef {
  field: string;
  id: string;
}

/**
 * On-call schedules stored in PostgreSQL, resolved by the pure rota module (src/services/rota).
 * Tables: schedule, schedule_backup, schedule_layer, schedule_layer_participant, schedule_override
 * (see migrations/1764000200000-Schedules.ts). Schedules come back "hydrated": `layers` (each
 * with `participantIds`) and `backupPersonIds` filled in.
 */
export class ScheduleService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  // ---- Resolution -------------------------------------------------------------------------

  /**
   * Who to page at `at` (default: now by the clock): person ids of the primary (empty in a gap),
   * then the backups in order, without duplicates. NOT_FOUND for an unknown schedule.
   */
  async whoIsOnCall(scheduleId: string, at: Date = this.clock.now()): Promise<OnCallNow> {
    return this.whoIsOnCallIn(this.db.manager, scheduleId, at);
  }

  /** whoIsOnCall inside the caller's transaction. */
  async whoIsOnCallIn(manager: EntityManager, scheduleId: string, at: Date = this.clock.now()): Promise<OnCallNow> {
    if (!isValidDate(at)) throw badInput('at', 'must be a valid date-time');
    const definition = await this.loadIn(manager, scheduleId, { from: at, to: new Date(at.getTime() + 1) });
    return whoIsOnCall(definition, at);
  }

  /**
   * The pure definition of a schedule (Dates as Date objects), for src/services/rota. With a
   * window, only the overrides overlapping it are included (enough to resolve inside it).
   */
  async load(scheduleId: string, window?: { from: Date; to: Date }): Promise<ScheduleDefinition> {
    return this.loadIn(this.db.manager, scheduleId, window);
  }

  async loadIn(manager: EntityManager, scheduleId: string, window?: { from: Date; to: Date }): Promise<ScheduleDefinition> {
    const schedule = await this.getIn(manager, scheduleId, 'scheduleId');
    return definitionOf(schedule, await this.overridesIn(manager, schedule.id, window));
  }

  /** The resolved timeline in [from, to): shifts (person, layer or override) and gaps. */
  async shifts(scheduleId: string, from: Date, to: Date, work = WorkBudget.unlimited()): Promise<ScheduleTimeline> {
    checkWindow(from, to);
    const manager = this.db.manager;
    const schedule = await this.getIn(manager, scheduleId, 'scheduleId');
    const overrides = await this.overridesIn(manager, schedule.id, { from, to });
    const { shifts, gaps } = resolveWithinBudget(definitionOf(schedule, overrides), from, to, work);
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

  /** Coverage gaps over the next WARNING_HORIZON_DAYS days. */
  async warnings(scheduleId: string, work = WorkBudget.unlimited()): Promise<ScheduleWarning[]> {
    const from = this.clock.now();
    const { gaps } = await this.shifts(scheduleId, from, warningHorizon(from), work);
    return gaps.map(coverageWarning);
  }

  /** The gaps of already loaded schedules over [from, to): one statement for all their overrides. */
  async gapsOfMany(schedules: readonly Schedule[], from: Date, to: Date, work = WorkBudget.unlimited()): Promise<ScheduleGap[][]> {
    checkWindow(from, to);
    // Schedules come hydrated from every read here; one that is not gets its layers now.
    const bare = schedules.filter((schedule) => !Array.isArray(schedule.layers));
    if (bare.length) await this.hydrate(this.db.manager, bare);
    const overrides = await this.overridesOfMany(
      this.db.manager,
      schedules.map((schedule) => schedule.id),
      { from, to },
    );
    const gaps: ScheduleGap[][] = [];
    for (const schedule of schedules) {
      // One resolution is synchronous: other requests get their turn between schedules.
      if (gaps.length) await yieldToEventLoop();
      gaps.push(resolveWithinBudget(definitionOf(schedule, overrides.get(schedule.id) ?? []), from, to, work).gaps);
    }
    return gaps;
  }

  /** warnings() for already loaded schedules, in one statement. */
  async warningsOfMany(schedules: readonly Schedule[], work = WorkBudget.unlimited()): Promise<ScheduleWarning[][]> {
    const from = this.clock.now();
    return (await this.gapsOfMany(schedules, from, warningHorizon(from), work)).map((gaps) => gaps.map(coverageWarning));
  }

  // ---- Reading ------------------------------------------------------------------------------

  async get(id: string): Promise<Schedule> {
    return this.getIn(this.db.manager, id, 'id');
  }

  /** Schedules by name (then id), keyset-paginated. */
  async list(page: PageArgs = {}): Promise<Page<Schedule>> {
    const limit = pageSize(page.first);
    const query = this.db.getRepository(Schedule).createQueryBuilder('s');
    if (page.after) {
      const { sortKey, id } = decodeCursor(page.after);
      query.where('(s.name, s.id) > (:cursorName, :cursorId::uuid)', { cursorName: sortKey, cursorId: requireUuid('after', id) });
    }
    const rows = await query.orderBy('s.name', 'ASC').addOrderBy('s.id', 'ASC').limit(limit + 1).getMany();
    const nodes = await this.hydrate(this.db.manager, rows.slice(0, limit));
    return {
      nodes,
      cursors: nodes.map((schedule) => encodeCursor(schedule.name, schedule.id)),
      hasNextPage: rows.length > limit,
      totalCount: () => this.db.getRepository(Schedule).count(),
    };
  }

  /** Overrides overlapping [from, to); without a window, those not yet ended. Oldest first. */
  async listOverrides(scheduleId: string, window: { from?: Date | null; to?: Date | null } = {}): Promise<ScheduleOverride[]> {
    const [overrides] = await this.listOverridesOfMany([requireUuid('scheduleId', scheduleId)], window);
    return overrides;
  }

  /** listOverrides() for many schedules in one statement, each list in the order of `scheduleIds`. */
  async listOverridesOfMany(scheduleIds: readonly string[], window: { from?: Date | null; to?: Date | null } = {}): Promise<ScheduleOverride[][]> {
    const from = window.from ?? (window.to ? null : this.clock.now());
    const query = this.db.getRepository(ScheduleOverride).createQueryBuilder('o').where('o.schedule_id = ANY(:ids)', { ids: [...scheduleIds] });
    if (from) query.andWhere('o.ends_at > :from', { from });
    if (window.to) query.andWhere('o.starts_at < :to', { to: window.to });
    const rows = await query.orderBy('o.starts_at', 'ASC').addOrderBy('o.seq', 'ASC').getMany();
    const bySchedule = new Map<string, ScheduleOverride[]>(scheduleIds.map((id) => [id, []]));
    for (const row of rows) {
      const list = bySchedule.get(row.scheduleId);
      if (list && list.length < MAX_OVERRIDES_LISTED) list.push(row);
    }
    return scheduleIds.map((id) => bySchedule.get(id) ?? []);
  }

  // ---- Schedules ----------------------------------------------------------------------------

  async create(input: CreateScheduleValues): Promise<Schedule> {
    const name = requireText('name', input.name, 200);
    if (!Array.isArray(input.layers) || input.layers.length === 0) throw badInput('layers', 'must have at least one layer');
    if (input.layers.length > MAX_LAYERS) throw badInput('layers', `must have at most ${MAX_LAYERS} layers`);
    const layers = input.layers.map((layer, i) => layerDefinition(`layers[${i}]`, `new-${i}`, layer, i));
    const backups = backupList(input.backupPersonIds);
    const definition: ScheduleDefinition = { timeZone: input.timeZone, layers, overrides: [], backups };
    throwIssues(validateSchedule(definition), [['backups', 'backupPersonIds']]);

    return this.db.transaction(async (manager) => {
      await requirePeople(manager, [
        ...layers.flatMap((layer, i) => participantRefs(`layers[${i}].participants`, layer.participants)),
        ...participantRefs('backupPersonIds', backups),
      ]);
      const now = this.clock.now();
      const [{ id }] = await manager.query(`INSERT INTO schedule (name, time_zone, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id`, [
        name,
        definition.timeZone,
        now,
      ]);
      for (const [position, layer] of layers.entries()) await insertLayer(manager, id, position, layer, now);
      await replaceBackups(manager, id, backups);
      return this.getIn(manager, id, 'id');
    });
  }

  async update(id: string, patch: UpdateScheduleValues): Promise<Schedule> {
    return this.db.transaction(async (manager) => {
      const schedule = await this.lockedIn(manager, id, 'id');
      const name = patch.name === undefined || patch.name === null ? schedule.name : requireText('name', patch.name, 200);
      const timeZone = patch.timeZone ?? schedule.timeZone;
      const backups = patch.backupPersonIds === undefined || patch.backupPersonIds === null ? schedule.backupPersonIds : backupList(patch.backupPersonIds);
      const definition = { ...definitionOf(schedule, []), timeZone, backups };
      throwIssues(validateSchedule(definition), [['backups', 'backupPersonIds']]);
      if (backups !== schedule.backupPersonIds) {
        await requirePeople(manager, participantRefs('backupPersonIds', backups));
        await replaceBackups(manager, schedule.id, backups);
      }
      await manager.query(`UPDATE schedule SET name = $2, time_zone = $3, updated_at = $4 WHERE id = $1`, [schedule.id, name, timeZone, this.clock.now()]);
      return this.getIn(manager, schedule.id, 'id');
    });
  }

  /** Deletes the schedule with its layers and overrides; returns its id. */
  async remove(id: string): Promise<string> {
    const scheduleId = requireUuid('id', id);
    const [rows] = await this.db.query(`DELETE FROM schedule WHERE id = $1 RETURNING id`, [scheduleId]);
    if (rows.length === 0) throw notFound('schedule', id);
    return scheduleId;
  }

  // ---- Layers -------------------------------------------------------------------------------

  async addLayer(scheduleId: string, input: LayerValues): Promise<{ layer: ScheduleLayer; schedule: Schedule }> {
    return this.db.transaction(async (manager) => {
      const schedule = await this.lockedIn(manager, scheduleId, 'scheduleId');
      const index = schedule.layers.length;
      if (index >= MAX_LAYERS) throw badInput('scheduleId', `a schedule has at most ${MAX_LAYERS} layers`);
      const layer = layerDefinition('layer', 'new', input, index);
      const current = definitionOf(schedule, []);
      throwIssues(validateSchedule({ ...current, layers: [...current.layers, layer] }), [[`layers[${index}]`, 'layer']]);
      await requirePeople(manager, participantRefs('layer.participants', layer.participants));
      const now = this.clock.now();
      const position = Math.max(-1, ...schedule.layers.map((existing) => existing.position)) + 1;
      const layerId = await insertLayer(manager, schedule.id, position, layer, now);
      await touch(manager, schedule.id, now);
      const updated = await this.getIn(manager, schedule.id, 'scheduleId');
      return { layer: layerOf(updated, layerId), schedule: updated };
    });
  }

  async updateLayer(layerId: string, patch: LayerPatch): Promise<{ layer: ScheduleLayer; schedule: Schedule }> {
    return this.db.transaction(async (manager) => {
      const schedule = await this.lockedIn(manager, await scheduleOfLayer(manager, layerId), 'id');
      const index = schedule.layers.findIndex((layer) => layer.id === layerId.toLowerCase());
      if (index < 0) throw notFound('schedule layer', layerId);
      const current = definitionOf(schedule, []);
      const before = current.layers[index];
      const merged = layerDefinition(
        '',
        before.id,
        {
          name: patch.name ?? before.name,
          priority: patch.priority ?? before.priority,
          participants: patch.participants ?? before.participants,
          rotation: (patch.rotation ?? before.rotation) as LayerValues['rotation'],
          start: patch.start ?? before.start,
          restrictions: patch.restrictions === undefined ? before.restrictions : patch.restrictions,
        },
        index,
      );
      const layers = current.layers.map((layer, i) => (i === index ? merged : layer));
      throwIssues(validateSchedule({ ...current, layers }), [[`layers[${index}].`, '']]);
      if (patch.participants) await requirePeople(manager, participantRefs('participants', merged.participants));
      const now = this.clock.now();
      await manager.query(
        `UPDATE schedule_layer SET name = $2, priority = $3, rotation_unit = $4, rotation_length = $5, start_local = $6, restrictions = $7, updated_at = $8
         WHERE id = $1`,
        [before.id, merged.name, merged.priority, merged.rotation.unit, merged.rotation.length, merged.start, JSON.stringify(merged.restrictions ?? []), now],
      );
      if (patch.participants) await replaceParticipants(manager, before.id, merged.participants);
      await touch(manager, schedule.id, now);
      const updated = await this.getIn(manager, schedule.id, 'id');
      return { layer: layerOf(updated, before.id), schedule: updated };
    });
  }

  /** Removes a layer; a schedule keeps at least one. Returns the schedule. */
  async removeLayer(layerId: string): Promise<Schedule> {
    return this.db.transaction(async (manager) => {
      const schedule = await this.lockedIn(manager, await scheduleOfLayer(manager, layerId), 'id');
      if (schedule.layers.length <= 1) throw badInput('id', 'a schedule keeps at least one layer; delete the schedule instead');
      await manager.query(`DELETE FROM schedule_layer WHERE id = $1`, [layerId.toLowerCase()]);
      await touch(manager, schedule.id, this.clock.now());
      return this.getIn(manager, schedule.id, 'id');
    });
  }

  // ---- Overrides ----------------------------------------------------------------------------

  /** Puts a person on call for [start, end). Overlaps are allowed: the newest override wins. */
  async createOverride(input: OverrideValues): Promise<{ scheduleOverride: ScheduleOverride; schedule: Schedule }> {
    const personId = requireUuid('personId', input.personId);
    if (!isValidDate(input.start)) throw badInput('start', 'must be a valid date-time');
    if (!isValidDate(input.end)) throw badInput('end', 'must be a valid date-time');
    if (input.end.getTime() <= input.start.getTime()) throw badInput('end', 'must be after start');
    return this.db.transaction(async (manager) => {
      const schedule = await this.getIn(manager, input.scheduleId, 'scheduleId');
      await requirePeople(manager, [{ field: 'personId', id: personId }]);
      const [{ id }] = await manager.query(
        `INSERT INTO schedule_override (schedule_id, person_id, starts_at, ends_at, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [schedule.id, personId, input.start, input.end, this.clock.now()],
      );
      const scheduleOverride = await manager.getRepository(ScheduleOverride).findOneByOrFail({ id });
      return { scheduleOverride, schedule };
    });
  }

  async deleteOverride(id: string): Promise<{ deletedOverrideId: string; schedule: Schedule }> {
    const overrideId = requireUuid('id', id);
    return this.db.transaction(async (manager) => {
      const [rows] = await manager.query(`DELETE FROM schedule_override WHERE id = $1 RETURNING schedule_id`, [overrideId]);
      if (rows.length === 0) throw notFound('schedule override', id);
      return { deletedOverrideId: overrideId, schedule: await this.getIn(manager, rows[0].schedule_id, 'id') };
    });
  }

  // ---- Internals ----------------------------------------------------------------------------

  private async getIn(manager: EntityManager, id: string, field: string): Promise<Schedule> {
    const schedule = await manager.getRepository(Schedule).findOneBy({ id: requireUuid(field, id) });
    if (!schedule) throw notFound('schedule', id);
    const [hydrated] = await this.hydrate(manager, [schedule]);
    return hydrated;
  }

  /** The schedule, locked FOR UPDATE for the rest of the transaction, so edits of one schedule serialise. */
  private async lockedIn(manager: EntityManager, id: string, field: string): Promise<Schedule> {
    const rows = await manager.query(`SELECT id FROM schedule WHERE id = $1 FOR UPDATE`, [requireUuid(field, id)]);
    if (rows.length === 0) throw notFound('schedule', id);
    return this.getIn(manager, id, field);
  }

  /** Fills in layers (with participantIds) and backupPersonIds in three statements. */
  private async hydrate(manager: EntityManager, schedules: Schedule[]): Promise<Schedule[]> {
    if (schedules.length === 0) return schedules;
    const ids = schedules.map((schedule) => schedule.id);
    const layers = await manager
      .getRepository(ScheduleLayer)
      .createQueryBuilder('l')
      .where('l.schedule_id = ANY(:ids)', { ids })
      .orderBy('l.position', 'ASC')
      .getMany();
    const participants: Array<{ layer_id: string; person_id: string }> = layers.length
      ? await manager.query(`SELECT layer_id, person_id FROM schedule_layer_participant WHERE layer_id = ANY($1::uuid[]) ORDER BY layer_id, position`, [
          layers.map((layer) => layer.id),
        ])
      : [];
    const backups: Array<{ schedule_id: string; person_id: string }> = await manager.query(
      `SELECT schedule_id, person_id FROM schedule_backup WHERE schedule_id = ANY($1::uuid[]) ORDER BY schedule_id, position`,
      [ids],
    );
    const byLayer = groupIds(participants, (row) => row.layer_id);
    const bySchedule = groupIds(backups, (row) => row.schedule_id);
    for (const layer of layers) layer.participantIds = byLayer.get(layer.id) ?? [];
    for (const schedule of schedules) {
      schedule.layers = layers.filter((layer) => layer.scheduleId === schedule.id);
      schedule.backupPersonIds = bySchedule.get(schedule.id) ?? [];
    }
    return schedules;
  }

  private async overridesIn(manager: EntityManager, scheduleId: string, window?: { from: Date; to: Date }): Promise<ScheduleOverride[]> {
    return (await this.overridesOfMany(manager, [scheduleId], window)).get(scheduleId) ?? [];
  }

  private async overridesOfMany(manager: EntityManager, scheduleIds: string[], window?: { from: Date; to: Date }): Promise<Map<string, ScheduleOverride[]>> {
    const query = manager.getRepository(ScheduleOverride).createQueryBuilder('o').where('o.schedule_id = ANY(:ids)', { ids: scheduleIds });
    if (window) query.andWhere('o.ends_at > :from AND o.starts_at < :to', window);
    // Creation order: the pure resolver lets the most recent win, ties going to the one listed later.
    const rows = await query.orderBy('o.created_at', 'ASC').addOrderBy('o.seq', 'ASC').getMany();
    const bySchedule = new Map<string, ScheduleOverride[]>();
    for (const row of rows) {
      const list = bySchedule.get(row.scheduleId);
      if (list) list.push(row);
      else bySchedule.set(row.scheduleId, [row]);
    }
    return bySchedule;
  }
}

function definitionOf(schedule: Schedule, overrides: ScheduleOverride[]): ScheduleDefinition {
  return {
    timeZone: schedule.timeZone,
    layers: schedule.layers.map(
      (layer): LayerDefinition => ({
        id: layer.id,
        name: layer.name,
        priority: layer.priority,
        participants: [...layer.participantIds],
        rotation: { unit: layer.rotationUnit, length: layer.rotationLength },
        start: layer.start,
        restrictions: layer.restrictions.map((window) => ({ start: window.start, end: window.end })),
      }),
    ),
    overrides: overrides.map((override) => ({
      id: override.id,
      personId: override.personId,
      start: override.start,
      end: override.end,
      createdAt: override.createdAt,
    })),
    backups: [...schedule.backupPersonIds],
  };
}

/** A layer definition from input; shape problems are left to validateSchedule. */
function layerDefinition(path: string, id: string, input: LayerValues, index: number): LayerDefinition {
  const at = (field: string) => (path ? `${path}.${field}` : field);
  if (Array.isArray(input.participants) && input.participants.length > MAX_PARTICIPANTS) {
    throw badInput(at('participants'), `must list at most ${MAX_PARTICIPANTS} people`);
  }
  if (Array.isArray(input.restrictions) && input.restrictions.length > MAX_RESTRICTIONS) {
    throw badInput(at('restrictions'), `must have at most ${MAX_RESTRICTIONS} windows`);
  }
  return {
    id,
    name: optionalText(at('name'), input.name, 200) ?? `Layer ${index + 1}`,
    priority: input.priority ?? 0,
    participants: Array.isArray(input.participants) ? input.participants.map(normaliseId) : input.participants,
    rotation: input.rotation ? { unit: input.rotation.unit, length: input.rotation.length } : input.rotation,
    start: typeof input.start === 'string' ? input.start.trim() : input.start,
    restrictions: (input.restrictions ?? []).map((window) => ({ start: window?.start, end: window?.end })),
  };
}

function backupList(ids: string[] | null | undefined): string[] {
  const list = (ids ?? []).map(normaliseId);
  if (list.length > MAX_BACKUPS) throw badInput('backupPersonIds', `must list at most ${MAX_BACKUPS} people`);
  return [...new Set(list)];
}

function normaliseId(id: string): string {
  return typeof id === 'string' ? id.trim().toLowerCase() : id;
}

/** Throws the first issue as BAD_USER_INPUT, its field renamed by the first matching prefix rule. */
function throwIssues(issues: ScheduleValidationIssue[], renames: Array<[from: string, to: string]>): void {
  if (issues.length === 0) return;
  const [issue] = issues;
  let field = issue.field;
  for (const [from, to] of renames) {
    if (field === from || field.startsWith(from.endsWith('.') ? from : `${from}.`) || field.startsWith(`${from}[`)) {
      field = to + field.slice(from.length);
      break;
    }
  }
  throw badInput(field || 'input', issue.message);
}

function participantRefs(field: string, ids: string[]): PersonRef[] {
  return ids.map((id, i) => ({ field: `${field}[${i}]`, id }));
}

/** Every id must be a UUID of an existing person; BAD_USER_INPUT naming the first that is not. */
async function requirePeople(manager: EntityManager, refs: PersonRef[]): Promise<void> {
  for (const ref of refs) requireUuid(ref.field, ref.id);
  if (refs.length === 0) return;
  const rows: Array<{ id: string }> = await manager.query(`SELECT id FROM person WHERE id = ANY($1::uuid[])`, [[...new Set(refs.map((ref) => ref.id))]]);
  const known = new Set(rows.map((row) => row.id));
  const missing = refs.find((ref) => !known.has(ref.id));
  if (missing) throw badInput(missing.field, `person ${missing.id} does not exist`);
}

async function insertLayer(manager: EntityManager, scheduleId: string, position: number, layer: LayerDefinition, now: Date): Promise<string> {
  const [{ id }] = await manager.query(
    `INSERT INTO schedule_layer (schedule_id, name, priority, position, rotation_unit, rotation_length, start_local, restrictions, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
    [scheduleId, layer.name, layer.priority, position, layer.rotation.unit, layer.rotation.length, layer.start, JSON.stringify(layer.restrictions ?? []), now],
  );
  await replaceParticipants(manager, id, layer.participants);
  return id;
}

async function replaceParticipants(manager: EntityManager, layerId: string, personIds: string[]): Promise<void> {
  await manager.query(`DELETE FROM schedule_layer_participant WHERE layer_id = $1`, [layerId]);
  await manager.query(
    `INSERT INTO schedule_layer_participant (layer_id, position, person_id)
     SELECT $1, ord - 1, person_id FROM unnest($2::uuid[]) WITH ORDINALITY AS t(person_id, ord)`,
    [layerId, personIds],
  );
}

async function replaceBackups(manager: EntityManager, scheduleId: string, personIds: string[]): Promise<void> {
  await manager.query(`DELETE FROM schedule_backup WHERE schedule_id = $1`, [scheduleId]);
  await manager.query(
    `INSERT INTO schedule_backup (schedule_id, position, person_id)
     SELECT $1, ord - 1, person_id FROM unnest($2::uuid[]) WITH ORDINALITY AS t(person_id, ord)`,
    [scheduleId, personIds],
  );
}

async function touch(manager: EntityManager, scheduleId: string, now: Date): Promise<void> {
  await manager.query(`UPDATE schedule SET updated_at = $2 WHERE id = $1`, [scheduleId, now]);
}

async function scheduleOfLayer(manager: EntityManager, layerId: string): Promise<string> {
  const rows: Array<{ schedule_id: string }> = await manager.query(`SELECT schedule_id FROM schedule_layer WHERE id = $1`, [requireUuid('id', layerId)]);
  if (rows.length === 0) throw notFound('schedule layer', layerId);
  return rows[0].schedule_id;
}

function layerOf(schedule: Schedule, layerId: string): ScheduleLayer {
  const layer = schedule.layers.find((candidate) => candidate.id === layerId);
  if (!layer) throw notFound('schedule layer', layerId);
  return layer;
}

function groupIds<T extends { person_id: string }>(rows: T[], key: (row: T) => string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    const list = groups.get(key(row)) ?? [];
    list.push(row.person_id);
    groups.set(key(row), list);
  }
  return groups;
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

function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

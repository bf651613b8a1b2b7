import type { DataSource, EntityManager } from 'typeorm';
import { Schedule, ScheduleLayer, ScheduleOverride } from '../schema/schedule.entity';
import type { Clock } from '../shared/clock';
import { notFound } from '../shared/domain-error';
import { decodeCursor, encodeCursor, pageSize } from './pagination';
import type { Page, PageArgs } from '../shared/page';
import type { Schedule as ScheduleDefinition, ScheduleLayer as LayerDefinition } from './rota';
import { requireUuid } from './validation';

/** Overrides overlapping [from, to); a bound left open does not limit that side. */
export interface OverrideWindow {
  from?: Date | null;
  to?: Date | null;
}

/**
 * 'by start' for people reading the list; 'by creation' for the resolver, where the newest override wins and a
 * tie in created_at goes to the one inserted later (seq).
 */
export type OverrideOrder = 'by start' | 'by creation';

/** Schedule.overrides lists at most this many per schedule. */
export const MAX_OVERRIDES_LISTED = 1000;

/**
 * Every statement on the schedule tables: schedule, schedule_backup, schedule_layer, schedule_layer_participant,
 * schedule_override (see migrations/1764000200000-Schedules.ts). Schedules come back "hydrated": `layers` (each
 * with `participantIds`) and `backupPersonIds` filled in. Overrides are read in one place, overridesOf.
 */
export class ScheduleStore {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  // ---- Schedules ----------------------------------------------------------------------------

  async get(id: string): Promise<Schedule> {
    return this.getIn(this.db.manager, id, 'id');
  }

  /** The hydrated schedule; BAD_USER_INPUT naming `field` for a malformed id, NOT_FOUND for an unknown one. */
  async getIn(manager: EntityManager, id: string, field: string): Promise<Schedule> {
    const [schedule] = await this.byIdsIn(manager, [requireUuid(field, id)]);
    if (!schedule) throw notFound('schedule', id);
    return schedule;
  }

  /** Hydrated schedules by id (ids already checked), in two statements; unknown ids are left out. */
  async byIds(ids: readonly string[]): Promise<Schedule[]> {
    return this.byIdsIn(this.db.manager, ids);
  }

  async byIdsIn(manager: EntityManager, ids: readonly string[]): Promise<Schedule[]> {
    // The layers need only the ids: both statements go out at once (one round trip, not two).
    const [{ entities, raw }, layers] = await Promise.all([
      manager
        .getRepository(Schedule)
        .createQueryBuilder('s')
        .addSelect(`(SELECT coalesce(array_agg(b.person_id ORDER BY b.position), '{}') FROM schedule_backup b WHERE b.schedule_id = s.id)`, 'backup_person_ids')
        .where('s.id = ANY(:ids)', { ids: [...ids] })
        .getRawAndEntities<{ s_id: string; backup_person_ids: string[] }>(),
      this.layersOf(manager, ids),
    ]);
    const backups = new Map(raw.map((row) => [row.s_id, row.backup_person_ids]));
    for (const schedule of entities) {
      schedule.backupPersonIds = backups.get(schedule.id) ?? [];
      schedule.layers = layers.filter((layer) => layer.scheduleId === schedule.id);
    }
    return entities;
  }

  /** The schedule, locked FOR UPDATE for the rest of the transaction, so edits of one schedule serialise. */
  async lockedIn(manager: EntityManager, id: string, field: string): Promise<Schedule> {
    const rows = await manager.query(`SELECT id FROM schedule WHERE id = $1 FOR UPDATE`, [requireUuid(field, id)]);
    if (rows.length === 0) throw notFound('schedule', id);
    return this.getIn(manager, id, field);
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

  /** Fills in layers (with participantIds) and backupPersonIds in two statements. */
  async hydrate(manager: EntityManager, schedules: Schedule[]): Promise<Schedule[]> {
    if (schedules.length === 0) return schedules;
    const backups: Array<{ schedule_id: string; person_id: string }> = await manager.query(
      `SELECT schedule_id, person_id FROM schedule_backup WHERE schedule_id = ANY($1::uuid[]) ORDER BY schedule_id, position`,
      [schedules.map((schedule) => schedule.id)],
    );
    const bySchedule = groupIds(backups, (row) => row.schedule_id);
    for (const schedule of schedules) schedule.backupPersonIds = bySchedule.get(schedule.id) ?? [];
    await this.fillLayers(manager, schedules);
    return schedules;
  }

  /** Each schedule's layers in order, each with its participants in order, in one statement. */
  private async fillLayers(manager: EntityManager, schedules: Schedule[]): Promise<void> {
    if (schedules.length === 0) return;
    const layers = await this.layersOf(manager, schedules.map((schedule) => schedule.id));
    for (const schedule of schedules) schedule.layers = layers.filter((layer) => layer.scheduleId === schedule.id);
  }

  private async layersOf(manager: EntityManager, scheduleIds: readonly string[]): Promise<ScheduleLayer[]> {
    const { entities: layers, raw } = await manager
      .getRepository(ScheduleLayer)
      .createQueryBuilder('l')
      .addSelect(
        `(SELECT coalesce(array_agg(p.person_id ORDER BY p.position), '{}') FROM schedule_layer_participant p WHERE p.layer_id = l.id)`,
        'participant_ids',
      )
      .where('l.schedule_id = ANY(:ids)', { ids: [...scheduleIds] })
      .orderBy('l.position', 'ASC')
      .getRawAndEntities<{ l_id: string; participant_ids: string[] }>();
    const participants = new Map(raw.map((row) => [row.l_id, row.participant_ids]));
    for (const layer of layers) layer.participantIds = participants.get(layer.id) ?? [];
    return layers;
  }


  /**
   * The pure definition of a schedule (Dates as Date objects), for src/services/rota. With a window, only the
   * overrides overlapping it are included (enough to resolve inside it).
   */
  async definition(scheduleId: string, window: OverrideWindow = {}): Promise<ScheduleDefinition> {
    return this.definitionIn(this.db.manager, scheduleId, window);
  }

  async definitionIn(manager: EntityManager, scheduleId: string, window: OverrideWindow = {}): Promise<ScheduleDefinition> {
    const schedule = await this.getIn(manager, scheduleId, 'scheduleId');
    const [overrides] = await this.overridesOf(manager, [schedule.id], window, 'by creation');
    return toDefinition(schedule, overrides);
  }

  async insertSchedule(manager: EntityManager, values: { name: string; timeZone: string }, now: Date): Promise<string> {
    const [{ id }] = await manager.query(`INSERT INTO schedule (name, time_zone, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id`, [
      values.name,
      values.timeZone,
      now,
    ]);
    return id;
  }

  async updateSchedule(manager: EntityManager, id: string, values: { name: string; timeZone: string }, now: Date): Promise<void> {
    await manager.query(`UPDATE schedule SET name = $2, time_zone = $3, updated_at = $4 WHERE id = $1`, [id, values.name, values.timeZone, now]);
  }

  /** Deletes the schedule with its layers and overrides. */
  async deleteSchedule(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`DELETE FROM schedule WHERE id = $1`, [id]);
  }

  async touch(manager: EntityManager, scheduleId: string, now: Date): Promise<void> {
    await manager.query(`UPDATE schedule SET updated_at = $2 WHERE id = $1`, [scheduleId, now]);
  }

  async replaceBackups(manager: EntityManager, scheduleId: string, personIds: string[]): Promise<void> {
    await manager.query(`DELETE FROM schedule_backup WHERE schedule_id = $1`, [scheduleId]);
    await manager.query(
      `INSERT INTO schedule_backup (schedule_id, position, person_id)
       SELECT $1, ord - 1, person_id FROM unnest($2::uuid[]) WITH ORDINALITY AS t(person_id, ord)`,
      [scheduleId, personIds],
    );
  }

  // ---- Layers -------------------------------------------------------------------------------

  /** The id of the schedule a layer belongs to; BAD_USER_INPUT (`id`) for a malformed id, NOT_FOUND for an unknown one. */
  async scheduleIdOfLayer(manager: EntityManager, layerId: string): Promise<string> {
    const rows: Array<{ schedule_id: string }> = await manager.query(`SELECT schedule_id FROM schedule_layer WHERE id = $1`, [requireUuid('id', layerId)]);
    if (rows.length === 0) throw notFound('schedule layer', layerId);
    return rows[0].schedule_id;
  }

  async insertLayer(manager: EntityManager, scheduleId: string, position: number, layer: LayerDefinition, now: Date): Promise<string> {
    const [{ id }] = await manager.query(
      `INSERT INTO schedule_layer (schedule_id, name, priority, position, rotation_unit, rotation_length, start_local, restrictions, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
      [scheduleId, layer.name, layer.priority, position, layer.rotation.unit, layer.rotation.length, layer.start, JSON.stringify(layer.restrictions ?? []), now],
    );
    await this.replaceParticipants(manager, id, layer.participants);
    return id;
  }

  /** Writes the layer's fields (not its participants: replaceParticipants). */
  async updateLayer(manager: EntityManager, layer: LayerDefinition, now: Date): Promise<void> {
    await manager.query(
      `UPDATE schedule_layer SET name = $2, priority = $3, rotation_unit = $4, rotation_length = $5, start_local = $6, restrictions = $7, updated_at = $8
       WHERE id = $1`,
      [layer.id, layer.name, layer.priority, layer.rotation.unit, layer.rotation.length, layer.start, JSON.stringify(layer.restrictions ?? []), now],
    );
  }

  async deleteLayer(manager: EntityManager, layerId: string): Promise<void> {
    await manager.query(`DELETE FROM schedule_layer WHERE id = $1`, [layerId]);
  }

  async replaceParticipants(manager: EntityManager, layerId: string, personIds: string[]): Promise<void> {
    await manager.query(`DELETE FROM schedule_layer_participant WHERE layer_id = $1`, [layerId]);
    await manager.query(
      `INSERT INTO schedule_layer_participant (layer_id, position, person_id)
       SELECT $1, ord - 1, person_id FROM unnest($2::uuid[]) WITH ORDINALITY AS t(person_id, ord)`,
      [layerId, personIds],
    );
  }

  // ---- Overrides ----------------------------------------------------------------------------

  /**
   * The one read of overrides: those of each schedule overlapping the window, one list per schedule in the order of
   * `scheduleIds`, in one statement.
   */
  async overridesOf(manager: EntityManager, scheduleIds: readonly string[], window: OverrideWindow, order: OverrideOrder): Promise<ScheduleOverride[][]> {
    const query = manager.getRepository(ScheduleOverride).createQueryBuilder('o').where('o.schedule_id = ANY(:ids)', { ids: [...scheduleIds] });
    if (window.from) query.andWhere('o.ends_at > :from', { from: window.from });
    if (window.to) query.andWhere('o.starts_at < :to', { to: window.to });
    query.orderBy(order === 'by start' ? 'o.starts_at' : 'o.created_at', 'ASC').addOrderBy('o.seq', 'ASC');
    const bySchedule = new Map<string, ScheduleOverride[]>(scheduleIds.map((id) => [id, []]));
    for (const row of await query.getMany()) bySchedule.get(row.scheduleId)?.push(row);
    return scheduleIds.map((id) => bySchedule.get(id) ?? []);
  }

  /** Overrides overlapping [from, to); without a window, those not yet ended. Oldest first. */
  async listOverrides(scheduleId: string, window: OverrideWindow = {}): Promise<ScheduleOverride[]> {
    const [overrides] = await this.listOverridesOfMany([requireUuid('scheduleId', scheduleId)], window);
    return overrides;
  }

  /** listOverrides() for many schedules in one statement, each list in the order of `scheduleIds`, at most MAX_OVERRIDES_LISTED each. */
  async listOverridesOfMany(scheduleIds: readonly string[], window: OverrideWindow = {}): Promise<ScheduleOverride[][]> {
    const from = window.from ?? (window.to ? null : this.clock.now());
    const lists = await this.overridesOf(this.db.manager, scheduleIds, { from, to: window.to }, 'by start');
    return lists.map((overrides) => overrides.slice(0, MAX_OVERRIDES_LISTED));
  }

  async insertOverride(manager: EntityManager, values: { scheduleId: string; personId: string; start: Date; end: Date }, now: Date): Promise<ScheduleOverride> {
    const [{ id }] = await manager.query(
      `INSERT INTO schedule_override (schedule_id, person_id, starts_at, ends_at, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [values.scheduleId, values.personId, values.start, values.end, now],
    );
    return manager.getRepository(ScheduleOverride).findOneByOrFail({ id });
  }

  /** Deletes the override; returns what it was, or null when there was none. */
  async deleteOverride(manager: EntityManager, id: string): Promise<Pick<ScheduleOverride, 'scheduleId' | 'personId' | 'start' | 'end'> | null> {
    const [rows]: [Array<{ schedule_id: string; person_id: string; starts_at: Date; ends_at: Date }>] = await manager.query(
      `DELETE FROM schedule_override WHERE id = $1 RETURNING schedule_id, person_id, starts_at, ends_at`,
      [id],
    );
    return rows.length ? { scheduleId: rows[0].schedule_id, personId: rows[0].person_id, start: rows[0].starts_at, end: rows[0].ends_at } : null;
  }
}

/** A hydrated schedule with its overrides (in creation order) as the pure resolver's definition. */
export function toDefinition(schedule: Schedule, overrides: ScheduleOverride[]): ScheduleDefinition {
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

function groupIds<T extends { person_id: string }>(rows: T[], key: (row: T) => string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    const list = groups.get(key(row)) ?? [];
    list.push(row.person_id);
    groups.set(key(row), list);
  }
  return groups;
}

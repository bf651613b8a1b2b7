import type { DataSource } from 'typeorm';
import { AuditTargetType } from '../schema/enums';
import { RotationUnit, type DailyWindow, type Schedule, type ScheduleLayer, type ScheduleOverride } from '../schema/schedule.entity';
import { SYSTEM_AUDIT, type AuditContext } from '../shared/audit-context';
import type { Clock } from '../shared/clock';
import { badInput, notFound } from '../shared/domain-error';
import { diffFields } from './audit-changes';
import type { AuditService } from './audit.service';
import type { HandoffService } from './handoff.service';
import { type Schedule as ScheduleDefinition, type ScheduleLayer as LayerDefinition, type ScheduleValidationIssue, validateSchedule } from './rota';
import { type ScheduleStore, toDefinition } from './schedule.store';
import { isValidDate, optionalText, requireText, requireUuid } from './validation';
import { requirePeople, type PersonRef } from './person-exists';

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

/** What the audit log records of each part of a schedule. */
const SCHEDULE_FIELDS = ['name', 'timeZone', 'backupPersonIds', 'layers'] as const;
const LAYER_FIELDS = ['scheduleId', 'name', 'priority', 'participantIds', 'rotation', 'start', 'restrictions'] as const;
const OVERRIDE_FIELDS = ['scheduleId', 'personId', 'start', 'end'] as const;

/**
 * Changes to on-call schedules: schedules, their layers and overrides, each validated against the pure rota
 * module (src/services/rota) and written through the ScheduleStore in one transaction. Edits of one schedule
 * serialise on its row lock. Every command records its audit entry in its transaction, and recomputes who is on call
 * there (HandoffService.scheduleEdited: scheduleUpdated, and onCallChanged when who is on call now changed).
 */
export class ScheduleService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly store: ScheduleStore,
    private readonly auditLog: AuditService,
    private readonly handoffs: HandoffService,
  ) {}

  // ---- Schedules ----------------------------------------------------------------------------

  async create(input: CreateScheduleValues, audit: AuditContext = SYSTEM_AUDIT): Promise<Schedule> {
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
      const id = await this.store.insertSchedule(manager, { name, timeZone: definition.timeZone }, now);
      for (const [position, layer] of layers.entries()) await this.store.insertLayer(manager, id, position, layer, now);
      await this.store.replaceBackups(manager, id, backups);
      const schedule = await this.store.getIn(manager, id, 'id');
      await this.auditLog.record(manager, audit, { action: 'schedule.create', targetType: AuditTargetType.SCHEDULE, targetId: id, changes: diffFields(null, scheduleFields(schedule), SCHEDULE_FIELDS) });
      await this.handoffs.scheduleEdited(manager, id);
      return schedule;
    });
  }

  async update(id: string, patch: UpdateScheduleValues, audit: AuditContext = SYSTEM_AUDIT): Promise<Schedule> {
    return this.db.transaction(async (manager) => {
      const schedule = await this.store.lockedIn(manager, id, 'id');
      const name = patch.name === undefined || patch.name === null ? schedule.name : requireText('name', patch.name, 200);
      const timeZone = patch.timeZone ?? schedule.timeZone;
      const backups = patch.backupPersonIds === undefined || patch.backupPersonIds === null ? schedule.backupPersonIds : backupList(patch.backupPersonIds);
      const definition = { ...toDefinition(schedule, []), timeZone, backups };
      throwIssues(validateSchedule(definition), [['backups', 'backupPersonIds']]);
      if (backups !== schedule.backupPersonIds) {
        await requirePeople(manager, participantRefs('backupPersonIds', backups));
        await this.store.replaceBackups(manager, schedule.id, backups);
      }
      await this.store.updateSchedule(manager, schedule.id, { name, timeZone }, this.clock.now());
      const updated = await this.store.getIn(manager, schedule.id, 'id');
      await this.auditLog.record(manager, audit, {
        action: 'schedule.update',
        targetType: AuditTargetType.SCHEDULE,
        targetId: schedule.id,
        changes: diffFields(scheduleFields(schedule), scheduleFields(updated), SCHEDULE_FIELDS),
      });
      await this.handoffs.scheduleEdited(manager, schedule.id);
      return updated;
    });
  }

  /** Deletes the schedule with its layers and overrides; returns its id. */
  async remove(id: string, audit: AuditContext = SYSTEM_AUDIT): Promise<string> {
    return this.db.transaction(async (manager) => {
      const schedule = await this.store.lockedIn(manager, id, 'id');
      await this.store.deleteSchedule(manager, schedule.id);
      await this.auditLog.record(manager, audit, { action: 'schedule.delete', targetType: AuditTargetType.SCHEDULE, targetId: schedule.id, changes: diffFields(scheduleFields(schedule), null, SCHEDULE_FIELDS) });
      await this.handoffs.scheduleDeleted(manager, schedule.id);
      return schedule.id;
    });
  }

  // ---- Layers -------------------------------------------------------------------------------

  async addLayer(scheduleId: string, input: LayerValues, audit: AuditContext = SYSTEM_AUDIT): Promise<{ layer: ScheduleLayer; schedule: Schedule }> {
    return this.db.transaction(async (manager) => {
      const schedule = await this.store.lockedIn(manager, scheduleId, 'scheduleId');
      const index = schedule.layers.length;
      if (index >= MAX_LAYERS) throw badInput('scheduleId', `a schedule has at most ${MAX_LAYERS} layers`);
      const layer = layerDefinition('layer', 'new', input, index);
      const current = toDefinition(schedule, []);
      throwIssues(validateSchedule({ ...current, layers: [...current.layers, layer] }), [[`layers[${index}]`, 'layer']]);
      await requirePeople(manager, participantRefs('layer.participants', layer.participants));
      const now = this.clock.now();
      const position = Math.max(-1, ...schedule.layers.map((existing) => existing.position)) + 1;
      const layerId = await this.store.insertLayer(manager, schedule.id, position, layer, now);
      await this.store.touch(manager, schedule.id, now);
      const updated = await this.store.getIn(manager, schedule.id, 'scheduleId');
      const added = layerOf(updated, layerId);
      await this.auditLog.record(manager, audit, { action: 'scheduleLayer.create', targetType: AuditTargetType.SCHEDULE_LAYER, targetId: layerId, changes: diffFields(null, layerFields(added), LAYER_FIELDS) });
      await this.handoffs.scheduleEdited(manager, schedule.id);
      return { layer: added, schedule: updated };
    });
  }

  async updateLayer(layerId: string, patch: LayerPatch, audit: AuditContext = SYSTEM_AUDIT): Promise<{ layer: ScheduleLayer; schedule: Schedule }> {
    return this.db.transaction(async (manager) => {
      const schedule = await this.store.lockedIn(manager, await this.store.scheduleIdOfLayer(manager, layerId), 'id');
      const index = schedule.layers.findIndex((layer) => layer.id === layerId.toLowerCase());
      if (index < 0) throw notFound('schedule layer', layerId);
      const current = toDefinition(schedule, []);
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
      await this.store.updateLayer(manager, merged, now);
      if (patch.participants) await this.store.replaceParticipants(manager, before.id, merged.participants);
      await this.store.touch(manager, schedule.id, now);
      const updated = await this.store.getIn(manager, schedule.id, 'id');
      const layer = layerOf(updated, before.id);
      await this.auditLog.record(manager, audit, {
        action: 'scheduleLayer.update',
        targetType: AuditTargetType.SCHEDULE_LAYER,
        targetId: layer.id,
        changes: diffFields(layerFields(schedule.layers[index]), layerFields(layer), LAYER_FIELDS),
      });
      await this.handoffs.scheduleEdited(manager, schedule.id);
      return { layer, schedule: updated };
    });
  }

  /** Removes a layer; a schedule keeps at least one. Returns the schedule. */
  async removeLayer(layerId: string, audit: AuditContext = SYSTEM_AUDIT): Promise<Schedule> {
    return this.db.transaction(async (manager) => {
      const schedule = await this.store.lockedIn(manager, await this.store.scheduleIdOfLayer(manager, layerId), 'id');
      if (schedule.layers.length <= 1) throw badInput('id', 'a schedule keeps at least one layer; delete the schedule instead');
      const removed = layerOf(schedule, layerId.toLowerCase());
      await this.store.deleteLayer(manager, removed.id);
      await this.store.touch(manager, schedule.id, this.clock.now());
      await this.auditLog.record(manager, audit, { action: 'scheduleLayer.delete', targetType: AuditTargetType.SCHEDULE_LAYER, targetId: removed.id, changes: diffFields(layerFields(removed), null, LAYER_FIELDS) });
      await this.handoffs.scheduleEdited(manager, schedule.id);
      return this.store.getIn(manager, schedule.id, 'id');
    });
  }

  // ---- Overrides ----------------------------------------------------------------------------

  /** Puts a person on call for [start, end). Overlaps are allowed: the newest override wins. */
  async createOverride(input: OverrideValues, audit: AuditContext = SYSTEM_AUDIT): Promise<{ scheduleOverride: ScheduleOverride; schedule: Schedule }> {
    const personId = requireUuid('personId', input.personId);
    if (!isValidDate(input.start)) throw badInput('start', 'must be a valid date-time');
    if (!isValidDate(input.end)) throw badInput('end', 'must be a valid date-time');
    if (input.end.getTime() <= input.start.getTime()) throw badInput('end', 'must be after start');
    return this.db.transaction(async (manager) => {
      const schedule = await this.store.getIn(manager, input.scheduleId, 'scheduleId');
      await requirePeople(manager, [{ field: 'personId', id: personId }]);
      const scheduleOverride = await this.store.insertOverride(manager, { scheduleId: schedule.id, personId, start: input.start, end: input.end }, this.clock.now());
      await this.auditLog.record(manager, audit, {
        action: 'scheduleOverride.create',
        targetType: AuditTargetType.SCHEDULE_OVERRIDE,
        targetId: scheduleOverride.id,
        changes: diffFields(null, scheduleOverride, OVERRIDE_FIELDS),
      });
      await this.handoffs.scheduleEdited(manager, schedule.id);
      return { scheduleOverride, schedule };
    });
  }

  async deleteOverride(id: string, audit: AuditContext = SYSTEM_AUDIT): Promise<{ deletedOverrideId: string; schedule: Schedule }> {
    const overrideId = requireUuid('id', id);
    return this.db.transaction(async (manager) => {
      const deleted = await this.store.deleteOverride(manager, overrideId);
      if (deleted === null) throw notFound('schedule override', id);
      await this.auditLog.record(manager, audit, { action: 'scheduleOverride.delete', targetType: AuditTargetType.SCHEDULE_OVERRIDE, targetId: overrideId, changes: diffFields(deleted, null, OVERRIDE_FIELDS) });
      await this.handoffs.scheduleEdited(manager, deleted.scheduleId);
      return { deletedOverrideId: overrideId, schedule: await this.store.getIn(manager, deleted.scheduleId, 'id') };
    });
  }
}

/** A schedule as its audit entries show it: its own fields and its layers. */
function scheduleFields(schedule: Schedule) {
  return { name: schedule.name, timeZone: schedule.timeZone, backupPersonIds: schedule.backupPersonIds, layers: schedule.layers.map(layerFields) };
}

function layerFields(layer: ScheduleLayer) {
  return {
    id: layer.id,
    scheduleId: layer.scheduleId,
    name: layer.name,
    priority: layer.priority,
    participantIds: layer.participantIds,
    // The unit as the API names it (DAYS), not as it is stored (days).
    rotation: { unit: rotationUnitName(layer.rotationUnit), length: layer.rotationLength },
    start: layer.start,
    restrictions: layer.restrictions,
  };
}

function rotationUnitName(unit: RotationUnit): string {
  return Object.entries(RotationUnit).find(([, value]) => value === unit)?.[0] ?? unit;
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

function layerOf(schedule: Schedule, layerId: string): ScheduleLayer {
  const layer = schedule.layers.find((candidate) => candidate.id === layerId);
  if (!layer) throw notFound('schedule layer', layerId);
  return layer;
}

import type { Schedule, ScheduleValidationIssue } from './schedule.types';
import { isIanaZone, parseClockTime, parseWallTime } from './wall-clock';

const UNITS = ['hours', 'days', 'weeks'];

/** Thrown by resolveShifts/whoIsOnCall for a schedule validateSchedule rejects. */
export class ScheduleValidationError extends Error {
  constructor(readonly issues: ScheduleValidationIssue[]) {
    super(`Invalid schedule: ${issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')}`);
    this.name = 'ScheduleValidationError';
  }
}

/**
 * Every problem with a schedule definition, each naming its field ('layers[0].participants').
 * Defensive about shapes, since definitions come back from storage as JSON. Empty when valid.
 */
export function validateSchedule(schedule: Schedule): ScheduleValidationIssue[] {
  const issues: ScheduleValidationIssue[] = [];
  const problem = (field: string, message: string): void => {
    issues.push({ field, message });
  };
  if (!isIanaZone(schedule.timeZone)) problem('timeZone', `must be an IANA time zone name, got ${JSON.stringify(schedule.timeZone)}`);

  if (!Array.isArray(schedule.layers)) problem('layers', 'must be an array');
  else schedule.layers.forEach((layer, i) => validateLayer(layer, `layers[${i}]`, problem));
  const layerIds = Array.isArray(schedule.layers) ? schedule.layers.map((layer) => layer?.id) : [];
  layerIds.forEach((id, i) => {
    if (layerIds.indexOf(id) !== i) problem(`layers[${i}].id`, `duplicates layer id ${JSON.stringify(id)}`);
  });

  if (!Array.isArray(schedule.overrides)) problem('overrides', 'must be an array');
  else schedule.overrides.forEach((override, i) => validateOverride(override, `overrides[${i}]`, problem));

  if (schedule.backups !== undefined) {
    if (!Array.isArray(schedule.backups)) problem('backups', 'must be an array of person ids');
    else schedule.backups.forEach((id, i) => isNonEmptyString(id) || problem(`backups[${i}]`, 'must be a non-empty person id'));
  }
  return issues;
}

type Problem = (field: string, message: string) => void;

function validateLayer(layer: Schedule['layers'][number], path: string, problem: Problem): void {
  if (typeof layer !== 'object' || layer === null) return problem(path, 'must be an object');
  if (!isNonEmptyString(layer.id)) problem(`${path}.id`, 'must be a non-empty string');
  if (typeof layer.name !== 'string') problem(`${path}.name`, 'must be a string');
  if (!Number.isInteger(layer.priority)) problem(`${path}.priority`, 'must be an integer');

  if (!Array.isArray(layer.participants) || layer.participants.length === 0) {
    problem(`${path}.participants`, 'must list at least one person');
  } else {
    layer.participants.forEach((id, i) => isNonEmptyString(id) || problem(`${path}.participants[${i}]`, 'must be a non-empty person id'));
  }

  const rotation = layer.rotation;
  if (typeof rotation !== 'object' || rotation === null) problem(`${path}.rotation`, 'must be an object');
  else {
    if (!UNITS.includes(rotation.unit)) problem(`${path}.rotation.unit`, `must be one of ${UNITS.join(', ')}`);
    if (!Number.isInteger(rotation.length) || rotation.length <= 0) problem(`${path}.rotation.length`, 'must be a positive integer');
  }

  if (!parseWallTime(layer.start)) problem(`${path}.start`, "must be a local date-time without offset, like '2026-03-01T09:00'");

  if (layer.restrictions === undefined) return;
  if (!Array.isArray(layer.restrictions)) return problem(`${path}.restrictions`, 'must be an array');
  layer.restrictions.forEach((window, i) => {
    for (const edge of ['start', 'end'] as const) {
      if (parseClockTime(window?.[edge]) === null) problem(`${path}.restrictions[${i}].${edge}`, "must be a local time 'HH:mm'");
    }
  });
}

function validateOverride(override: Schedule['overrides'][number], path: string, problem: Problem): void {
  if (typeof override !== 'object' || override === null) return problem(path, 'must be an object');
  if (!isNonEmptyString(override.id)) problem(`${path}.id`, 'must be a non-empty string');
  if (!isNonEmptyString(override.personId)) problem(`${path}.personId`, 'must be a non-empty person id');
  for (const field of ['start', 'end', 'createdAt'] as const) {
    if (!isValidDate(override[field])) problem(`${path}.${field}`, 'must be a valid Date');
  }
  if (isValidDate(override.start) && isValidDate(override.end) && override.end.getTime() <= override.start.getTime()) {
    problem(`${path}.end`, 'must be after start');
  }
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

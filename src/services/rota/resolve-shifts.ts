import type { ResolvedShift, ResolvedTimeline, Schedule, ScheduleLayer, ScheduleOverride, TimelineGap } from './schedule.types';
import { rotationShifts, type Segment } from './layer-shifts';
import { clipToSpans, restrictionSpans } from './restrictions';
import { ScheduleValidationError, validateSchedule } from './validate-schedule';

/** resolveShifts refuses windows longer than this, to bound the work. */
export const MAX_RESOLVE_WINDOW_DAYS = 400;

interface Source {
  segments: Segment[];
  layerId: string | null;
  overrideId: string | null;
  next: number;
}

/**
 * The final on-call timeline in [from, to): where any override applies, the most recently
 * created one (ties: the one listed later); elsewhere the highest-priority layer that has
 * somebody on call (ties: the layer listed later). Adjacent pieces of the same person from
 * the same layer or override are merged; instants with nobody on call are reported as gaps.
 * Throws ScheduleValidationError for an invalid schedule and RangeError for a bad window.
 */
export function resolveShifts(schedule: Schedule, from: Date, to: Date): ResolvedTimeline {
  const issues = validateSchedule(schedule);
  if (issues.length > 0) throw new ScheduleValidationError(issues);
  const fromMs = from.getTime();
  const toMs = to.getTime();
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) throw new RangeError('resolveShifts: from and to must be valid dates');
  if (toMs < fromMs) throw new RangeError('resolveShifts: to must not be before from');
  if (toMs - fromMs > MAX_RESOLVE_WINDOW_DAYS * 86_400_000) {
    throw new RangeError(`resolveShifts: window longer than ${MAX_RESOLVE_WINDOW_DAYS} days`);
  }

  const sources = [
    ...rankedOverrides(schedule.overrides).map((override) => overrideSource(override, fromMs, toMs)),
    ...rankedLayers(schedule.layers).map((layer) => layerSource(layer, schedule.timeZone, fromMs, toMs)),
  ];
  const points = new Set<number>([fromMs, toMs]);
  for (const source of sources) for (const s of source.segments) points.add(s.start).add(s.end);
  const sorted = [...points].sort((a, b) => a - b);

  const shifts: ResolvedShift[] = [];
  const gaps: TimelineGap[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 1) {
    const [start, end] = [sorted[i], sorted[i + 1]];
    const winner = sources.find((source) => covers(source, start));
    if (!winner) {
      appendGap(gaps, start, end);
      continue;
    }
    const personId = winner.segments[winner.next].personId;
    appendShift(shifts, { personId, start: new Date(start), end: new Date(end), layerId: winner.layerId, overrideId: winner.overrideId });
  }
  return { shifts, gaps };
}

/** Overrides, most recent first. */
function rankedOverrides(overrides: ScheduleOverride[]): ScheduleOverride[] {
  return overrides
    .map((override, index) => ({ override, index }))
    .sort((a, b) => b.override.createdAt.getTime() - a.override.createdAt.getTime() || b.index - a.index)
    .map(({ override }) => override);
}

/** Layers, highest priority first. */
function rankedLayers(layers: ScheduleLayer[]): ScheduleLayer[] {
  return layers
    .map((layer, index) => ({ layer, index }))
    .sort((a, b) => b.layer.priority - a.layer.priority || b.index - a.index)
    .map(({ layer }) => layer);
}

function overrideSource(override: ScheduleOverride, from: number, to: number): Source {
  const start = Math.max(override.start.getTime(), from);
  const end = Math.min(override.end.getTime(), to);
  const segments = end > start ? [{ start, end, personId: override.personId }] : [];
  return { segments, layerId: null, overrideId: override.id, next: 0 };
}

function layerSource(layer: ScheduleLayer, zone: string, from: number, to: number): Source {
  let segments = rotationShifts(layer, zone, from, to);
  if (layer.restrictions && layer.restrictions.length > 0) {
    segments = clipToSpans(segments, restrictionSpans(layer.restrictions, zone, from, to));
  }
  return { segments, layerId: layer.id, overrideId: null, next: 0 };
}

/** Whether the source has somebody at `at`; instants are visited in increasing order. */
function covers(source: Source, at: number): boolean {
  while (source.next < source.segments.length && source.segments[source.next].end <= at) source.next += 1;
  const segment = source.segments[source.next];
  return segment !== undefined && segment.start <= at;
}

function appendShift(shifts: ResolvedShift[], shift: ResolvedShift): void {
  const last = shifts[shifts.length - 1];
  const continues =
    last &&
    last.end.getTime() === shift.start.getTime() &&
    last.personId === shift.personId &&
    last.layerId === shift.layerId &&
    last.overrideId === shift.overrideId;
  if (continues) last.end = shift.end;
  else shifts.push(shift);
}

function appendGap(gaps: TimelineGap[], start: number, end: number): void {
  const last = gaps[gaps.length - 1];
  if (last && last.end.getTime() === start) last.end = new Date(end);
  else gaps.push({ start: new Date(start), end: new Date(end) });
}

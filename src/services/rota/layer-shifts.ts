import { DateTime } from 'luxon';
import type { Rotation, ScheduleLayer } from './schedule.types';
import { parseWallTime, toInstant } from './wall-clock';

/** A half-open span of epoch milliseconds with the person on call in it. */
export interface Segment {
  start: number;
  end: number;
  personId: string;
}

const APPROX_UNIT_MS: Record<Rotation['unit'], number> = {
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 7 * 86_400_000,
};

/**
 * The rotation shifts of one layer that overlap [from, to), clipped to it, ignoring
 * restrictions. Handoff k happens when the local clock shows `start + k × length units`:
 * all units, hours included, are wall-clock units in the schedule's zone. A daily 09:00
 * handoff stays at 09:00 local across DST (the shift over the spring-forward night lasts
 * 23 h, over fall-back 25 h), and 8-hour shifts anchored at 02:00 hand off at 02:00, 10:00
 * and 18:00 local every day (the shift containing the change lasts 7 h or 9 h). In UTC,
 * wall-clock hours are elapsed hours. Before `start` the layer covers nobody.
 */
export function rotationShifts(layer: ScheduleLayer, zone: string, from: number, to: number): Segment[] {
  const anchor = parseWallTime(layer.start);
  if (!anchor || from >= to) return [];
  const { unit, length } = layer.rotation;
  const handoff = (k: number): number => toInstant(anchor.plus(durationOf(unit, k * length)), zone);

  let k = Math.max(0, Math.floor((from - handoff(0)) / (APPROX_UNIT_MS[unit] * length)));
  while (k > 0 && handoff(k) > from) k -= 1;
  while (handoff(k + 1) <= from) k += 1;

  const segments: Segment[] = [];
  for (let start = handoff(k); start < to; k += 1) {
    const end = handoff(k + 1);
    const clippedStart = Math.max(start, from);
    const clippedEnd = Math.min(end, to);
    if (clippedEnd > clippedStart) {
      segments.push({ start: clippedStart, end: clippedEnd, personId: layer.participants[k % layer.participants.length] });
    }
    start = end;
  }
  return segments;
}

function durationOf(unit: Rotation['unit'], amount: number): Parameters<DateTime['plus']>[0] {
  return { [unit]: amount };
}

import { DateTime, IANAZone } from 'luxon';

/**
 * Local ("wall-clock") time arithmetic. A wall time is a Luxon DateTime in UTC used as a
 * floating local date-time: its fields are what a clock in the schedule's zone shows.
 * Rotation arithmetic happens on wall times (`plus({ days })` keeps 09:00 at 09:00),
 * and only then is the wall time placed in the zone with `toInstant`.
 */

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY_MS = 86_400_000;

/** Parses an offset-free ISO local date-time ('2026-03-01T09:00'); null when malformed. */
export function parseWallTime(text: string): DateTime | null {
  if (typeof text !== 'string' || !LOCAL_DATE_TIME.test(text)) return null;
  const wall = DateTime.fromISO(text, { zone: 'UTC' });
  return wall.isValid ? wall : null;
}

/** Minutes after midnight for 'HH:mm'; null when malformed. */
export function parseClockTime(text: string): number | null {
  const match = typeof text === 'string' ? HH_MM.exec(text) : null;
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

export function isIanaZone(zone: string): boolean {
  return typeof zone === 'string' && IANAZone.isValidZone(zone);
}

/** The wall time a clock in `zone` shows at instant `ms`. */
export function toWallTime(ms: number, zone: string): DateTime {
  return DateTime.fromMillis(ms + offsetMinutes(zone, ms) * 60_000, { zone: 'UTC' });
}

/** Per zone, per UTC day: the zone's offset in minutes when it is the same all day, or null when it changes that day. */
const steadyDayOffsets = new Map<string, Map<number, number | null>>();
/** Days remembered per zone before its memo starts afresh: a few decades, a few hundred kB at most. */
const MAX_DAYS_REMEMBERED = 20_000;

/**
 * The zone's UTC offset (minutes) at `ms`. Luxon asks Intl for every offset (~6 µs each, the largest cost of resolving
 * a week of shifts); a UTC day whose midnights have the same offset has no change inside it, since no zone changes
 * twice within 24 hours (toInstant relies on the same fact), so its offset is remembered for the whole day.
 */
export function offsetMinutes(zone: string, ms: number): number {
  let days = steadyDayOffsets.get(zone);
  if (!days || days.size >= MAX_DAYS_REMEMBERED) {
    days = new Map();
    steadyDayOffsets.set(zone, days);
  }
  const day = Math.floor(ms / DAY_MS);
  let steady = days.get(day);
  if (steady === undefined) {
    const iana = IANAZone.create(zone);
    const atStart = iana.offset(day * DAY_MS);
    steady = atStart === iana.offset((day + 1) * DAY_MS) ? atStart : null;
    days.set(day, steady);
  }
  return steady ?? IANAZone.create(zone).offset(ms);
}

/**
 * The instant (epoch ms) at which a clock in `zone` shows `wall`. Deterministic at DST
 * changes, and monotonic (a later wall time never maps to an earlier instant):
 * - a wall time repeated by a fall-back change resolves to its FIRST occurrence;
 * - a wall time skipped by a spring-forward change resolves to the instant of the change
 *   (so 02:30 on the New York spring-forward day is 03:00 EDT).
 * (Luxon's own `setZone(zone, { keepLocalTime: true })` picks the first occurrence in
 * New York but the second in Lisbon, and shifts skipped times by the gap, which is not
 * monotonic; hence this helper.)
 */
export function toInstant(wall: DateTime, zone: string): number {
  const wallMs = wall.toMillis();
  const before = offsetMinutes(zone, wallMs - DAY_MS);
  const after = offsetMinutes(zone, wallMs + DAY_MS);
  const candidates = [before, after]
    .map((offset) => wallMs - offset * 60_000)
    .filter((ms) => offsetMinutes(zone, ms) * 60_000 === wallMs - ms);
  if (candidates.length > 0) return Math.min(...candidates);
  // Skipped wall time: the change happens between the two offset readings.
  return transitionInstant(zone, wallMs - DAY_MS, wallMs + DAY_MS, before);
}

/** Binary search (to the minute) for the first instant in (lo, hi] whose offset differs from `offsetBefore`. */
function transitionInstant(zone: string, lo: number, hi: number, offsetBefore: number): number {
  let low = Math.floor(lo / 60_000);
  let high = Math.ceil(hi / 60_000);
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (offsetMinutes(zone, mid * 60_000) === offsetBefore) low = mid;
    else high = mid;
  }
  return high * 60_000;
}

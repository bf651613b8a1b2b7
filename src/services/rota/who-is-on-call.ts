import type { OnCallNow, Schedule } from './schedule.types';
import { resolveShifts } from './resolve-shifts';

/**
 * Who to page at `at`: the resolved on-call person (empty in a gap), then the schedule's
 * backups in order, without duplicates and without anyone already primary.
 */
export function whoIsOnCall(schedule: Schedule, at: Date): OnCallNow {
  const { shifts } = resolveShifts(schedule, at, new Date(at.getTime() + 1));
  const primary = [...new Set(shifts.map((shift) => shift.personId))];
  const backups = [...new Set(schedule.backups ?? [])].filter((personId) => !primary.includes(personId));
  return { primary, backups };
}

import type { OnCallNow, Schedule } from './schedule.types';
import { resolveShifts } from './resolve-shifts';

/**
 * Who to page at `at`: the resolved on-call person (empty in a gap), then the schedule's
 * backups in order, without duplicates and without anyone already primary.
 */
export function whoIsOnCall(schedule: Schedule, at: Date): OnCallNow {
  const { shifts } = resolveShifts(schedule, at, new Date(at.getTime() + 1));
  return onCallWith(schedule, shifts.map((shift) => shift.personId));
}

/** The answer of whoIsOnCall when `primary` is on call: the schedule's backups follow, less anyone already primary. */
export function onCallWith(schedule: Schedule, primary: readonly string[]): OnCallNow {
  const people = [...new Set(primary)];
  const backups = [...new Set(schedule.backups ?? [])].filter((personId) => !people.includes(personId));
  return { primary: people, backups };
}

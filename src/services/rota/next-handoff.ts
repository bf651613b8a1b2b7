import type { OnCallNow, Schedule } from './schedule.types';
import { resolveShifts } from './resolve-shifts';
import { onCallWith } from './who-is-on-call';

export interface Handoff {
  /** The instant who is on call changes. */
  at: Date;
  /** Who is on call from then on. */
  onCall: OnCallNow;
}

/**
 * The first instant in (from, until) at which who is on call differs from who is on call at `from`, and who takes
 * over then; null when nobody else takes over before `until`. A piece that starts a new shift of the same person
 * (another layer, an override of the person already on call) is no handoff. Entering or leaving a gap is one.
 */
export function nextHandoff(schedule: Schedule, from: Date, until: Date): Handoff | null {
  const { shifts, gaps } = resolveShifts(schedule, from, until);
  const pieces = [
    ...shifts.map((shift) => ({ start: shift.start, primary: [shift.personId] })),
    ...gaps.map((gap) => ({ start: gap.start, primary: [] as string[] })),
  ].sort((a, b) => a.start.getTime() - b.start.getTime());
  const current = pieces[0]?.primary ?? [];
  const next = pieces.find((piece) => !samePeople(piece.primary, current));
  return next ? { at: next.start, onCall: onCallWith(schedule, next.primary) } : null;
}

/** Whether two answers of whoIsOnCall name the same people in the same order. */
export function sameOnCall(a: OnCallNow, b: OnCallNow): boolean {
  return samePeople(a.primary, b.primary) && samePeople(a.backups, b.backups);
}

function samePeople(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, index) => id === b[index]);
}

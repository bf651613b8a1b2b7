import { DateTime } from 'luxon';
import type { ResolvedShift, Schedule, ScheduleLayer, ScheduleOverride } from '../../../src/services/rota';

/** A one-layer schedule; pass layer fields to change. */
export function scheduleWith(timeZone: string, ...layers: Partial<ScheduleLayer>[]): Schedule {
  return { timeZone, layers: layers.map((fields, i) => layer({ id: `layer-${i}`, ...fields })), overrides: [] };
}

export function layer(fields: Partial<ScheduleLayer> = {}): ScheduleLayer {
  return {
    id: 'layer-0',
    name: 'Primary',
    priority: 0,
    participants: ['ana', 'bruno'],
    rotation: { unit: 'days', length: 1 },
    start: '2026-01-05T09:00',
    ...fields,
  };
}

export function override(id: string, personId: string, start: string, end: string, createdAt: string): ScheduleOverride {
  return { id, personId, start: utc(start), end: utc(end), createdAt: utc(createdAt) };
}

export function utc(iso: string): Date {
  return DateTime.fromISO(iso, { zone: 'UTC' }).toJSDate();
}

/** The instant a clock in `zone` shows `iso` (only for unambiguous local times). */
export function at(iso: string, zone: string): Date {
  return DateTime.fromISO(iso, { zone }).toJSDate();
}

/** How the clock in `zone` reads at `date`, as 'yyyy-MM-ddTHH:mm'. */
export function localTime(date: Date, zone: string): string {
  return DateTime.fromJSDate(date, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

export function hoursOf(shift: { start: Date; end: Date }): number {
  return (shift.end.getTime() - shift.start.getTime()) / 3_600_000;
}

/** Compact view of a timeline for whole-timeline assertions. */
export function describeShifts(shifts: ResolvedShift[], zone = 'UTC'): string[] {
  return shifts.map((s) => `${localTime(s.start, zone)}–${localTime(s.end, zone)} ${s.personId} ${s.overrideId ?? s.layerId}`);
}

import { DateTime } from 'luxon';

/** A weekly pattern in a named zone: ISO weekdays (1 Monday … 7 Sunday), a local start 'HH:mm', a duration. */
export interface WeeklyPattern {
  zone: string;
  weekdays: readonly number[];
  startTime: string;
  durationMinutes: number;
}

export interface Occurrence {
  startsAt: Date;
  endsAt: Date;
}

/**
 * The occurrences starting in [from, to), earliest first. Each starts at the local wall-clock time on its day in the
 * pattern's zone, so a 22:00 window stays at 22:00 across a DST change (its UTC instant moves); a start the change
 * skips moves forward (Luxon), an ambiguous one takes the earlier offset. The duration is elapsed time.
 */
export function weeklyOccurrences(pattern: WeeklyPattern, from: Date, to: Date): Occurrence[] {
  const [hour, minute] = pattern.startTime.split(':').map(Number);
  const occurrences: Occurrence[] = [];
  const lastDay = DateTime.fromJSDate(to, { zone: pattern.zone }).startOf('day');
  for (let day = DateTime.fromJSDate(from, { zone: pattern.zone }).startOf('day'); day <= lastDay; day = day.plus({ days: 1 })) {
    if (!pattern.weekdays.includes(day.weekday)) continue;
    const start = day.set({ hour, minute, second: 0, millisecond: 0 }).toJSDate();
    if (start.getTime() < from.getTime() || start.getTime() >= to.getTime()) continue;
    occurrences.push({ startsAt: start, endsAt: new Date(start.getTime() + pattern.durationMinutes * 60_000) });
  }
  return occurrences;
}

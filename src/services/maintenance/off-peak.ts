import { DateTime } from 'luxon';
import { badInput } from '../../shared/domain-error';
import { isValidTimeZone } from '../validation';

/** One weekly interval of local wall-clock time: `day` 1 (Monday) to 7 (Sunday); an `end` at or before `start` runs past midnight. */
export interface OffPeakInterval {
  day: number;
  start: string;
  end: string;
}

/** When a service is quiet enough for maintenance, in its own zone. */
export interface OffPeakHours {
  zone: string;
  intervals: OffPeakInterval[];
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const MAX_INTERVALS = 50;

/** Off-peak hours as given, checked: a known zone, 1–50 intervals, days 1–7, times HH:mm (24:00 allowed as an end). */
export function validateOffPeakHours(field: string, hours: OffPeakHours): OffPeakHours {
  if (!isValidTimeZone(hours.zone)) throw badInput(`${field}.zone`, `unknown time zone "${hours.zone}"`);
  if (!hours.intervals.length || hours.intervals.length > MAX_INTERVALS) throw badInput(`${field}.intervals`, `give 1 to ${MAX_INTERVALS} intervals`);
  hours.intervals.forEach((interval, index) => {
    const at = `${field}.intervals[${index}]`;
    if (!Number.isInteger(interval.day) || interval.day < 1 || interval.day > 7) throw badInput(`${at}.day`, 'must be 1 (Monday) to 7 (Sunday)');
    if (!TIME.test(interval.start) || interval.start === '24:00') throw badInput(`${at}.start`, 'must be HH:mm, 00:00 to 23:59');
    if (!TIME.test(interval.end)) throw badInput(`${at}.end`, 'must be HH:mm, 00:00 to 24:00');
  });
  return { zone: hours.zone, intervals: hours.intervals.map(({ day, start, end }) => ({ day, start, end })) };
}

/**
 * Whether [startsAt, endsAt) lies wholly inside the off-peak hours. Each interval is placed on the real calendar in
 * the service's zone (so 01:00–05:00 on a DST night is the 3 or 5 hours it really is); adjacent intervals join.
 */
export function withinOffPeak(hours: OffPeakHours, startsAt: Date, endsAt: Date): boolean {
  const spans: Array<[number, number]> = [];
  const lastDay = DateTime.fromJSDate(endsAt, { zone: hours.zone }).startOf('day');
  for (let day = DateTime.fromJSDate(startsAt, { zone: hours.zone }).startOf('day').minus({ days: 1 }); day <= lastDay; day = day.plus({ days: 1 })) {
    for (const interval of hours.intervals) {
      if (interval.day !== day.weekday) continue;
      const start = at(day, interval.start);
      let end = at(day, interval.end);
      if (end <= start) end = at(day.plus({ days: 1 }), interval.end);
      spans.push([start, end]);
    }
  }
  spans.sort((a, b) => a[0] - b[0]);
  let coveredUntil = startsAt.getTime();
  for (const [start, end] of spans) {
    if (start > coveredUntil) break;
    coveredUntil = Math.max(coveredUntil, end);
  }
  return coveredUntil >= endsAt.getTime();
}

/** Wall-clock time on a local day (a time the DST change skips moves forward, as Luxon does). */
function at(day: DateTime, time: string): number {
  if (time === '24:00') return day.plus({ days: 1 }).startOf('day').toMillis();
  const [hour, minute] = time.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 }).toMillis();
}

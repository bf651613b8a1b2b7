import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

/**
 * Which days count as business days: Monday to Friday, less the public and bank holidays of a country (or one of its
 * states, `DE-BY`) and a list of extra dates, counted as calendar dates in `zone`.
 */
export interface BusinessCalendar {
  /** ISO 3166 country code, optionally with a state or region (`PT`, `DE-BY`); null: weekends and extra dates only. */
  region: string | null;
  /** Extra non-business dates (`YYYY-MM-DD`), e.g. a company shutdown. */
  extraDates: string[];
  /** IANA zone the dates are counted in. */
  zone: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Holiday types that close offices; `observance` (Mother's Day) and `optional` ones do not. */
const CLOSED: ReadonlySet<string> = new Set(['public', 'bank']);
const holidaysByRegionYear = new Map<string, ReadonlySet<string>>();

/** Why a holiday region code is not one the holiday library knows, or null when it is. */
export function holidayRegionProblem(region: string): string | null {
  const [country, state, ...rest] = region.split('-');
  if (rest.length) return 'must be a country code, optionally with one state or region (PT, DE-BY)';
  const library = new Holidays();
  if (!library.getCountries()[country]) return `unknown country "${country}" (an ISO 3166-1 alpha-2 code such as PT)`;
  if (state && !(library.getStates(country) ?? {})[state]) return `unknown state or region "${state}" of ${country}`;
  return null;
}

/** Why a date list entry is not a `YYYY-MM-DD` calendar date, or null when it is. */
export function calendarDateProblem(date: string): string | null {
  if (!DATE.test(date) || !DateTime.fromISO(date, { zone: 'UTC' }).isValid) return `"${date}" is not a date (YYYY-MM-DD)`;
  return null;
}

export function isValidZone(zone: string): boolean {
  return DateTime.local().setZone(zone).isValid;
}

/** The holidays (`YYYY-MM-DD`) of a region and year, computed once per process. */
function holidaysOf(region: string, year: number): ReadonlySet<string> {
  const key = `${region}:${year}`;
  let dates = holidaysByRegionYear.get(key);
  if (!dates) {
    const [country, state] = region.split('-');
    const library = state ? new Holidays(country, state) : new Holidays(country);
    dates = new Set(library.getHolidays(year).filter((holiday) => CLOSED.has(holiday.type)).map((holiday) => holiday.date.slice(0, 10)));
    holidaysByRegionYear.set(key, dates);
  }
  return dates;
}

/** The public and bank holidays (`YYYY-MM-DD`) of a region in the years `fromYear` to `toYear`, in date order. */
export function closedDatesOf(region: string, fromYear: number, toYear: number): string[] {
  const dates: string[] = [];
  for (let year = fromYear; year <= toYear; year += 1) dates.push(...[...holidaysOf(region, year)].sort());
  return dates;
}

export function isBusinessDay(calendar: BusinessCalendar, day: DateTime): boolean {
  if (day.weekday > 5) return false;
  const date = day.toISODate() as string;
  if (calendar.extraDates.includes(date)) return false;
  return !calendar.region || !holidaysOf(calendar.region, day.year).has(date);
}

/**
 * Business days after the day of `from` up to and including the day of `to`, both as dates in the calendar's zone:
 * announcing on Monday 1 June for Monday 15 June gives 10. Counting stops at `enough` (the answer is then `enough`),
 * so a window booked years ahead costs no more than one booked weeks ahead.
 */
export function businessDaysBetween(calendar: BusinessCalendar, from: Date, to: Date, enough = Number.POSITIVE_INFINITY): number {
  const last = DateTime.fromJSDate(to, { zone: calendar.zone }).startOf('day');
  let day = DateTime.fromJSDate(from, { zone: calendar.zone }).startOf('day').plus({ days: 1 });
  let count = 0;
  while (day <= last && count < enough) {
    if (isBusinessDay(calendar, day)) count += 1;
    day = day.plus({ days: 1 });
  }
  return count;
}

/**
 * The `days`-th business day after the day of `from`, as that day's start in the calendar's zone (0: the day of `from`
 * itself). The inverse of businessDaysBetween: resolving on Friday with 1 gives Monday (or Tuesday after a holiday).
 */
export function addBusinessDays(calendar: BusinessCalendar, from: Date, days: number): DateTime {
  let day = DateTime.fromJSDate(from, { zone: calendar.zone }).startOf('day');
  for (let counted = 0; counted < days; ) {
    day = day.plus({ days: 1 });
    if (isBusinessDay(calendar, day)) counted += 1;
  }
  return day;
}

/** When a local calendar day is over: the next day's midnight in its zone (23 or 25 hours later across a DST change). */
export function endOfDay(day: DateTime): Date {
  return day.startOf('day').plus({ days: 1 }).toJSDate();
}

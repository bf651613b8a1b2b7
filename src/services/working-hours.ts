import { holidayRegionProblem } from '../shared/business-days';
import { badInput } from '../shared/domain-error';

export interface WorkingHoursValue {
  days: number[];
  start: string;
  end: string;
  /** Whose public and bank holidays they have off (`PT`, `DE-BY`); null or absent: none. */
  holidayRegion?: string | null;
}

export const DEFAULT_WORKING_HOURS: WorkingHoursValue = { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' };
const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** A person's working hours as given, checked field by field; days sorted and once each. */
export function validateWorkingHours(field: string, hours: WorkingHoursValue): WorkingHoursValue {
  if (!Array.isArray(hours.days) || hours.days.length > 7) throw badInput(`${field}.days`, 'give 0 to 7 days');
  hours.days.forEach((day, index) => {
    if (!Number.isInteger(day) || day < 1 || day > 7) throw badInput(`${field}.days[${index}]`, 'must be 1 (Monday) to 7 (Sunday)');
  });
  if (!TIME.test(hours.start) || hours.start === '24:00') throw badInput(`${field}.start`, 'must be HH:mm, 00:00 to 23:59');
  if (!TIME.test(hours.end)) throw badInput(`${field}.end`, 'must be HH:mm, 00:00 to 24:00');
  if (hours.start === hours.end) throw badInput(`${field}.end`, 'must differ from the start');
  const region = hours.holidayRegion?.trim() || null;
  const problem = region && holidayRegionProblem(region);
  if (problem) throw badInput(`${field}.holidayRegion`, problem);
  return { days: [...new Set(hours.days)].sort((a, b) => a - b), start: hours.start, end: hours.end, ...(region ? { holidayRegion: region } : {}) };
}

import { MaintenanceKind } from '../../../src/schema/enums';
import { businessDaysBetween, holidayRegionProblem, type BusinessCalendar } from '../../../src/shared/business-days';
import { deriveMaintenanceKind } from '../../../src/services/maintenance/maintenance-kind';

const utc: BusinessCalendar = { region: null, extraDates: [], zone: 'UTC' };
const portugal: BusinessCalendar = { region: 'PT', extraDates: [], zone: 'Europe/Lisbon' };

describe('Business days', () => {
  it.each([
    ['Monday to the Monday two weeks on', '2026-06-01T09:00:00Z', '2026-06-15T09:00:00Z', utc, 10],
    ['Monday to the Friday before', '2026-06-01T09:00:00Z', '2026-06-12T09:00:00Z', utc, 9],
    ['Friday to the Monday after: the weekend does not count', '2026-06-05T09:00:00Z', '2026-06-08T09:00:00Z', utc, 1],
    ['the same day', '2026-06-01T09:00:00Z', '2026-06-01T23:00:00Z', utc, 0],
    // Portugal: 10 June (Dia de Portugal) and 4 June 2026 (Corpo de Deus) are public holidays.
    ['across two Portuguese public holidays', '2026-06-01T09:00:00Z', '2026-06-15T09:00:00Z', portugal, 8],
    ['an extra date closes one more day', '2026-06-01T09:00:00Z', '2026-06-15T09:00:00Z', { ...portugal, extraDates: ['2026-06-12'] }, 7],
    // 17 February 2026 (Carnaval) is only an observance in Portugal: a business day.
    ['an observance is a business day', '2026-02-16T09:00:00Z', '2026-02-17T09:00:00Z', portugal, 1],
  ])('%s', (_name, from, to, calendar, expected) => {
    expect(businessDaysBetween(calendar, new Date(from), new Date(to))).toBe(expected);
  });

  it('counts dates in the calendar zone: 23:30 UTC on a Sunday is already Monday in Lisbon in summer time', () => {
    const announced = new Date('2026-07-10T10:00:00Z'); // Friday
    const sundayNightUtc = new Date('2026-07-12T23:30:00Z');
    expect(businessDaysBetween(utc, announced, sundayNightUtc)).toBe(0);
    expect(businessDaysBetween({ ...utc, zone: 'Europe/Lisbon' }, announced, sundayNightUtc)).toBe(1);
  });

  it('stops counting at enough', () => {
    expect(businessDaysBetween(utc, new Date('2026-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'), 10)).toBe(10);
  });

  it('knows holiday regions and rejects unknown ones', () => {
    expect(holidayRegionProblem('PT')).toBeNull();
    expect(holidayRegionProblem('DE-BY')).toBeNull();
    expect(holidayRegionProblem('XX')).toMatch(/unknown country/);
    expect(holidayRegionProblem('DE-ZZ')).toMatch(/unknown state/);
  });
});

describe('Maintenance kind', () => {
  it.each([
    ['10 business days: planned', '2026-06-01T09:00:00Z', '2026-06-15T02:00:00Z', utc, MaintenanceKind.PLANNED, 10],
    ['9 business days: emergency', '2026-06-01T09:00:00Z', '2026-06-14T02:00:00Z', utc, MaintenanceKind.EMERGENCY, 9],
    ['a weekend start counts the Friday before', '2026-06-05T09:00:00Z', '2026-06-20T02:00:00Z', utc, MaintenanceKind.PLANNED, 10],
    ['holidays push the line: 10 calendar weekdays in Portugal are 8 business days', '2026-06-01T09:00:00Z', '2026-06-15T02:00:00Z', portugal, MaintenanceKind.EMERGENCY, 8],
    ['two more weekdays make up for the holidays', '2026-06-01T09:00:00Z', '2026-06-17T02:00:00Z', portugal, MaintenanceKind.PLANNED, 10],
    // Lisbon moves to summer time on Sunday 29 March 2026: 23:30 UTC that Sunday is 00:30 on Monday 30 March there.
    ['across the DST change, the start counted on its Lisbon date', '2026-03-16T10:00:00Z', '2026-03-29T23:30:00Z', { ...utc, zone: 'Europe/Lisbon' }, MaintenanceKind.PLANNED, 10],
    ['the same instants counted in UTC fall a day short', '2026-03-16T10:00:00Z', '2026-03-29T23:30:00Z', utc, MaintenanceKind.EMERGENCY, 9],
    ['before the DST change 23:30 UTC is still the same date in Lisbon', '2026-03-09T10:00:00Z', '2026-03-22T23:30:00Z', { ...utc, zone: 'Europe/Lisbon' }, MaintenanceKind.EMERGENCY, 9],
  ])('%s', (_name, announced, starts, calendar, kind, days) => {
    expect(deriveMaintenanceKind(calendar, new Date(announced), new Date(starts))).toEqual({ kind, noticeBusinessDays: days });
  });
});

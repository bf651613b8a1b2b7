import { addBusinessDays, businessDaysBetween, endOfDay, type BusinessCalendar } from '../../src/shared/business-days';

const utc: BusinessCalendar = { region: null, extraDates: [], zone: 'UTC' };
const lisbon: BusinessCalendar = { region: 'PT', extraDates: [], zone: 'Europe/Lisbon' };

describe('addBusinessDays', () => {
  it.each([
    ['Friday + 1 skips the weekend', '2026-06-05T15:00:00Z', 1, utc, '2026-06-08'],
    ['Friday + 5 is the next Friday', '2026-06-05T15:00:00Z', 5, utc, '2026-06-12'],
    ['Saturday + 1 is Monday', '2026-06-06T10:00:00Z', 1, utc, '2026-06-08'],
    ['0 is the day itself', '2026-06-06T10:00:00Z', 0, utc, '2026-06-06'],
    // 10 June 2026 (Dia de Portugal, a Wednesday) is a public holiday in Portugal.
    ['a public holiday is skipped', '2026-06-09T10:00:00Z', 1, lisbon, '2026-06-11'],
    ['an extra date of the calendar is skipped too', '2026-06-09T10:00:00Z', 1, { ...lisbon, extraDates: ['2026-06-11'] }, '2026-06-12'],
    // Sunday 23:30 UTC is already Monday in Lisbon (summer time): the count starts a day later there.
    ['the day of `from` is the one in the zone', '2026-07-12T23:30:00Z', 1, { ...utc, zone: 'Europe/Lisbon' }, '2026-07-14'],
    ['the same instant in UTC', '2026-07-12T23:30:00Z', 1, utc, '2026-07-13'],
  ])('%s', (_name, from, days, calendar, expected) => {
    const day = addBusinessDays(calendar, new Date(from), days);
    expect(day.toISODate()).toBe(expected);
    expect(day.zoneName).toBe(calendar.zone);
    expect(day.toFormat('HH:mm')).toBe('00:00');
  });

  it('is the inverse of businessDaysBetween', () => {
    const from = new Date('2026-12-18T16:00:00Z');
    for (let days = 0; days <= 30; days += 1) {
      expect(businessDaysBetween(lisbon, from, addBusinessDays(lisbon, from, days).toJSDate())).toBe(days);
    }
  });

  it('across the end of summer time in Lisbon (25 October 2026): the day ends at local midnight, 25 hours after it began', () => {
    // Thursday 22 October, 16:00 in Lisbon (UTC+1); two business days later is Monday 26, after the change (UTC+0).
    const monday = addBusinessDays(lisbon, new Date('2026-10-22T15:00:00Z'), 2);
    expect(monday.toISODate()).toBe('2026-10-26');
    expect(endOfDay(monday).toISOString()).toBe('2026-10-27T00:00:00.000Z');
    const sunday = addBusinessDays(lisbon, new Date('2026-10-25T12:00:00Z'), 0);
    expect(endOfDay(sunday).getTime() - sunday.toJSDate().getTime()).toBe(25 * 3_600_000);
    expect(sunday.toJSDate().toISOString()).toBe('2026-10-24T23:00:00.000Z');
  });

  it('across the start of summer time (29 March 2026): the end of a day after it is 23:00 UTC', () => {
    const monday = addBusinessDays(lisbon, new Date('2026-03-27T12:00:00Z'), 1);
    expect(monday.toISODate()).toBe('2026-03-30');
    expect(endOfDay(monday).toISOString()).toBe('2026-03-30T23:00:00.000Z');
  });

  it('around Christmas and New Year in Portugal: the 25th and the 1st are skipped with the weekends', () => {
    // Friday 18 December 2026 + 5: 21, 22, 23, 24, (25 holiday), 28.
    expect(addBusinessDays(lisbon, new Date('2026-12-18T16:00:00Z'), 5).toISODate()).toBe('2026-12-28');
    // + 9: 29, 30, 31, (1 January holiday), 4 January 2027.
    expect(addBusinessDays(lisbon, new Date('2026-12-18T16:00:00Z'), 9).toISODate()).toBe('2027-01-04');
  });
});

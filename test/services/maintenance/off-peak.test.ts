import { validateOffPeakHours, withinOffPeak, type OffPeakHours } from '../../../src/services/maintenance/off-peak';
import { DomainError } from '../../../src/shared/domain-error';

/** Every night 01:00–05:00 in Lisbon, and all of Sunday. */
const nights: OffPeakHours = {
  zone: 'Europe/Lisbon',
  intervals: [1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '01:00', end: '05:00' })).concat([{ day: 7, start: '00:00', end: '24:00' }]),
};
/** Friday 22:00 to Saturday 06:00, across midnight. */
const fridayNight: OffPeakHours = { zone: 'UTC', intervals: [{ day: 5, start: '22:00', end: '06:00' }] };

describe('Off-peak hours', () => {
  it.each([
    ['inside one night (Tuesday, summer time)', nights, '2026-06-02T00:30:00Z', '2026-06-02T03:00:00Z', true],
    ['running past the end of the night', nights, '2026-06-02T02:00:00Z', '2026-06-02T05:00:00Z', false],
    ['Sunday, up to its local midnight', nights, '2026-06-07T10:00:00Z', '2026-06-07T23:00:00Z', true],
    ['through the hour between Sunday and Monday night', nights, '2026-06-07T22:00:00Z', '2026-06-08T00:30:00Z', false],
    ['across midnight of an interval that ends the next day', fridayNight, '2026-06-05T23:00:00Z', '2026-06-06T05:00:00Z', true],
    ['starting before it', fridayNight, '2026-06-05T21:00:00Z', '2026-06-06T01:00:00Z', false],
    // 29 March 2026, Lisbon: 01:00 jumps to 02:00; Sunday all day is 23 hours long and still all of Sunday.
    ['Sunday of the DST change, in full', nights, '2026-03-29T00:00:00Z', '2026-03-29T22:59:00Z', true],
  ])('%s', (_name, hours, starts, ends, inside) => {
    expect(withinOffPeak(hours, new Date(starts), new Date(ends))).toBe(inside);
  });

  it.each([
    [{ zone: 'Mars/Olympus', intervals: [{ day: 1, start: '01:00', end: '02:00' }] }, 'offPeakHours.zone'],
    [{ zone: 'UTC', intervals: [] }, 'offPeakHours.intervals'],
    [{ zone: 'UTC', intervals: [{ day: 8, start: '01:00', end: '02:00' }] }, 'offPeakHours.intervals[0].day'],
    [{ zone: 'UTC', intervals: [{ day: 1, start: '1:00', end: '02:00' }] }, 'offPeakHours.intervals[0].start'],
    [{ zone: 'UTC', intervals: [{ day: 1, start: '01:00', end: '25:00' }] }, 'offPeakHours.intervals[0].end'],
  ])('rejects %j naming %s', (hours, field) => {
    expect(() => validateOffPeakHours('offPeakHours', hours)).toThrow(expect.objectContaining({ field }) as DomainError);
  });
});

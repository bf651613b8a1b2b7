import { weeklyOccurrences, type WeeklyPattern } from '../../../src/services/maintenance/weekly-occurrences';

const tuesdayNights: WeeklyPattern = { zone: 'Europe/Lisbon', weekdays: [2], startTime: '22:00', durationMinutes: 120 };
const starts = (pattern: WeeklyPattern, from: string, to: string) => weeklyOccurrences(pattern, new Date(from), new Date(to)).map((o) => o.startsAt.toISOString());

describe('weeklyOccurrences', () => {
  it.each([
    ['spring forward (29 March 2026)', '2026-03-20T00:00:00Z', '2026-04-08T00:00:00Z', ['2026-03-24T22:00:00.000Z', '2026-03-31T21:00:00.000Z', '2026-04-07T21:00:00.000Z']],
    ['fall back (25 October 2026)', '2026-10-15T00:00:00Z', '2026-11-04T00:00:00Z', ['2026-10-20T21:00:00.000Z', '2026-10-27T22:00:00.000Z', '2026-11-03T22:00:00.000Z']],
  ])('keeps a 22:00 Europe/Lisbon window at 22:00 local across the %s', (_change, from, to, expected) => {
    expect(starts(tuesdayNights, from, to)).toEqual(expected);
  });

  it.each([
    ['from is inclusive', '2026-03-24T22:00:00Z', '2026-03-31T21:00:00Z', ['2026-03-24T22:00:00.000Z']],
    ['to is exclusive', '2026-03-24T22:00:00.001Z', '2026-03-31T21:00:00Z', []],
    ['a range inside one day after the start', '2026-03-24T22:30:00Z', '2026-03-24T23:30:00Z', []],
  ])('takes starts in [from, to): %s', (_case, from, to, expected) => {
    expect(starts(tuesdayNights, from, to)).toEqual(expected);
  });

  it('takes every weekday given, in order, and ends each after its duration of elapsed time', () => {
    const occurrences = weeklyOccurrences({ zone: 'America/New_York', weekdays: [6, 1], startTime: '01:30', durationMinutes: 90 }, new Date('2026-03-06T00:00:00Z'), new Date('2026-03-10T00:00:00Z'));
    expect(occurrences.map((o) => [o.startsAt.toISOString(), o.endsAt.toISOString()])).toEqual([
      ['2026-03-07T06:30:00.000Z', '2026-03-07T08:00:00.000Z'], // Saturday, EST
      ['2026-03-09T05:30:00.000Z', '2026-03-09T07:00:00.000Z'], // Monday, EDT after 8 March
    ]);
  });

  it('moves a start the DST change skips forward: 01:30 on 29 March 2026 in Lisbon is 02:30 WEST', () => {
    expect(starts({ zone: 'Europe/Lisbon', weekdays: [7], startTime: '01:30', durationMinutes: 60 }, '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z')).toEqual(['2026-03-29T01:30:00.000Z']);
  });

  it('crosses a year in a zone far from UTC', () => {
    expect(starts({ zone: 'Pacific/Auckland', weekdays: [4], startTime: '23:00', durationMinutes: 60 }, '2026-12-28T00:00:00Z', '2027-01-12T00:00:00Z')).toEqual([
      '2026-12-31T10:00:00.000Z',
      '2027-01-07T10:00:00.000Z',
    ]);
  });
});

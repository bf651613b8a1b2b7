import { resolveShifts } from '../../../src/services/rota';
import { at, hoursOf, localTime, scheduleWith, utc } from './schedule-builders';

describe('schedule resolution across DST', () => {
  describe.each([
    { zone: 'Europe/Lisbon', springDay: '2026-03-29', fallDay: '2026-10-25' },
    { zone: 'America/New_York', springDay: '2026-03-08', fallDay: '2026-11-01' },
  ])('daily rotation in $zone', ({ zone, springDay, fallDay }) => {
    const schedule = scheduleWith(zone, { participants: ['ana', 'bruno', 'carla'], start: '2026-01-05T09:00' });

    it.each([
      ['spring-forward', springDay],
      ['fall-back', fallDay],
    ])('hands off at 09:00 local on both sides of the %s change', (_change, day) => {
      const timeline = resolveShifts(schedule, at(`${shiftDay(day, -2)}T09:00`, zone), at(`${shiftDay(day, 3)}T09:00`, zone));
      const handoffs = timeline.shifts.map((shift) => localTime(shift.start, zone));
      expect(handoffs).toEqual([-2, -1, 0, 1, 2].map((n) => `${shiftDay(day, n)}T09:00`));
      expect(timeline.gaps).toEqual([]);
    });

    it('makes the 1-day shift across the spring-forward night 23 hours long', () => {
      const { shifts } = resolveShifts(schedule, at(`${shiftDay(springDay, -1)}T09:00`, zone), at(`${springDay}T09:00`, zone));
      expect(shifts).toHaveLength(1);
      expect(hoursOf(shifts[0])).toBe(23);
    });

    it('makes the 1-day shift across the fall-back night 25 hours long', () => {
      const { shifts } = resolveShifts(schedule, at(`${shiftDay(fallDay, -1)}T09:00`, zone), at(`${fallDay}T09:00`, zone));
      expect(shifts).toHaveLength(1);
      expect(hoursOf(shifts[0])).toBe(25);
    });

    it('keeps the rotation order going through the change', () => {
      const { shifts } = resolveShifts(schedule, at(`${shiftDay(springDay, -1)}T09:00`, zone), at(`${shiftDay(springDay, 2)}T09:00`, zone));
      // 82 days (Lisbon) and 61 days (New York) after ana's first shift on 2026-01-05: bruno's turn.
      expect(shifts.map((shift) => shift.personId)).toEqual(['bruno', 'carla', 'ana']);
    });
  });

  describe('weekly rotation in America/New_York', () => {
    const schedule = scheduleWith('America/New_York', {
      participants: ['ana', 'bruno'],
      rotation: { unit: 'weeks', length: 1 },
      start: '2026-01-05T09:00', // a Monday
    });

    it('hands off on Mondays at 09:00 local, the spring-forward week lasting 167 hours', () => {
      const { shifts } = resolveShifts(schedule, at('2026-03-02T09:00', 'America/New_York'), at('2026-03-16T09:00', 'America/New_York'));
      expect(shifts.map((s) => localTime(s.start, 'America/New_York'))).toEqual(['2026-03-02T09:00', '2026-03-09T09:00']);
      expect(shifts.map(hoursOf)).toEqual([167, 168]);
      expect(shifts.map((s) => s.personId)).toEqual(['ana', 'bruno']); // 8 and 9 weeks after the start
    });

    it('makes the fall-back week 169 hours long', () => {
      const { shifts } = resolveShifts(schedule, at('2026-10-26T09:00', 'America/New_York'), at('2026-11-02T09:00', 'America/New_York'));
      expect(shifts.map(hoursOf)).toEqual([169]);
    });
  });

  describe('weekly rotation in Europe/Lisbon', () => {
    it('hands off at Sunday 09:00 local on the spring-forward day', () => {
      const schedule = scheduleWith('Europe/Lisbon', { rotation: { unit: 'weeks', length: 2 }, start: '2026-03-15T09:00' });
      const { shifts } = resolveShifts(schedule, at('2026-03-20T00:00', 'Europe/Lisbon'), at('2026-04-02T00:00', 'Europe/Lisbon'));
      expect(shifts.map((s) => [localTime(s.start, 'Europe/Lisbon'), s.personId])).toEqual([
        ['2026-03-20T00:00', 'ana'],
        ['2026-03-29T09:00', 'bruno'],
      ]);
      expect(hoursOf({ start: at('2026-03-15T09:00', 'Europe/Lisbon'), end: shifts[1].start })).toBe(14 * 24 - 1);
    });
  });

  describe('hours rotation keeps local clock handoffs', () => {
    const schedule = scheduleWith('Europe/Lisbon', {
      participants: ['stefania', 'rafael', 'abdul'],
      rotation: { unit: 'hours', length: 8 },
      start: '2026-03-01T02:00',
    });

    it('hands off at 02:00, 10:00 and 18:00 local on both sides of the spring-forward change', () => {
      const { shifts } = resolveShifts(schedule, at('2026-03-28T02:00', 'Europe/Lisbon'), at('2026-03-30T02:00', 'Europe/Lisbon'));
      expect(shifts.map((s) => `${localTime(s.start, 'Europe/Lisbon')} ${s.personId} ${hoursOf(s)}h`)).toEqual([
        '2026-03-28T02:00 stefania 8h',
        '2026-03-28T10:00 rafael 8h',
        '2026-03-28T18:00 abdul 7h', // the night the clocks go forward
        '2026-03-29T02:00 stefania 8h',
        '2026-03-29T10:00 rafael 8h',
        '2026-03-29T18:00 abdul 8h',
      ]);
    });

    it('makes the night shift 9 hours long when the clocks go back', () => {
      const { shifts } = resolveShifts(schedule, at('2026-10-24T18:00', 'Europe/Lisbon'), at('2026-10-25T10:00', 'Europe/Lisbon'));
      expect(shifts.map((s) => `${localTime(s.start, 'Europe/Lisbon')} ${s.personId} ${hoursOf(s)}h`)).toEqual([
        '2026-10-24T18:00 abdul 9h',
        '2026-10-25T02:00 stefania 8h',
      ]);
    });
  });

  describe('handoff times the clock skips or repeats', () => {
    it('hands off at the moment of the change when the handoff time is skipped (02:30 in New York)', () => {
      const schedule = scheduleWith('America/New_York', { start: '2026-03-01T02:30' });
      const { shifts } = resolveShifts(schedule, at('2026-03-07T12:00', 'America/New_York'), at('2026-03-09T12:00', 'America/New_York'));
      expect(shifts.map((s) => localTime(s.start, 'America/New_York'))).toEqual([
        '2026-03-07T12:00',
        '2026-03-08T03:00',
        '2026-03-09T02:30',
      ]);
    });

    it.each([
      ['America/New_York', '2026-11-01', '2026-11-01T05:30Z'],
      ['Europe/Lisbon', '2026-10-25', '2026-10-25T00:30Z'],
    ])('hands off at the first 01:30 when the clock in %s shows 01:30 twice', (zone, fallDay, firstOneThirty) => {
      const schedule = scheduleWith(zone, { start: '2026-10-01T01:30' });
      const { shifts } = resolveShifts(schedule, at(`${fallDay}T00:00`, zone), at(`${fallDay}T12:00`, zone));
      expect(shifts[1].start).toEqual(utc(firstOneThirty));
      expect(hoursOf(shifts[0])).toBe(1.5);
    });
  });
});

function shiftDay(day: string, n: number): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
}

import { resolveShifts, whoIsOnCall, type Schedule } from '../../../src/services/rota';
import { at, describeShifts, hoursOf, localTime, override, scheduleWith, utc } from './schedule-builders';

/** ana all day on 2026-04-07, bruno on 2026-04-08 (UTC, daily 00:00 handoff). */
const base = scheduleWith('UTC', { id: 'primary', participants: ['ana', 'bruno'], start: '2026-04-07T00:00' });
const withOverrides = (...overrides: Schedule['overrides']): Schedule => ({ ...base, overrides });

describe('overrides', () => {
  it('puts the override person on call for exactly the override interval', () => {
    const schedule = withOverrides(override('o1', 'carla', '2026-04-07T10:00', '2026-04-07T14:00', '2026-04-01T00:00'));
    const { shifts } = resolveShifts(schedule, utc('2026-04-07T00:00'), utc('2026-04-08T00:00'));
    expect(describeShifts(shifts)).toEqual([
      '2026-04-07T00:00–2026-04-07T10:00 ana primary',
      '2026-04-07T10:00–2026-04-07T14:00 carla o1',
      '2026-04-07T14:00–2026-04-08T00:00 ana primary',
    ]);
    expect(shifts[1]).toMatchObject({ layerId: null, overrideId: 'o1' });
    expect(shifts[0]).toMatchObject({ layerId: 'primary', overrideId: null });
    expect(whoIsOnCall(schedule, utc('2026-04-07T13:59')).primary).toEqual(['carla']);
    expect(whoIsOnCall(schedule, utc('2026-04-07T14:00')).primary).toEqual(['ana']);
  });

  it('fills a gap where no layer covers anybody', () => {
    const schedule: Schedule = { timeZone: 'UTC', layers: [], overrides: [override('o1', 'carla', '2026-04-07T10:00', '2026-04-07T14:00', '2026-04-01T00:00')] };
    const { shifts, gaps } = resolveShifts(schedule, utc('2026-04-07T08:00'), utc('2026-04-07T16:00'));
    expect(describeShifts(shifts)).toEqual(['2026-04-07T10:00–2026-04-07T14:00 carla o1']);
    expect(gaps).toEqual([
      { start: utc('2026-04-07T08:00'), end: utc('2026-04-07T10:00') },
      { start: utc('2026-04-07T14:00'), end: utc('2026-04-07T16:00') },
    ]);
  });

  it('is clipped to the requested window', () => {
    const schedule = withOverrides(override('o1', 'carla', '2026-04-06T10:00', '2026-04-09T14:00', '2026-04-01T00:00'));
    const { shifts } = resolveShifts(schedule, utc('2026-04-07T00:00'), utc('2026-04-08T00:00'));
    expect(describeShifts(shifts)).toEqual(['2026-04-07T00:00–2026-04-08T00:00 carla o1']);
  });

  describe('stacked overlapping overrides, resolved by recency', () => {
    it('lets a newer override inside an older one punch through it', () => {
      const schedule = withOverrides(
        override('outer', 'carla', '2026-04-07T08:00', '2026-04-07T20:00', '2026-04-01T00:00'),
        override('inner', 'dmitri', '2026-04-07T12:00', '2026-04-07T14:00', '2026-04-02T00:00'),
      );
      const { shifts } = resolveShifts(schedule, utc('2026-04-07T06:00'), utc('2026-04-07T22:00'));
      expect(describeShifts(shifts)).toEqual([
        '2026-04-07T06:00–2026-04-07T08:00 ana primary',
        '2026-04-07T08:00–2026-04-07T12:00 carla outer',
        '2026-04-07T12:00–2026-04-07T14:00 dmitri inner',
        '2026-04-07T14:00–2026-04-07T20:00 carla outer',
        '2026-04-07T20:00–2026-04-07T22:00 ana primary',
      ]);
    });

    it('hides an older inner override completely under a newer outer one', () => {
      const schedule = withOverrides(
        override('inner', 'dmitri', '2026-04-07T12:00', '2026-04-07T14:00', '2026-04-01T00:00'),
        override('outer', 'carla', '2026-04-07T08:00', '2026-04-07T20:00', '2026-04-02T00:00'),
      );
      const { shifts } = resolveShifts(schedule, utc('2026-04-07T06:00'), utc('2026-04-07T22:00'));
      expect(describeShifts(shifts)).toEqual([
        '2026-04-07T06:00–2026-04-07T08:00 ana primary',
        '2026-04-07T08:00–2026-04-07T20:00 carla outer',
        '2026-04-07T20:00–2026-04-07T22:00 ana primary',
      ]);
    });

    it('decides by creation time, not by the order the overrides are listed', () => {
      const older = override('older', 'carla', '2026-04-07T08:00', '2026-04-07T12:00', '2026-04-01T00:00');
      const newer = override('newer', 'dmitri', '2026-04-07T10:00', '2026-04-07T14:00', '2026-04-03T00:00');
      const expected = [
        '2026-04-07T08:00–2026-04-07T10:00 carla older',
        '2026-04-07T10:00–2026-04-07T14:00 dmitri newer',
      ];
      for (const schedule of [withOverrides(older, newer), withOverrides(newer, older)]) {
        const { shifts } = resolveShifts(schedule, utc('2026-04-07T08:00'), utc('2026-04-07T14:00'));
        expect(describeShifts(shifts)).toEqual(expected);
      }
    });

    it('lets the override listed later win when two were created at the same instant', () => {
      const schedule = withOverrides(
        override('first', 'carla', '2026-04-07T08:00', '2026-04-07T12:00', '2026-04-01T00:00'),
        override('second', 'dmitri', '2026-04-07T08:00', '2026-04-07T12:00', '2026-04-01T00:00'),
      );
      expect(whoIsOnCall(schedule, utc('2026-04-07T09:00')).primary).toEqual(['dmitri']);
    });
  });

  describe('an override across a DST change', () => {
    const zone = 'Europe/Lisbon';
    const schedule: Schedule = {
      ...scheduleWith(zone, { id: 'daily', participants: ['ana', 'bruno'], start: '2026-03-01T09:00' }),
      // 20:00 local Saturday to 10:00 local Sunday, the night the clocks go forward.
      overrides: [{ id: 'weekend', personId: 'carla', start: at('2026-03-28T20:00', zone), end: at('2026-03-29T10:00', zone), createdAt: utc('2026-03-20T00:00') }],
    };

    it('lasts its real 13 hours, shortening the 23-hour spring-forward shift it interrupts', () => {
      const { shifts } = resolveShifts(schedule, at('2026-03-28T09:00', zone), at('2026-03-30T09:00', zone));
      expect(shifts.map((s) => `${localTime(s.start, zone)}–${localTime(s.end, zone)} ${s.personId} ${hoursOf(s)}h`)).toEqual([
        '2026-03-28T09:00–2026-03-28T20:00 bruno 11h',
        '2026-03-28T20:00–2026-03-29T10:00 carla 13h',
        '2026-03-29T10:00–2026-03-30T09:00 ana 23h',
      ]);
    });
  });
});

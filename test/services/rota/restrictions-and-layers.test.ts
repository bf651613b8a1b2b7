import { resolveShifts, whoIsOnCall } from '../../../src/services/rota';
import { at, describeShifts, hoursOf, localTime, scheduleWith, utc } from './schedule-builders';

describe('restriction windows', () => {
  const nights = (zone: string) =>
    scheduleWith(zone, { participants: ['nina'], start: '2026-01-01T00:00', restrictions: [{ start: '18:00', end: '02:00' }] });

  it('covers from 18:00 to 02:00 the next morning when the window crosses midnight', () => {
    const timeline = resolveShifts(nights('UTC'), utc('2026-04-10T00:00'), utc('2026-04-12T00:00'));
    expect(describeShifts(timeline.shifts)).toEqual([
      '2026-04-10T00:00–2026-04-10T02:00 nina layer-0', // the tail of the window opened the evening before
      '2026-04-10T18:00–2026-04-11T02:00 nina layer-0',
      '2026-04-11T18:00–2026-04-12T00:00 nina layer-0',
    ]);
    expect(timeline.gaps.map((g) => [g.start, g.end])).toEqual([
      [utc('2026-04-10T02:00'), utc('2026-04-10T18:00')],
      [utc('2026-04-11T02:00'), utc('2026-04-11T18:00')],
    ]);
  });

  it('lasts 7 hours of real time on the Lisbon spring-forward night and 9 on the fall-back night', () => {
    const zone = 'Europe/Lisbon';
    const spring = resolveShifts(nights(zone), at('2026-03-28T12:00', zone), at('2026-03-29T12:00', zone)).shifts;
    expect(spring.map((s) => [localTime(s.start, zone), localTime(s.end, zone), hoursOf(s)])).toEqual([
      ['2026-03-28T18:00', '2026-03-29T02:00', 7],
    ]);
    const fall = resolveShifts(nights(zone), at('2026-10-24T12:00', zone), at('2026-10-25T12:00', zone)).shifts;
    expect(fall.map((s) => [localTime(s.start, zone), localTime(s.end, zone), hoursOf(s)])).toEqual([
      ['2026-10-24T18:00', '2026-10-25T02:00', 9],
    ]);
  });

  it('closes at the moment of the change when its end time is skipped (New York, 18:00–02:30)', () => {
    const zone = 'America/New_York';
    const schedule = scheduleWith(zone, { participants: ['nina'], start: '2026-01-01T00:00', restrictions: [{ start: '18:00', end: '02:30' }] });
    const { shifts } = resolveShifts(schedule, at('2026-03-07T12:00', zone), at('2026-03-08T12:00', zone));
    expect(shifts.map((s) => [localTime(s.start, zone), localTime(s.end, zone), hoursOf(s)])).toEqual([
      ['2026-03-07T18:00', '2026-03-08T03:00', 8],
    ]);
  });

  it('keeps the rotation running outside the windows: the window shows whoever holds the shift', () => {
    const schedule = scheduleWith('UTC', {
      participants: ['ana', 'bruno'],
      rotation: { unit: 'days', length: 1 },
      start: '2026-04-01T00:00',
      restrictions: [{ start: '09:00', end: '17:00' }],
    });
    const { shifts } = resolveShifts(schedule, utc('2026-04-01T00:00'), utc('2026-04-03T00:00'));
    expect(describeShifts(shifts)).toEqual([
      '2026-04-01T09:00–2026-04-01T17:00 ana layer-0',
      '2026-04-02T09:00–2026-04-02T17:00 bruno layer-0',
    ]);
  });

  it('merges several windows of one layer that touch', () => {
    const schedule = scheduleWith('UTC', {
      participants: ['ana'],
      start: '2026-04-01T00:00',
      restrictions: [
        { start: '08:00', end: '12:00' },
        { start: '12:00', end: '14:00' },
      ],
    });
    const { shifts } = resolveShifts(schedule, utc('2026-04-01T00:00'), utc('2026-04-02T00:00'));
    expect(describeShifts(shifts)).toEqual(['2026-04-01T08:00–2026-04-01T14:00 ana layer-0']);
  });
});

describe('layers', () => {
  const schedule = scheduleWith(
    'UTC',
    { name: 'Weekly primary', priority: 0, participants: ['ana', 'bruno'], rotation: { unit: 'weeks', length: 1 }, start: '2026-04-06T09:00' },
    {
      name: 'Business-hours specialist',
      priority: 10,
      participants: ['sam'],
      start: '2026-04-06T00:00',
      restrictions: [{ start: '09:00', end: '17:00' }],
    },
  );

  it('lets a higher layer cover a lower one only within its restrictions', () => {
    const { shifts, gaps } = resolveShifts(schedule, utc('2026-04-07T00:00'), utc('2026-04-08T00:00'));
    expect(describeShifts(shifts)).toEqual([
      '2026-04-07T00:00–2026-04-07T09:00 ana layer-0',
      '2026-04-07T09:00–2026-04-07T17:00 sam layer-1',
      '2026-04-07T17:00–2026-04-08T00:00 ana layer-0',
    ]);
    expect(gaps).toEqual([]);
  });

  it('lets the lower layer show through in the same place whatever order the layers are listed in', () => {
    const reversed = { ...schedule, layers: [...schedule.layers].reverse() };
    expect(resolveShifts(reversed, utc('2026-04-07T00:00'), utc('2026-04-08T00:00'))).toEqual(
      resolveShifts(schedule, utc('2026-04-07T00:00'), utc('2026-04-08T00:00')),
    );
  });

  it('reports gaps where no layer has anybody on call', () => {
    const sparse = scheduleWith(
      'UTC',
      { participants: ['ana'], start: '2026-04-07T06:00', restrictions: [{ start: '06:00', end: '12:00' }] },
      { participants: ['sam'], priority: 5, start: '2026-04-07T00:00', restrictions: [{ start: '10:00', end: '14:00' }] },
    );
    const { shifts, gaps } = resolveShifts(sparse, utc('2026-04-07T00:00'), utc('2026-04-08T00:00'));
    expect(describeShifts(shifts)).toEqual([
      '2026-04-07T06:00–2026-04-07T10:00 ana layer-0',
      '2026-04-07T10:00–2026-04-07T14:00 sam layer-1',
    ]);
    expect(gaps).toEqual([
      { start: utc('2026-04-07T00:00'), end: utc('2026-04-07T06:00') },
      { start: utc('2026-04-07T14:00'), end: utc('2026-04-08T00:00') },
    ]);
    expect(whoIsOnCall({ ...sparse, backups: ['lead'] }, utc('2026-04-07T15:00'))).toEqual({ primary: [], backups: ['lead'] });
  });

  it('covers nobody before the layer start', () => {
    const late = scheduleWith('UTC', { participants: ['ana'], start: '2026-04-07T12:00' });
    const { shifts, gaps } = resolveShifts(late, utc('2026-04-07T00:00'), utc('2026-04-08T00:00'));
    expect(describeShifts(shifts)).toEqual(['2026-04-07T12:00–2026-04-08T00:00 ana layer-0']);
    expect(gaps).toEqual([{ start: utc('2026-04-07T00:00'), end: utc('2026-04-07T12:00') }]);
  });

  it('merges consecutive shifts of the same person from the same layer, clipped to the window', () => {
    const solo = scheduleWith('UTC', { participants: ['ana'], start: '2026-01-01T09:00' });
    const { shifts } = resolveShifts(solo, utc('2026-04-07T12:00'), utc('2026-04-10T12:00'));
    expect(describeShifts(shifts)).toEqual(['2026-04-07T12:00–2026-04-10T12:00 ana layer-0']);
  });
});

import {
  MAX_RESOLVE_WINDOW_DAYS,
  ScheduleValidationError,
  resolveShifts,
  validateSchedule,
  whoIsOnCall,
  type Schedule,
} from '../../../src/services/rota';
import { layer, override, utc } from './schedule-builders';

const valid: Schedule = {
  timeZone: 'Europe/Lisbon',
  layers: [layer({ restrictions: [{ start: '18:00', end: '02:00' }] })],
  overrides: [override('o1', 'carla', '2026-04-07T10:00', '2026-04-07T14:00', '2026-04-01T00:00')],
  backups: ['lead'],
};

function fieldsOf(schedule: Schedule): string[] {
  return validateSchedule(schedule).map((issue) => issue.field);
}

describe('schedule validation', () => {
  it('accepts a valid schedule', () => {
    expect(validateSchedule(valid)).toEqual([]);
  });

  it('names the time zone when it is not an IANA zone', () => {
    expect(validateSchedule({ ...valid, timeZone: 'Mars/Olympus_Mons' })).toEqual([
      { field: 'timeZone', message: expect.stringContaining('IANA') },
    ]);
  });

  it('names the participants of a layer with nobody in it', () => {
    expect(fieldsOf({ ...valid, layers: [layer(), layer({ id: 'empty', participants: [] })] })).toEqual(['layers[1].participants']);
  });

  it.each([0, -1, 1.5])('names the rotation length when it is %p', (length) => {
    expect(fieldsOf({ ...valid, layers: [layer({ rotation: { unit: 'days', length } })] })).toEqual(['layers[0].rotation.length']);
  });

  it('names an unknown rotation unit', () => {
    const rotation = { unit: 'months', length: 1 } as unknown as Schedule['layers'][0]['rotation'];
    expect(fieldsOf({ ...valid, layers: [layer({ rotation })] })).toEqual(['layers[0].rotation.unit']);
  });

  it.each(['24:00', '9:00', '09:60', 'nine'])('names a restriction edge written %p', (time) => {
    const restrictions = [{ start: '09:00', end: '17:00' }, { start: time, end: '02:00' }];
    expect(fieldsOf({ ...valid, layers: [layer({ restrictions })] })).toEqual(['layers[0].restrictions[1].start']);
  });

  it.each(['2026-03-01T09:00Z', '2026-03-01', '2026-02-30T09:00', 'tomorrow'])('names a layer start written %p', (start) => {
    expect(fieldsOf({ ...valid, layers: [layer({ start })] })).toEqual(['layers[0].start']);
  });

  it('names duplicate layer ids and non-integer priorities', () => {
    expect(fieldsOf({ ...valid, layers: [layer(), layer({ priority: 0.5 })] })).toEqual(['layers[1].priority', 'layers[1].id']);
  });

  it('names an override whose end is not after its start', () => {
    const backwards = override('o2', 'dmitri', '2026-04-07T14:00', '2026-04-07T14:00', '2026-04-01T00:00');
    expect(validateSchedule({ ...valid, overrides: [...valid.overrides, backwards] })).toEqual([
      { field: 'overrides[1].end', message: 'must be after start' },
    ]);
  });

  it('names override fields that are not valid dates (as when a stored schedule was not revived)', () => {
    const unrevived = { ...valid.overrides[0], createdAt: '2026-04-01T00:00:00Z' } as unknown as Schedule['overrides'][0];
    expect(fieldsOf({ ...valid, overrides: [unrevived] })).toEqual(['overrides[0].createdAt']);
  });

  it('names an empty backup id', () => {
    expect(fieldsOf({ ...valid, backups: ['lead', ''] })).toEqual(['backups[1]']);
  });

  it('makes resolveShifts and whoIsOnCall refuse an invalid schedule, listing the issues', () => {
    const invalid = { ...valid, layers: [layer({ participants: [] })] };
    expect(() => resolveShifts(invalid, utc('2026-04-07T00:00'), utc('2026-04-08T00:00'))).toThrow(ScheduleValidationError);
    expect(() => whoIsOnCall(invalid, utc('2026-04-07T00:00'))).toThrow(/layers\[0\]\.participants/);
  });
});

describe('resolution window bounds', () => {
  it(`refuses a window longer than ${MAX_RESOLVE_WINDOW_DAYS} days`, () => {
    expect(() => resolveShifts(valid, utc('2026-01-01T00:00'), utc('2027-02-06T00:00'))).toThrow(RangeError);
  });

  it(`resolves a window of exactly ${MAX_RESOLVE_WINDOW_DAYS} days of hourly shifts`, () => {
    const hourly: Schedule = { ...valid, timeZone: 'UTC', layers: [layer({ rotation: { unit: 'hours', length: 1 }, restrictions: undefined })], overrides: [] };
    const from = utc('2026-01-05T09:00');
    const to = new Date(from.getTime() + MAX_RESOLVE_WINDOW_DAYS * 86_400_000);
    const { shifts, gaps } = resolveShifts(hourly, from, to);
    expect(gaps).toEqual([]);
    expect(shifts[0].start).toEqual(from);
    expect(shifts[shifts.length - 1].end).toEqual(to);
    expect(shifts.length).toBe(MAX_RESOLVE_WINDOW_DAYS * 24);
  });

  it('refuses a window that ends before it starts, and returns nothing for an empty one', () => {
    expect(() => resolveShifts(valid, utc('2026-04-08T00:00'), utc('2026-04-07T00:00'))).toThrow(RangeError);
    expect(resolveShifts(valid, utc('2026-04-08T00:00'), utc('2026-04-08T00:00'))).toEqual({ shifts: [], gaps: [] });
  });
});

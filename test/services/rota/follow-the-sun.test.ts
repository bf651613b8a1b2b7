import { resolveShifts, whoIsOnCall, type Schedule } from '../../../src/services/rota';
import { describeShifts, layer, utc } from './schedule-builders';

/** The domain's follow-the-sun rota, in UTC: Stefania 02–10, Rafael 10–18, Abdul 18–02. */
const asThreeRestrictedLayers: Schedule = {
  timeZone: 'UTC',
  layers: [
    layer({ id: 'emea', name: 'EMEA', participants: ['stefania'], start: '2026-01-01T00:00', restrictions: [{ start: '02:00', end: '10:00' }] }),
    layer({ id: 'amer', name: 'Americas', participants: ['rafael'], start: '2026-01-01T00:00', restrictions: [{ start: '10:00', end: '18:00' }] }),
    layer({ id: 'apac', name: 'APAC', participants: ['abdul'], start: '2026-01-01T00:00', restrictions: [{ start: '18:00', end: '02:00' }] }),
  ],
  overrides: [],
  backups: ['incident-commander', 'engineering-manager'],
};

const asOneLayerOfEightHourShifts: Schedule = {
  timeZone: 'UTC',
  layers: [
    layer({ id: 'sun', name: 'Follow the sun', participants: ['stefania', 'rafael', 'abdul'], rotation: { unit: 'hours', length: 8 }, start: '2026-01-01T02:00' }),
  ],
  overrides: [],
  backups: ['incident-commander', 'engineering-manager'],
};

describe.each([
  ['three single-person layers with restriction windows', asThreeRestrictedLayers],
  ['one layer of 8-hour shifts', asOneLayerOfEightHourShifts],
])('the follow-the-sun rota as %s', (_form, schedule) => {
  it.each([
    ['01:59', 'abdul'],
    ['02:00', 'stefania'],
    ['09:59', 'stefania'],
    ['10:00', 'rafael'],
    ['17:59', 'rafael'],
    ['18:00', 'abdul'],
  ])('has the right person on call at %s UTC', (time, person) => {
    expect(whoIsOnCall(schedule, utc(`2026-04-15T${time}`)).primary).toEqual([person]);
  });

  it('lists the backups after the primary', () => {
    expect(whoIsOnCall(schedule, utc('2026-04-15T12:00'))).toEqual({
      primary: ['rafael'],
      backups: ['incident-commander', 'engineering-manager'],
    });
  });

  it('covers the whole day with no gaps, across the DST dates of other zones', () => {
    const { shifts, gaps } = resolveShifts(schedule, utc('2026-03-29T00:00'), utc('2026-03-30T00:00'));
    expect(gaps).toEqual([]);
    expect(describeShifts(shifts).map((line) => line.replace(/ \S+$/, ''))).toEqual([
      '2026-03-29T00:00–2026-03-29T02:00 abdul',
      '2026-03-29T02:00–2026-03-29T10:00 stefania',
      '2026-03-29T10:00–2026-03-29T18:00 rafael',
      '2026-03-29T18:00–2026-03-30T00:00 abdul',
    ]);
  });
});

describe('backups', () => {
  it('does not repeat the primary among the backups, nor a backup twice', () => {
    const schedule = { ...asOneLayerOfEightHourShifts, backups: ['rafael', 'lead', 'lead'] };
    expect(whoIsOnCall(schedule, utc('2026-04-15T12:00'))).toEqual({ primary: ['rafael'], backups: ['lead'] });
  });

  it('returns no backups when the schedule lists none', () => {
    const schedule = { ...asOneLayerOfEightHourShifts, backups: undefined };
    expect(whoIsOnCall(schedule, utc('2026-04-15T03:00'))).toEqual({ primary: ['stefania'], backups: [] });
  });
});

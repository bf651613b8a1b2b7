import { nextHandoff, sameOnCall, type Schedule } from '../../../src/services/rota';
import { layer, override, scheduleWith, utc } from './schedule-builders';

const followTheSun: Schedule = {
  timeZone: 'UTC',
  layers: [
    layer({ id: 'emea', participants: ['stefania'], start: '2026-01-01T00:00', restrictions: [{ start: '02:00', end: '10:00' }] }),
    layer({ id: 'amer', participants: ['rafael'], start: '2026-01-01T00:00', restrictions: [{ start: '10:00', end: '18:00' }] }),
    layer({ id: 'apac', participants: ['abdul'], start: '2026-01-01T00:00', restrictions: [{ start: '18:00', end: '02:00' }] }),
  ],
  overrides: [],
  backups: ['helena', 'luciane'],
};
const DAY = 86_400_000;

function handoffsFrom(schedule: Schedule, from: Date, count: number): Array<[string, string[]]> {
  const found: Array<[string, string[]]> = [];
  let at = from;
  for (let index = 0; index < count; index += 1) {
    const handoff = nextHandoff(schedule, at, new Date(at.getTime() + 2 * DAY));
    if (!handoff) break;
    found.push([handoff.at.toISOString(), handoff.onCall.primary]);
    at = handoff.at;
  }
  return found;
}

describe('the next handoff of a schedule', () => {
  it('follows the sun at 02:00, 10:00 and 18:00 UTC, with the backups after whoever takes over', () => {
    expect(handoffsFrom(followTheSun, utc('2026-04-15T01:00'), 4)).toEqual([
      ['2026-04-15T02:00:00.000Z', ['stefania']],
      ['2026-04-15T10:00:00.000Z', ['rafael']],
      ['2026-04-15T18:00:00.000Z', ['abdul']],
      ['2026-04-16T02:00:00.000Z', ['stefania']],
    ]);
    expect(nextHandoff(followTheSun, utc('2026-04-15T01:00'), utc('2026-04-16T00:00'))?.onCall).toEqual({ primary: ['stefania'], backups: ['helena', 'luciane'] });
  });

  it('is strictly after `from`, even when `from` is itself a handoff instant', () => {
    expect(nextHandoff(followTheSun, utc('2026-04-15T02:00'), utc('2026-04-16T00:00'))?.at).toEqual(utc('2026-04-15T10:00'));
  });

  it("hands off at a daily 09:00 in Lisbon at 08:00 UTC once summer time began, 09:00 UTC before", () => {
    const lisbon = scheduleWith('Europe/Lisbon', { participants: ['ana', 'bruno'], start: '2026-01-05T09:00' });
    expect(handoffsFrom(lisbon, utc('2026-03-28T00:00'), 2).map(([at]) => at)).toEqual(['2026-03-28T09:00:00.000Z', '2026-03-29T08:00:00.000Z']);
  });

  it('counts an override of somebody else as two handoffs (its start and end), and one of the person on call as none', () => {
    const covered = { ...followTheSun, overrides: [override('cover', 'helena', '2026-04-15T12:00', '2026-04-15T13:00', '2026-04-01T00:00')] };
    expect(handoffsFrom(covered, utc('2026-04-15T11:00'), 3)).toEqual([
      ['2026-04-15T12:00:00.000Z', ['helena']],
      ['2026-04-15T13:00:00.000Z', ['rafael']],
      ['2026-04-15T18:00:00.000Z', ['abdul']],
    ]);
    const own = { ...followTheSun, overrides: [override('own', 'rafael', '2026-04-15T12:00', '2026-04-15T13:00', '2026-04-01T00:00')] };
    expect(handoffsFrom(own, utc('2026-04-15T11:00'), 1)).toEqual([['2026-04-15T18:00:00.000Z', ['abdul']]]);
  });

  it('counts entering and leaving a gap as handoffs, and finds none when nobody else takes over before `until`', () => {
    const daytime = scheduleWith('UTC', { participants: ['ana'], start: '2026-01-01T00:00', restrictions: [{ start: '09:00', end: '17:00' }] });
    expect(handoffsFrom(daytime, utc('2026-04-15T08:00'), 3)).toEqual([
      ['2026-04-15T09:00:00.000Z', ['ana']],
      ['2026-04-15T17:00:00.000Z', []],
      ['2026-04-16T09:00:00.000Z', ['ana']],
    ]);
    const alone = scheduleWith('UTC', { participants: ['ana'], start: '2026-01-01T00:00' });
    expect(nextHandoff(alone, utc('2026-04-15T08:00'), utc('2026-04-29T08:00'))).toBeNull();
  });

  it('compares answers of whoIsOnCall person by person, in order', () => {
    expect(sameOnCall({ primary: ['a'], backups: ['b', 'c'] }, { primary: ['a'], backups: ['b', 'c'] })).toBe(true);
    expect(sameOnCall({ primary: ['a'], backups: ['b', 'c'] }, { primary: ['a'], backups: ['c', 'b'] })).toBe(false);
    expect(sameOnCall({ primary: [], backups: ['b'] }, { primary: ['a'], backups: ['b'] })).toBe(false);
  });
});

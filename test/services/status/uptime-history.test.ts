import { ComponentState } from '../../../src/shared/enums';
import { uptimeHistory } from '../../../src/services/status/uptime-history';

describe('the 90-day uptime history', () => {
  it('counts days in the page zone, 25 hours when DST ends and 23 when it starts', () => {
    // Lisbon: 2026-10-25 has 25 hours (01:00 twice), 2026-03-29 has 23 (01:00 → 02:00).
    const autumn = uptimeHistory([{ state: ComponentState.MAJOR_OUTAGE, start: new Date('2026-10-24T23:00:00Z'), end: new Date('2026-10-26T00:00:00Z') }], 'Europe/Lisbon', new Date('2026-10-26T12:00:00Z'), 3);
    expect(autumn.map((day) => [day.date, day.outageSeconds.major, day.uptimePercent])).toEqual([
      ['2026-10-24', 0, 100],
      ['2026-10-25', 25 * 3600, 0],
      ['2026-10-26', 0, 100],
    ]);
    const spring = uptimeHistory([{ state: ComponentState.MAJOR_OUTAGE, start: new Date('2026-03-29T10:00:00Z'), end: new Date('2026-03-29T11:00:00Z') }], 'Europe/Lisbon', new Date('2026-03-29T20:00:00Z'), 1);
    expect(spring[0].uptimePercent).toBeCloseTo(100 * (1 - 3600 / (23 * 3600)), 2);
  });

  it('weights a partial outage 0.3, counts the worst state where incidents overlap, and keeps maintenance out of downtime', () => {
    const [day] = uptimeHistory(
      [
        { state: ComponentState.PARTIAL_OUTAGE, start: new Date('2026-06-01T10:00:00Z'), end: new Date('2026-06-01T12:00:00Z'), incident: { id: 'a', title: 'Partial' } },
        { state: ComponentState.MAJOR_OUTAGE, start: new Date('2026-06-01T11:00:00Z'), end: new Date('2026-06-01T11:30:00Z'), incident: { id: 'b', title: 'Major' } },
        { state: ComponentState.UNDER_MAINTENANCE, start: new Date('2026-06-01T20:00:00Z'), end: new Date('2026-06-01T22:00:00Z') },
      ],
      'UTC',
      new Date('2026-06-01T23:00:00Z'),
      1,
    );
    expect(day.outageSeconds).toEqual({ major: 1800, partial: 5400, degraded: 0, maintenance: 7200 });
    expect(day.uptimePercent).toBeCloseTo(100 * (1 - (1800 + 0.3 * 5400) / 86400), 2);
    expect(day.worstState).toBe(ComponentState.MAJOR_OUTAGE);
    expect(day.incidents.map((incident) => incident.title)).toEqual(['Partial', 'Major']);
  });

  it('runs an open interval up to now', () => {
    const [day] = uptimeHistory([{ state: ComponentState.MAJOR_OUTAGE, start: new Date('2026-06-01T10:00:00Z'), end: null }], 'UTC', new Date('2026-06-01T10:10:00Z'), 1);
    expect(day.outageSeconds.major).toBe(600);
  });
});

import { MaintenanceKind, MaintenanceStatus } from '../../../src/schema/enums';
import { MaintenanceWindow } from '../../../src/schema/maintenance-window.entity';
import { changeNotice, dueNotices } from '../../../src/services/maintenance/maintenance-notices';

function window(fields: Partial<MaintenanceWindow>): MaintenanceWindow {
  return Object.assign(new MaintenanceWindow(), {
    id: 'w',
    title: 'Patch night',
    kind: MaintenanceKind.PLANNED,
    status: MaintenanceStatus.SCHEDULED,
    startsAt: new Date('2026-06-10T22:00:00Z'),
    endsAt: new Date('2026-06-11T01:00:00Z'),
    noticeGivenAt: new Date('2026-06-01T09:00:00Z'),
    startedAt: null,
    ...fields,
  });
}

const due = (w: MaintenanceWindow, at: string) => dueNotices(w, new Date(at), [24 * 60, 60]).map((notice) => `${notice.kind}:${notice.occurrence}`);

describe('Time-driven maintenance notices', () => {
  it.each([
    ['nothing a day and a minute before', '2026-06-09T21:59:00Z', []],
    ['the 24-hour reminder from a day before', '2026-06-09T22:00:00Z', ['REMINDER:2026-06-10T22:00:00.000Z-1440']],
    ['the 1-hour reminder, the latest lead only, from an hour before', '2026-06-10T21:00:00Z', ['REMINDER:2026-06-10T22:00:00.000Z-60']],
  ])('%s', (_name, at, expected) => {
    expect(due(window({}), at)).toEqual(expected);
  });

  it('reminds only of leads the notice came before: announced 30 minutes ahead, no reminder', () => {
    expect(due(window({ noticeGivenAt: new Date('2026-06-10T21:30:00Z') }), '2026-06-10T21:45:00Z')).toEqual([]);
  });

  it('counts whole hours of the run up to and including its end, the latest only', () => {
    const running = window({ status: MaintenanceStatus.IN_PROGRESS, startedAt: new Date('2026-06-10T22:00:03Z') });
    expect(due(running, '2026-06-10T22:59:59Z')).toEqual([]);
    expect(due(running, '2026-06-10T23:00:04Z')).toEqual(['HOURLY:1']);
    expect(due(running, '2026-06-11T00:30:00Z')).toEqual(['HOURLY:2']);
    expect(due(running, '2026-06-11T01:00:04Z')).toEqual(['HOURLY:3']);
    expect(due(running, '2026-06-11T03:00:00Z')).toEqual(['HOURLY:3']);
  });

  it('gives each new set of dates its own reschedule or extension notice, and other changes one', () => {
    const first = changeNotice(window({}), 'RESCHEDULED');
    const again = changeNotice(window({ startsAt: new Date('2026-06-12T22:00:00Z'), endsAt: new Date('2026-06-13T01:00:00Z') }), 'RESCHEDULED');
    expect(first.occurrence).not.toBe(again.occurrence);
    expect(changeNotice(window({}), 'CANCELLED', 'vendor postponed').body).toContain('vendor postponed');
    expect(changeNotice(window({}), 'STARTED').occurrence).toBe('once');
  });
});

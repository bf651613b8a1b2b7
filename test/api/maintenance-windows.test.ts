import { ManualClock } from '../../src/shared/clock';
import { Role } from '../../src/schema/enums';
import { startTestApp, type GraphQLResult, type TestApp } from '../support/test-app';
import { connectedOnce, connectWs, Subscription } from './ws-client';

const WINDOW_FIELDS = `id title kind status warnings noticeBusinessDays startsAt endsAt calendar { region zone extraDates }
  announcedBy { type name } services { impact service { id } } team { id } timeline { kind message actor { name } data }`;

interface WindowView {
  id: string;
  title: string;
  kind: string;
  status: string;
  warnings: string[];
  noticeBusinessDays: number;
  startsAt: string;
  endsAt: string;
  calendar: { region: string | null; zone: string; extraDates: string[] };
  announcedBy: { type: string; name: string };
  services: Array<{ impact: string; service: { id: string } }>;
  team: { id: string };
  timeline: Array<{ kind: string; message: string; actor: { name: string }; data: Record<string, unknown> }>;
}

/** The window's changes, without the notices they queued (tested in maintenance-notices.test.ts). */
const changesOf = (window: WindowView) => window.timeline.filter((event) => event.kind !== 'NOTICE_SENT');

describe('Maintenance windows (API)', () => {
  // Monday 1 June 2026, 09:00 UTC.
  const clock = new ManualClock('2026-06-01T09:00:00Z');
  let t: TestApp;
  let responder: string;
  let serviceId: string;
  let quietServiceId: string;
  let teamId: string;

  const must = async <T>(query: string, variables?: Record<string, unknown>, token = responder): Promise<T> => {
    const result = await t.gql<T>(query, variables, token);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data as T;
  };
  const schedule = (input: Record<string, unknown>, token = responder): Promise<GraphQLResult<{ scheduleMaintenance: { maintenanceWindow: WindowView } }>> =>
    t.gql(`mutation($i: ScheduleMaintenanceInput!) { scheduleMaintenance(input: $i) { maintenanceWindow { ${WINDOW_FIELDS} } } }`, { i: input }, token);
  const base = () => ({ title: 'Database upgrade', description: '**PostgreSQL 18**', serviceIds: [serviceId], teamId, startsAt: '2026-06-15T02:00:00Z', endsAt: '2026-06-15T04:00:00Z' });
  const counts = async () => (await t.app.db.query(`SELECT (SELECT count(*) FROM maintenance_window)::int AS windows, (SELECT count(*) FROM maintenance_event)::int AS events`))[0];

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false', MAINTENANCE_HOLIDAY_REGION: 'PT', MAINTENANCE_CALENDAR_ZONE: 'Europe/Lisbon' } });
    responder = await t.tokenFor(Role.RESPONDER, 'Rita Responder');
    const services = t.app.services;
    serviceId = (await services.catalog.createService({ name: 'SMS gateway', slug: 'sms-gateway' })).id;
    quietServiceId = (
      await services.catalog.createService({
        name: 'Billing',
        slug: 'billing',
        offPeakHours: { zone: 'Europe/Lisbon', intervals: [1, 2, 3, 4, 5].map((day) => ({ day, start: '01:00', end: '05:00' })) },
      })
    ).id;
    const person = await services.catalog.createPerson({ name: 'Diana DevOps', email: 'diana@example.com' });
    teamId = (await services.teams.create({ name: 'DevOps', memberIds: [person.id] })).id;
  });

  afterAll(() => t.close());

  it('derives the kind from the configured calendar: ten weekdays over two Portuguese holidays are an emergency', async () => {
    const { data } = await schedule(base());
    const window = data!.scheduleMaintenance.maintenanceWindow;
    expect(window).toMatchObject({
      kind: 'EMERGENCY',
      status: 'SCHEDULED',
      noticeBusinessDays: 8,
      calendar: { region: 'PT', zone: 'Europe/Lisbon', extraDates: [] },
      announcedBy: { type: 'TOKEN', name: 'Rita Responder' },
      services: [{ impact: 'DEGRADED', service: { id: serviceId } }],
      team: { id: teamId },
    });
    expect(window.timeline.map((event) => [event.kind, event.actor.name])).toEqual([['SCHEDULED', 'Rita Responder'], ['NOTICE_SENT', 'Rita Responder']]);
  });

  it('warns, without refusing, about a window outside a service\'s off-peak hours', async () => {
    const inside = await schedule({ ...base(), serviceIds: [quietServiceId], startsAt: '2026-06-23T00:30:00Z', endsAt: '2026-06-23T03:00:00Z' });
    expect(inside.data!.scheduleMaintenance.maintenanceWindow).toMatchObject({ kind: 'PLANNED', warnings: [] });
    const outside = await schedule({ ...base(), serviceIds: [quietServiceId, serviceId], startsAt: '2026-06-23T10:00:00Z', endsAt: '2026-06-23T12:00:00Z' });
    expect(outside.data!.scheduleMaintenance.maintenanceWindow).toMatchObject({ kind: 'PLANNED', warnings: ['OUTSIDE_OFF_PEAK'] });
  });

  it('turns a planned window moved closer into an emergency and says so on its timeline; moving it later keeps the notice', async () => {
    const { data } = await schedule({ ...base(), startsAt: '2026-06-22T02:00:00Z', endsAt: '2026-06-22T03:00:00Z', impact: [{ serviceId, impact: 'MAJOR_OUTAGE' }] });
    const planned = data!.scheduleMaintenance.maintenanceWindow;
    expect(planned).toMatchObject({ kind: 'PLANNED', noticeBusinessDays: 10, services: [{ impact: 'MAJOR_OUTAGE' }] });
    clock.set('2026-06-03T09:00:00Z');
    try {
      const later = await must<{ updateMaintenance: { maintenanceWindow: WindowView } }>(
        `mutation($i: UpdateMaintenanceInput!) { updateMaintenance(input: $i) { maintenanceWindow { ${WINDOW_FIELDS} } } }`,
        { i: { id: planned.id, startsAt: '2026-06-23T02:00:00Z', endsAt: '2026-06-23T03:00:00Z' } },
      );
      expect(later.updateMaintenance.maintenanceWindow).toMatchObject({ kind: 'PLANNED', noticeBusinessDays: 10 });
      const closer = await must<{ updateMaintenance: { maintenanceWindow: WindowView } }>(
        `mutation($i: UpdateMaintenanceInput!) { updateMaintenance(input: $i) { maintenanceWindow { ${WINDOW_FIELDS} } } }`,
        { i: { id: planned.id, startsAt: '2026-06-16T02:00:00Z', endsAt: '2026-06-16T03:00:00Z' } },
      );
      const window = closer.updateMaintenance.maintenanceWindow;
      expect(window).toMatchObject({ kind: 'EMERGENCY', noticeBusinessDays: 7, services: [{ impact: 'MAJOR_OUTAGE' }] });
      expect(changesOf(window).map((event) => event.kind)).toEqual(['SCHEDULED', 'RESCHEDULED', 'RESCHEDULED', 'KIND_CHANGED']);
      expect(changesOf(window)[3]).toMatchObject({ actor: { name: 'Rita Responder' }, data: { from: 'PLANNED', to: 'EMERGENCY', noticeBusinessDays: 7 } });
    } finally {
      clock.set('2026-06-01T09:00:00Z');
    }
  });

  it('keeps the calendar a window was classified with when an ADMIN changes the calendar', async () => {
    const { data } = await schedule({ ...base(), startsAt: '2026-06-16T02:00:00Z', endsAt: '2026-06-16T03:00:00Z' });
    const window = data!.scheduleMaintenance.maintenanceWindow;
    expect(window).toMatchObject({ kind: 'EMERGENCY', noticeBusinessDays: 9 });
    const viewer = await t.tokenFor(Role.VIEWER);
    expect((await t.gql(`mutation { updateMaintenanceCalendar(input: { region: null }) { calendar { zone } } }`, {}, viewer)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const updated = await must<{ updateMaintenanceCalendar: { calendar: { region: string | null; zone: string } } }>(
      `mutation { updateMaintenanceCalendar(input: { region: null, zone: "UTC" }) { calendar { region zone } } }`,
      {},
      t.adminToken,
    );
    try {
      expect(updated.updateMaintenanceCalendar.calendar).toEqual({ region: null, zone: 'UTC' });
      const again = await must<{ maintenanceWindow: WindowView; maintenanceCalendar: { region: string | null } }>(
        `query($id: ID!) { maintenanceWindow(id: $id) { ${WINDOW_FIELDS} } maintenanceCalendar { region } }`,
        { id: window.id },
      );
      expect(again.maintenanceCalendar.region).toBeNull();
      expect(again.maintenanceWindow).toMatchObject({ kind: 'EMERGENCY', calendar: { region: 'PT', zone: 'Europe/Lisbon' } });
      const fresh = await schedule({ ...base(), startsAt: '2026-06-16T02:00:00Z', endsAt: '2026-06-16T03:00:00Z' });
      expect(fresh.data!.scheduleMaintenance.maintenanceWindow).toMatchObject({ kind: 'PLANNED', calendar: { region: null, zone: 'UTC' } });
    } finally {
      await must(`mutation { updateMaintenanceCalendar(input: { region: "PT", zone: "Europe/Lisbon" }) { calendar { zone } } }`, {}, t.adminToken);
    }
  });

  it.each([
    ['endsAt before startsAt', { endsAt: '2026-06-15T01:00:00Z' }, 'BAD_USER_INPUT', 'endsAt'],
    ['an unknown service', { serviceIds: ['00000000-0000-4000-8000-000000000000'] }, 'BAD_USER_INPUT', 'serviceIds[0]'],
    ['a window in the past', { startsAt: '2026-05-31T02:00:00Z', endsAt: '2026-05-31T04:00:00Z' }, 'BAD_USER_INPUT', 'startsAt'],
    ['an unknown team', { teamId: '00000000-0000-4000-8000-000000000000' }, 'BAD_USER_INPUT', 'teamId'],
    ['an empty title', { title: '  ' }, 'BAD_USER_INPUT', 'title'],
    ['an impact for a service not in the window', { impact: [{ serviceId: '00000000-0000-4000-8000-000000000000', impact: 'NONE' }] }, 'BAD_USER_INPUT', 'impact[0].serviceId'],
  ])('refuses %s naming the field, writing nothing', async (_name, change, code, field) => {
    const before = await counts();
    const result = await schedule({ ...base(), ...change });
    expect(result.errors?.[0].extensions).toEqual({ code, field });
    expect(await counts()).toEqual(before);
  });

  it('runs the lifecycle by hand, each step on the timeline, and refuses to edit an ended window', async () => {
    const { data } = await schedule({ ...base(), startsAt: '2026-06-01T10:00:00Z', endsAt: '2026-06-01T12:00:00Z' });
    const id = data!.scheduleMaintenance.maintenanceWindow.id;
    const completeEarly = await t.gql(`mutation { completeMaintenance(input: { id: "${id}" }) { maintenanceWindow { id } } }`, {}, responder);
    expect(completeEarly.errors?.[0].extensions).toEqual({ code: 'CONFLICT', field: 'id' });
    expect((await t.gql(`mutation { startMaintenance(input: { id: "${id}" }) { maintenanceWindow { status } } }`, {}, responder)).data).toEqual({ startMaintenance: { maintenanceWindow: { status: 'IN_PROGRESS' } } });
    const tooEarly = await t.gql(`mutation { extendMaintenance(input: { id: "${id}", newEndsAt: "2026-06-01T11:00:00Z", reason: "more time" }) { maintenanceWindow { id } } }`, {}, responder);
    expect(tooEarly.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'newEndsAt' });
    const extended = await t.gql<{ extendMaintenance: { maintenanceWindow: WindowView } }>(
      `mutation { extendMaintenance(input: { id: "${id}", newEndsAt: "2026-06-01T13:00:00Z", reason: "replica lagging" }) { maintenanceWindow { ${WINDOW_FIELDS} } } }`,
      {},
      responder,
    );
    expect(extended.data!.extendMaintenance.maintenanceWindow.endsAt).toBe('2026-06-01T13:00:00.000Z');
    const moveStart = await t.gql(`mutation { updateMaintenance(input: { id: "${id}", startsAt: "2026-06-01T10:30:00Z" }) { maintenanceWindow { id } } }`, {}, responder);
    expect(moveStart.errors?.[0].extensions).toEqual({ code: 'CONFLICT', field: 'startsAt' });
    const completed = await t.gql<{ completeMaintenance: { maintenanceWindow: WindowView } }>(`mutation { completeMaintenance(input: { id: "${id}" }) { maintenanceWindow { ${WINDOW_FIELDS} } } }`, {}, responder);
    const window = completed.data!.completeMaintenance.maintenanceWindow;
    expect(window.status).toBe('COMPLETED');
    expect(changesOf(window).map((event) => event.kind)).toEqual(['SCHEDULED', 'STARTED', 'EXTENDED', 'COMPLETED']);
    expect(changesOf(window)[2].data).toMatchObject({ reason: 'replica lagging' });
    const before = await counts();
    const edit = await t.gql(`mutation { updateMaintenance(input: { id: "${id}", title: "too late" }) { maintenanceWindow { id } } }`, {}, responder);
    expect(edit.errors?.[0].extensions).toEqual({ code: 'CONFLICT', field: 'id' });
    const cancel = await t.gql(`mutation { cancelMaintenance(input: { id: "${id}", reason: "no" }) { maintenanceWindow { id } } }`, {}, responder);
    expect(cancel.errors?.[0].extensions).toEqual({ code: 'CONFLICT', field: 'id' });
    expect(await counts()).toEqual(before);
  });

  it('lists windows by status, service, kind and time, a page at a time', async () => {
    const page = await must<{ maintenanceWindows: { totalCount: number; edges: Array<{ node: { id: string; kind: string; startsAt: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
      `query($f: MaintenanceWindowFilter) { maintenanceWindows(filter: $f, first: 2) { totalCount edges { node { id kind startsAt } } pageInfo { hasNextPage endCursor } } }`,
      { f: { serviceId: quietServiceId, status: ['SCHEDULED'], from: '2026-06-20T00:00:00Z', to: '2026-06-30T00:00:00Z' } },
    );
    expect(page.maintenanceWindows.totalCount).toBe(2);
    expect(page.maintenanceWindows.edges.map((edge) => edge.node.startsAt)).toEqual(['2026-06-23T00:30:00.000Z', '2026-06-23T10:00:00.000Z']);
    const emergencies = await must<{ maintenanceWindows: { edges: Array<{ node: { kind: string } }> } }>(`{ maintenanceWindows(filter: { kind: EMERGENCY }, first: 100) { edges { node { kind } } } }`);
    expect(emergencies.maintenanceWindows.edges.length).toBeGreaterThan(0);
    expect(new Set(emergencies.maintenanceWindows.edges.map((edge) => edge.node.kind))).toEqual(new Set(['EMERGENCY']));
  });

  it('maintenanceUpdated delivers each change of the window it follows, after commit', async () => {
    const { data } = await schedule({ ...base(), startsAt: '2026-06-01T10:00:00Z', endsAt: '2026-06-01T11:00:00Z' });
    const id = data!.scheduleMaintenance.maintenanceWindow.id;
    const client = connectWs(t, await t.tokenFor(Role.VIEWER, 'subscriber'));
    try {
      const connected = connectedOnce(client);
      const subscription = new Subscription<{ maintenanceUpdated: { id: string; title: string; status: string } }>(client, `subscription($id: ID) { maintenanceUpdated(id: $id) { id title status } }`, { id });
      await connected;
      let probe = 0;
      await subscription.untilLive(
        async () => {
          const title = `Database upgrade ${(probe += 1)}`;
          await must(`mutation($i: UpdateMaintenanceInput!) { updateMaintenance(input: $i) { maintenanceWindow { id } } }`, { i: { id, title } });
          return title;
        },
        (result, title) => result.data?.maintenanceUpdated.title === title,
      );
      await must(`mutation($i: MaintenanceIdInput!) { startMaintenance(input: $i) { maintenanceWindow { id } } }`, { i: { id } });
      expect((await subscription.next()).data?.maintenanceUpdated).toMatchObject({ id, status: 'IN_PROGRESS' });
      await must(`mutation($i: CancelMaintenanceInput!) { cancelMaintenance(input: $i) { maintenanceWindow { id } } }`, { i: { id, reason: 'vendor postponed' } });
      expect((await subscription.next()).data?.maintenanceUpdated).toMatchObject({ id, status: 'CANCELLED' });
    } finally {
      await client.dispose();
    }
  });
});

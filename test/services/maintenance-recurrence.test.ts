import { ActorType, Role } from '../../src/schema/enums';
import type { MaintenanceRecurrenceInput } from '../../src/services/maintenance-recurrence.service';
import { SYSTEM_AUDIT, type AuditContext } from '../../src/shared/audit-context';
import { ManualClock } from '../../src/shared/clock';
import { startTestApp, type TestApp } from '../support/test-app';

const rita: AuditContext = { actor: { type: ActorType.PERSON, id: null, name: 'Rita Responder' }, requestId: null };

describe('Recurring maintenance', () => {
  // Monday 2 March 2026, 09:00 UTC; Lisbon moves to summer time on Sunday 29 March.
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  let first: TestApp;
  let second: TestApp;
  let serviceId: string;
  let teamId: string;

  const services = () => first.app.services;
  const runBoth = () => Promise.all([first.app.services.maintenanceRecurrences.materialiseDue(), second.app.services.maintenanceRecurrences.materialiseDue()]);
  const tuesdayNights = (): MaintenanceRecurrenceInput => ({ title: 'Patch night', serviceIds: [serviceId], teamId, weekdays: [2], startTime: '22:00', durationMinutes: 120, zone: 'Europe/Lisbon' });
  const windowsOf = async (recurrenceId: string) =>
    (await services().maintenance.list({}, { first: 100 })).nodes.filter((window) => window.recurrenceId === recurrenceId).map((window) => [window.startsAt.toISOString(), window.endsAt.toISOString()]);
  const counts = async () =>
    (await first.app.db.query(`SELECT (SELECT count(*) FROM maintenance_recurrence)::int AS rules, (SELECT count(*) FROM audit_entry WHERE action LIKE 'maintenanceRecurrence.%')::int AS audits`))[0];

  beforeAll(async () => {
    first = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    second = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' }, sameDatabaseAs: first });
    serviceId = (await services().catalog.createService({ name: 'SMS gateway', slug: 'sms-gateway' })).id;
    teamId = (await services().teams.create({ name: 'DevOps', memberIds: [] })).id;
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('materialises exactly the occurrences within the horizon, each once across two runners, at 22:00 Lisbon across the DST change', async () => {
    clock.set('2026-03-02T09:00:00Z');
    const rule = await services().maintenanceRecurrences.create(tuesdayNights(), rita);
    const created = await runBoth();
    expect(created[0] + created[1]).toBe(4);
    await runBoth();
    // [2 March 09:00, 30 March 09:00): four Tuesdays, in winter time (UTC+0).
    expect(await windowsOf(rule.id)).toEqual([
      ['2026-03-03T22:00:00.000Z', '2026-03-04T00:00:00.000Z'],
      ['2026-03-10T22:00:00.000Z', '2026-03-11T00:00:00.000Z'],
      ['2026-03-17T22:00:00.000Z', '2026-03-18T00:00:00.000Z'],
      ['2026-03-24T22:00:00.000Z', '2026-03-25T00:00:00.000Z'],
    ]);
    const windows = (await services().maintenance.list({}, { first: 100 })).nodes.filter((window) => window.recurrenceId === rule.id);
    // Ordinary windows: kind derived from the notice given now, announced by the rule's creator, on their own timeline.
    expect(windows.map((window) => window.kind)).toEqual(['EMERGENCY', 'EMERGENCY', 'PLANNED', 'PLANNED']);
    expect(windows.every((window) => window.status === 'SCHEDULED' && window.announcedByName === 'Rita Responder' && window.title === 'Patch night')).toBe(true);
    const timeline = await services().maintenance.timelinesOf([windows[0].id]);
    expect(timeline.filter((event) => event.kind === 'SCHEDULED').map((event) => event.actorName)).toEqual(['Rita Responder']);

    // A week later the next Tuesday enters the horizon: in summer time, still 22:00 local (21:00 UTC).
    clock.set('2026-03-09T09:00:00Z');
    await runBoth();
    expect((await windowsOf(rule.id)).slice(4)).toEqual([['2026-03-31T21:00:00.000Z', '2026-03-31T23:00:00.000Z']]);

    // A runner that read the rule before another committed tries again: the unique key creates nothing twice.
    await first.app.db.query(`UPDATE maintenance_recurrence SET materialised_through = NULL WHERE id = $1`, [rule.id]);
    expect(await services().maintenanceRecurrences.materialiseDue()).toBe(0);
    expect(await windowsOf(rule.id)).toHaveLength(5);
  });

  it('applies an edit only to occurrences not yet created, creates nothing while inactive, and keeps the windows when deleted', async () => {
    clock.set('2026-06-01T09:00:00Z');
    const rule = await services().maintenanceRecurrences.create({ ...tuesdayNights(), weekdays: [4], horizonDays: 7 }, rita);
    await runBoth();
    expect(await windowsOf(rule.id)).toEqual([['2026-06-04T21:00:00.000Z', '2026-06-04T23:00:00.000Z']]);

    await services().maintenanceRecurrences.update(rule.id, { startTime: '23:00', durationMinutes: 60 }, rita);
    clock.set('2026-06-08T09:00:00Z');
    await runBoth();
    expect(await windowsOf(rule.id)).toEqual([
      ['2026-06-04T21:00:00.000Z', '2026-06-04T23:00:00.000Z'],
      ['2026-06-11T22:00:00.000Z', '2026-06-11T23:00:00.000Z'],
    ]);

    await services().maintenanceRecurrences.update(rule.id, { active: false }, rita);
    clock.set('2026-06-15T09:00:00Z');
    await runBoth();
    expect(await windowsOf(rule.id)).toHaveLength(2);

    // Resumed, it creates from now on; the Thursday that passed while inactive is not made up.
    await services().maintenanceRecurrences.update(rule.id, { active: true }, rita);
    clock.set('2026-06-19T09:00:00Z');
    await runBoth();
    expect((await windowsOf(rule.id)).slice(2)).toEqual([['2026-06-25T22:00:00.000Z', '2026-06-25T23:00:00.000Z']]);

    const windowIds = (await services().maintenance.list({}, { first: 100 })).nodes.filter((window) => window.recurrenceId === rule.id).map((window) => window.id);
    await services().maintenanceRecurrences.remove(rule.id, rita);
    const kept = await services().maintenance.byIds(windowIds);
    expect(kept.map((window) => [window.status, window.recurrenceId])).toEqual(windowIds.map(() => ['SCHEDULED', null]));
  });

  it.each([
    ['zone', { zone: 'Europe/Atlantis' }],
    ['startTime', { startTime: '24:00' }],
    ['startTime', { startTime: '9:00' }],
    ['durationMinutes', { durationMinutes: 0 }],
    ['durationMinutes', { durationMinutes: 24 * 60 + 1 }],
    ['weekdays', { weekdays: [] }],
    ['weekdays[1]', { weekdays: [1, 8] }],
    ['horizonDays', { horizonDays: 91 }],
    ['serviceIds[0]', { serviceIds: ['00000000-0000-4000-8000-00000000dead'] }],
    ['teamId', { teamId: '00000000-0000-4000-8000-00000000dead' }],
  ])('refuses a bad %s with BAD_USER_INPUT naming it, writing nothing', async (field, change) => {
    const before = await counts();
    await expect(services().maintenanceRecurrences.create({ ...tuesdayNights(), ...change }, SYSTEM_AUDIT)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await counts()).toEqual(before);
  });

  it('refuses moving one window of a rule onto another occurrence of the same rule (CONFLICT naming startsAt)', async () => {
    clock.set('2026-04-06T09:00:00Z');
    const rule = await services().maintenanceRecurrences.create({ ...tuesdayNights(), title: 'Collision night' }, rita);
    await runBoth();
    const [one, two] = (await services().maintenance.list({}, { first: 100 })).nodes.filter((window) => window.recurrenceId === rule.id);
    const moved = services().maintenance.update(rita.actor, two.id, { startsAt: one.startsAt, endsAt: one.endsAt });
    await expect(moved).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/^startsAt: /) });
    const after = (await services().maintenance.list({}, { first: 100 })).nodes.find((window) => window.id === two.id)!;
    expect(after.startsAt.toISOString()).toBe(two.startsAt.toISOString());
  });

  it('refuses a bad edit naming the field, leaving the rule as it was', async () => {
    const rule = await services().maintenanceRecurrences.create(tuesdayNights(), rita);
    const before = await counts();
    await expect(services().maintenanceRecurrences.update(rule.id, { durationMinutes: -5 }, rita)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', field: 'durationMinutes' });
    expect(await counts()).toEqual(before);
    expect((await services().maintenanceRecurrences.byIds([rule.id]))[0].durationMinutes).toBe(120);
  });

  it('answers over GraphQL: a bad zone names the field; a created window links its rule', async () => {
    const t = first;
    const token = await t.tokenFor(Role.RESPONDER, 'Rita Responder');
    const create = `mutation($i: CreateMaintenanceRecurrenceInput!) { createMaintenanceRecurrence(input: $i) { maintenanceRecurrence { id weekdays startTime zone horizonDays active createdBy { name } team { id } services { impact service { id } } } } }`;
    const bad = await t.gql(create, { i: { ...tuesdayNights(), zone: 'Mars/Olympus' } }, token);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'zone' });
    clock.set('2026-07-01T09:00:00Z');
    const good = await t.gql<{ createMaintenanceRecurrence: { maintenanceRecurrence: { id: string } } }>(create, { i: { ...tuesdayNights(), weekdays: [3, 1], horizonDays: 3 } }, token);
    expect(good.errors).toBeUndefined();
    const rule = good.data!.createMaintenanceRecurrence.maintenanceRecurrence;
    expect(rule).toMatchObject({ weekdays: [1, 3], startTime: '22:00', zone: 'Europe/Lisbon', horizonDays: 3, active: true, createdBy: { name: 'Rita Responder' }, team: { id: teamId }, services: [{ impact: 'DEGRADED', service: { id: serviceId } }] });
    await services().maintenanceRecurrences.materialiseDue();
    const listed = await t.gql<{ maintenanceWindows: { edges: Array<{ node: { startsAt: string; recurrence: { id: string } | null } }> } }>(
      `{ maintenanceWindows(filter: { from: "2026-07-01T09:00:00Z" }, first: 100) { edges { node { startsAt recurrence { id } } } } }`,
      undefined,
      token,
    );
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.maintenanceWindows.edges.map((edge) => edge.node).filter((window) => window.recurrence?.id === rule.id).map((window) => window.startsAt)).toEqual(['2026-07-01T21:00:00.000Z']);
    const rules = await t.gql<{ maintenanceRecurrences: { totalCount: number; edges: Array<{ node: { id: string } }> } }>(`{ maintenanceRecurrences(first: 100) { totalCount edges { node { id } } } }`, undefined, token);
    expect(rules.errors).toBeUndefined();
    expect(rules.data!.maintenanceRecurrences.edges.map((edge) => edge.node.id)).toContain(rule.id);
  });
});

import { ActorType, EscalationTargetType, Priority, Role } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { connectWs, Subscription } from '../api/ws-client';
import { startTestApp, type TestApp } from '../support/test-app';

const COMMUNICATION = `query($id: ID!) { maintenanceWindow(id: $id) { status communication {
  obligations { kind dueAt metAt overdue metByMaintenanceUpdateId endedReason remindedAt escalatedAt } nextDueAt overdueCount } } }`;
const actor: Actor = { type: ActorType.TOKEN, id: null, name: 'test', role: Role.ADMIN };
const POST = `mutation($i: PostMaintenanceUpdateInput!) { postMaintenanceUpdate(input: $i) { update { id kind } maintenanceWindow { id } } }`;

interface ObligationView {
  kind: string;
  dueAt: string;
  metAt: string | null;
  overdue: boolean;
  metByMaintenanceUpdateId: string | null;
  endedReason: string | null;
  remindedAt: string | null;
  escalatedAt: string | null;
}
interface WindowView {
  status: string;
  communication: { obligations: ObligationView[]; nextDueAt: string | null; overdueCount: number };
}

/** "Every hour during maintenance", with the clock moved and two instances running the jobs. */
describe('maintenance windows: the hourly update obligation, its reminder to the team and its escalation', () => {
  const clock = new ManualClock('2026-06-01T09:00:00Z');
  let first: TestApp;
  let second: TestApp;
  let serviceId: string;
  let teamId: string;
  let people: { tina: string; tomas: string; esme: string };

  const services = () => first.app.services;
  const both = [() => first.app.services, () => second.app.services];
  const runMaintenance = () => Promise.all(both.map((of) => of().maintenance.runDue()));
  /** Both runners at once, until neither finds anything due; the obligations they handled. */
  const runReminders = async () => {
    const drain = async (of: () => TestApp['app']['services']) => {
      let handled = 0;
      for (let batch = await of().communicationReminders.runDue(); batch > 0; batch = await of().communicationReminders.runDue()) handled += batch;
      return handled;
    };
    return (await Promise.all(both.map(drain))).reduce((sum, handled) => sum + handled, 0);
  };
  const must = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    const result = await first.gql<T>(query, variables);
    expect(result.errors).toBeUndefined();
    return result.data!;
  };
  const view = async (id: string) => (await must<{ maintenanceWindow: WindowView }>(COMMUNICATION, { id })).maintenanceWindow;
  const post = async (id: string, body: string) => (await must<{ postMaintenanceUpdate: { update: { id: string; kind: string } } }>(POST, { i: { id, body } })).postMaintenanceUpdate.update;
  const schedule = (title: string, startsAt: string, endsAt: string, incidentPriority?: Priority) =>
    services().maintenance.schedule(
      actor,
      { title, serviceIds: [serviceId], teamId, startsAt: new Date(startsAt), endsAt: new Date(endsAt), incidentPriority: incidentPriority ?? null },
    );
  const cadenceMessages = async (windowId: string) =>
    (await first.app.db.query(
      `SELECT split_part(idempotency_key, ':', 3) AS stage, person_id, status FROM notification
        WHERE maintenance_window_id = $1 AND split_part(idempotency_key, ':', 1) = 'cadence' ORDER BY stage, person_id`,
      [windowId],
    )) as Array<{ stage: string; person_id: string; status: string }>;
  const eventsOf = async (windowId: string, kind: string) =>
    (await first.app.db.query(`SELECT count(*)::int AS n FROM maintenance_event WHERE window_id = $1 AND kind = $2`, [windowId, kind]))[0].n as number;

  beforeAll(async () => {
    first = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    second = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' }, sameDatabaseAs: first });
    const { catalog, teams, paging } = services();
    const tina = await catalog.createPerson({ name: 'Tina Team', email: 'tina@example.com' });
    const tomas = await catalog.createPerson({ name: 'Tomas Team', email: 'tomas@example.com' });
    const esme = await catalog.createPerson({ name: 'Esme Escalation', email: 'esme@example.com' });
    people = { tina: tina.id, tomas: tomas.id, esme: esme.id };
    teamId = (await teams.create({ name: 'Platform', memberIds: [tina.id, tomas.id] })).id;
    const policy = await paging.createPolicy({ name: 'service owner', steps: [{ delayMinutes: 5, targets: [{ type: EscalationTargetType.PERSON, id: esme.id }] }] });
    serviceId = (await catalog.createService({ name: 'SMPP gateway', slug: 'smpp-gateway' })).id;
    await paging.setServicePolicy(serviceId, policy.id);
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('owes an update an hour after the start and an hour after each one; an unmet one reminds the team once, escalates once, and completion ends it', async () => {
    const window = await schedule('Database failover drill', '2026-06-01T10:00:00Z', '2026-06-01T13:00:00Z');
    expect((await view(window.id)).communication).toEqual({ obligations: [], nextDueAt: null, overdueCount: 0 });

    clock.set('2026-06-01T10:00:00Z');
    await runMaintenance();
    let seen = await view(window.id);
    expect(seen.status).toBe('IN_PROGRESS');
    expect(seen.communication).toMatchObject({ nextDueAt: '2026-06-01T11:00:00.000Z', overdueCount: 0 });
    expect(seen.communication.obligations).toEqual([expect.objectContaining({ kind: 'MAINTENANCE_UPDATE', dueAt: '2026-06-01T11:00:00.000Z', metAt: null, overdue: false })]);

    // +1 h: the update meets it and plans the next, an hour later.
    clock.set('2026-06-01T11:00:00Z');
    const update = await post(window.id, 'Replica promoted; traffic moving over');
    expect(update.kind).toBe('UPDATE_POSTED');
    expect(await runReminders()).toBe(0);
    seen = await view(window.id);
    expect(seen.communication.obligations.map(({ dueAt, metAt, metByMaintenanceUpdateId }) => [dueAt, metAt, metByMaintenanceUpdateId])).toEqual([
      ['2026-06-01T11:00:00.000Z', '2026-06-01T11:00:00.000Z', update.id],
      ['2026-06-01T12:00:00.000Z', null, null],
    ]);
    expect(seen.communication).toMatchObject({ nextDueAt: '2026-06-01T12:00:00.000Z', overdueCount: 0 });

    // +2 h: the job's hourly notice goes out, which does not meet it; unmet, both runners remind the team exactly once.
    clock.set('2026-06-01T12:00:00Z');
    await runMaintenance();
    expect(Number((await first.app.db.query(`SELECT count(*) FROM maintenance_notice WHERE window_id = $1 AND kind = 'HOURLY'`, [window.id]))[0].count)).toBe(1);
    expect(await runReminders()).toBe(1);
    expect(await runReminders()).toBe(0);
    seen = await view(window.id);
    expect(seen.communication).toMatchObject({ nextDueAt: '2026-06-01T12:00:00.000Z', overdueCount: 1 });
    expect(seen.communication.obligations[1]).toMatchObject({ overdue: true, remindedAt: '2026-06-01T12:00:00.000Z', escalatedAt: null });
    expect(await cadenceMessages(window.id)).toEqual(
      [people.tina, people.tomas].sort().map((personId) => ({ stage: 'reminder', person_id: personId, status: 'PENDING' })),
    );
    expect(await eventsOf(window.id, 'COMMUNICATION_REMINDER')).toBe(1);

    // After the grace (10 minutes for P1): one escalation, to the service's escalation policy, not to the team again.
    clock.set('2026-06-01T12:09:59Z');
    expect(await runReminders()).toBe(0);
    clock.set('2026-06-01T12:10:00Z');
    expect(await runReminders()).toBe(1);
    expect(await runReminders()).toBe(0);
    expect((await cadenceMessages(window.id)).filter((row) => row.stage === 'escalation')).toEqual([{ stage: 'escalation', person_id: people.esme, status: 'PENDING' }]);
    expect(await eventsOf(window.id, 'COMMUNICATION_ESCALATED')).toBe(1);

    // Completing it ends what is still owed, and the messages not yet delivered are moot.
    clock.set('2026-06-01T12:30:00Z');
    await must(`mutation($i: MaintenanceIdInput!) { completeMaintenance(input: $i) { maintenanceWindow { status } } }`, { i: { id: window.id } });
    seen = await view(window.id);
    expect(seen.communication).toMatchObject({ nextDueAt: null, overdueCount: 0 });
    expect(seen.communication.obligations.map((obligation) => obligation.endedReason)).toEqual([null, 'maintenance completed']);
    expect(new Set((await cadenceMessages(window.id)).map((row) => row.status))).toEqual(new Set(['CANCELLED']));
    clock.set('2026-06-01T15:00:00Z');
    expect(await runReminders()).toBe(0);
    const late = await first.gql(POST, { i: { id: window.id, body: 'too late' } });
    expect(late.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'id' });
  });

  it('follows the policy of the window\'s incidentPriority (maintenanceUpdateMinutes), and cancelling ends it', async () => {
    clock.set('2026-06-02T09:00:00Z');
    const refused = await first.gql(`mutation($i: UpdateCommunicationPolicyInput!) { updateCommunicationPolicy(input: $i) { communicationPolicy { priority } } }`, {
      i: { priority: 'P3', maintenanceUpdateMinutes: 0 },
    });
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'maintenanceUpdateMinutes' });
    await services().communicationPolicies.update({ priority: Priority.P3, maintenanceUpdateMinutes: 30 });
    const window = await schedule('Certificate rotation', '2026-06-02T10:00:00Z', '2026-06-02T11:00:00Z', Priority.P3);
    clock.set('2026-06-02T10:00:00Z');
    await runMaintenance();
    expect((await view(window.id)).communication.nextDueAt).toBe('2026-06-02T10:30:00.000Z');
    await services().maintenance.cancel(actor, window.id, 'vendor postponed');
    const seen = await view(window.id);
    expect(seen.communication.nextDueAt).toBeNull();
    expect(seen.communication.obligations.map((obligation) => obligation.endedReason)).toEqual(['maintenance cancelled']);
    await services().communicationPolicies.update({ priority: Priority.P3, maintenanceUpdateMinutes: 60 });
  });

  it('communicationDue(maintenanceWindowId) fires when the window\'s obligation is planned, met, overdue and ended, and for nothing else', async () => {
    clock.set('2026-06-03T09:00:00Z');
    const window = await schedule('Kernel upgrade', '2026-06-03T10:00:00Z', '2026-06-03T12:00:00Z');
    await must(`mutation($i: MaintenanceIdInput!) { startMaintenance(input: $i) { maintenanceWindow { status } } }`, { i: { id: window.id } });
    const client = connectWs(first, first.adminToken);
    type Event = { communicationDue: { stage: string; obligation: { id: string; kind: string; dueAt: string; metByMaintenanceUpdateId: string | null; maintenanceWindow: { id: string } | null } } };
    const events = new Subscription<Event>(
      client,
      `subscription($id: ID) { communicationDue(maintenanceWindowId: $id) { stage obligation { id kind dueAt metByMaintenanceUpdateId maintenanceWindow { id } } } }`,
      { id: window.id },
    );
    const metBy = (result: { data?: Event | null }, marker: string) => result.data?.communicationDue.stage === 'MET' && result.data.communicationDue.obligation.metByMaintenanceUpdateId === marker;
    const take = async (count: number) => {
      const taken: Array<[string, string]> = [];
      for (let index = 0; index < count; index += 1) {
        const { data } = await events.next();
        expect(data!.communicationDue.obligation.maintenanceWindow?.id).toBe(window.id);
        taken.push([data!.communicationDue.stage, data!.communicationDue.obligation.dueAt]);
      }
      return taken;
    };
    try {
      await events.untilLive(async () => (await post(window.id, 'still going')).id, metBy);
      // In step with the server: everything up to the MET of one more update is behind us.
      const marker = (await post(window.id, 'halfway')).id;
      for (let result = await events.next(); !metBy(result, marker); result = await events.next());
      expect(await take(1)).toEqual([['SCHEDULED', '2026-06-03T10:00:00.000Z']]);

      clock.set('2026-06-03T10:00:00Z');
      expect(await runReminders()).toBe(1);
      expect(await take(1)).toEqual([['OVERDUE', '2026-06-03T10:00:00.000Z']]);

      // Another window's obligations and an incident's do not reach this subscriber: only the marker after them does.
      const other = await schedule('Other work', '2026-06-03T10:00:00Z', '2026-06-03T11:00:00Z');
      await runMaintenance();
      await post(other.id, 'other window');
      await services().incidents.declare(actor, { title: 'unrelated', serviceId, priority: Priority.P1 });
      const before = await events.untilMarker(async () => (await post(window.id, 'done soon')).id, metBy);
      expect(before).toEqual([]);
      expect(await take(1)).toEqual([['SCHEDULED', '2026-06-03T11:00:00.000Z']]);

      clock.set('2026-06-03T10:30:00Z');
      await must(`mutation($i: MaintenanceIdInput!) { completeMaintenance(input: $i) { maintenanceWindow { status } } }`, { i: { id: window.id } });
      expect(await take(1)).toEqual([['ENDED', '2026-06-03T11:00:00.000Z']]);
    } finally {
      events.close();
      await client.dispose();
    }
  });
});

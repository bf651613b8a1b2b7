import type { Client } from 'graphql-ws';
import { createReferenceOrganisation, FOLLOW_THE_SUN, type ReferenceOrganisation } from '../../scripts/support/reference-organisation';
import { Role } from '../../src/schema/enums';
import { RotationUnit } from '../../src/schema/schedule.entity';
import { ManualClock } from '../../src/shared/clock';
import { connectedOnce, connectWs, Subscription } from '../api/ws-client';
import { startSmtpReceiver, type SmtpReceiver } from '../support/receivers/smtp-receiver';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Rotas live on two instances of one deployment (two apps, two pools, one database, one moved clock, jobs run by
 * hand): each handoff of the reference follow-the-sun rota is decided by one runner and reaches the subscribers
 * of both instances once, at its own instant; overrides hand over at their start and end; edits say so.
 */
jest.setTimeout(60_000);

interface OnCallResult {
  onCallChanged: { scheduleId: string; at: string; primary: { name: string } | null; backups: Array<{ name: string }> };
}
interface ScheduleUpdateResult {
  scheduleUpdated: { scheduleId: string; deleted: boolean; schedule: { name: string } | null };
}

const ON_CALL_CHANGED = `subscription($id: ID!) { onCallChanged(scheduleId: $id) { scheduleId at primary { name } backups { name } } }`;
const SCHEDULE_UPDATED = `subscription($id: ID!) { scheduleUpdated(scheduleId: $id) { scheduleId deleted schedule { name } } }`;
const MINUTE = 60_000;
/** Copies of the rota besides the reference one, so the two runners contend for many rows at each handoff. */
const COPIES = 20;

describe('onCallChanged and scheduleUpdated across two instances', () => {
  const clock = new ManualClock('2026-04-15T01:00:00Z');
  let a: TestApp;
  let b: TestApp;
  let clients: Client[];
  let org: ReferenceOrganisation;
  let copies: string[];
  let smtp: SmtpReceiver;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    const config = { JOBS_ENABLED: 'false', SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port), SMTP_FROM: 'incident-bridge <rota@example.com>' };
    a = await startTestApp({ clock, config });
    b = await startTestApp({ clock, sameDatabaseAs: a, config });
    org = await createReferenceOrganisation(a.app.services, a.app.db);
    copies = [];
    for (let copy = 0; copy < COPIES; copy += 1) {
      const schedule = await b.app.services.schedules.create({
        name: `${FOLLOW_THE_SUN.name} ${copy}`,
        timeZone: 'UTC',
        layers: FOLLOW_THE_SUN.shifts.map((shift) => ({
          participants: [org.people[shift.person]],
          rotation: { unit: RotationUnit.DAYS, length: 1 },
          start: FOLLOW_THE_SUN.firstHandoff,
          restrictions: [{ start: shift.start, end: shift.end }],
        })),
        backupPersonIds: FOLLOW_THE_SUN.backups.map((key) => org.people[key]),
      });
      copies.push(schedule.id);
    }
    const viewer = await a.tokenFor(Role.VIEWER, 'rota screen');
    clients = [connectWs(a, viewer), connectWs(b, viewer)];
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await b.close();
    await a.close();
    await smtp.close();
  });

  /** Both instances' handoff jobs at once, as their cron ticks would run them. */
  const runBothRunners = () => Promise.all([a.app.scheduler.trigger('handoff'), b.app.scheduler.trigger('handoff')]);

  const connected = new Set<Client>();
  /** A subscription on the client; the first one opens the client's (lazy) connection. */
  async function subscribe<T>(client: Client, query: string, scheduleId: string): Promise<Subscription<T>> {
    const opened = connected.has(client) ? null : connectedOnce(client);
    const subscription = new Subscription<T>(client, query, { id: scheduleId });
    if (opened) await opened;
    connected.add(client);
    return subscription;
  }

  /** An override putting `person` on call from now for a minute, through the API. */
  async function coverNow(scheduleId: string, person: keyof ReferenceOrganisation['people'], minutes = 1): Promise<string> {
    const start = clock.now();
    const response = await a.gql<{ createScheduleOverride: { scheduleOverride: { id: string } } }>(
      `mutation($i: CreateScheduleOverrideInput!) { createScheduleOverride(input: $i) { scheduleOverride { id } } }`,
      { i: { scheduleId, personId: org.people[person], start: start.toISOString(), end: new Date(start.getTime() + minutes * MINUTE).toISOString() } },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.createScheduleOverride.scheduleOverride.id;
  }

  async function removeOverride(id: string): Promise<void> {
    const response = await a.gql(`mutation($id: ID!) { deleteScheduleOverride(input: { id: $id }) { deletedOverrideId } }`, { id });
    expect(response.errors).toBeUndefined();
  }

  /**
   * Opens onCallChanged of the schedule on both instances and proves both live: overrides alternating between the two
   * backups each change who is on call, until each subscription has seen one; then the overrides go again, and each
   * subscription has taken the event of the last one going (whoever the rota says, `expected`).
   */
  async function liveOnCall(scheduleId: string, expected: string): Promise<Array<Subscription<OnCallResult>>> {
    const subscriptions = await Promise.all(clients.map((client) => subscribe<OnCallResult>(client, ON_CALL_CHANGED, scheduleId)));
    const overrides: string[] = [];
    let turn = 0;
    const toggle = async () => {
      const person = turn++ % 2 ? 'luciane' : 'helena';
      overrides.push(await coverNow(scheduleId, person));
      return person === 'helena' ? 'Helena' : 'Luciane';
    };
    for (const subscription of subscriptions) await subscription.untilLive(toggle, (result, name) => result.data?.onCallChanged.primary?.name === name);
    for (const id of overrides) await removeOverride(id);
    for (const subscription of subscriptions) {
      let result = await subscription.next();
      while (result.data?.onCallChanged.primary?.name !== expected) result = await subscription.next();
    }
    return subscriptions;
  }

  const handoffsLogged = async (scheduleIds: string[]) =>
    (await a.app.db.query(
      `SELECT change::jsonb->>'scheduleId' AS schedule, change::jsonb->>'at' AS at, count(*)::int AS times
         FROM change_log WHERE change::jsonb->>'topic' = 'ON_CALL_CHANGED' AND change::jsonb->>'scheduleId' = ANY($1)
        GROUP BY 1, 2 ORDER BY 2, 1`,
      [scheduleIds],
    )) as Array<{ schedule: string; at: string; times: number }>;

  it('follows the sun: Stefania at 02:00, Rafael at 10:00, Abdul at 18:00 UTC, once each on each instance, decided once across two runners', async () => {
    const subscriptions = await liveOnCall(org.scheduleId, 'Abdul');
    const since = clock.now().toISOString();

    for (const [time, name] of [
      ['02:00', 'Stefania'],
      ['10:00', 'Rafael'],
      ['18:00', 'Abdul'],
    ]) {
      const at = new Date(`2026-04-15T${time}:00Z`);
      // A millisecond before: nothing is due (an early handoff would arrive before the one expected below).
      clock.set(new Date(at.getTime() - 1));
      await runBothRunners();
      clock.set(at);
      await runBothRunners();
      for (const subscription of subscriptions) {
        expect(await subscription.next()).toEqual({
          data: { onCallChanged: { scheduleId: org.scheduleId, at: at.toISOString(), primary: { name }, backups: [{ name: 'Helena' }, { name: 'Luciane' }] } },
          extensions: { cursor: expect.stringMatching(/^\d+$/) },
        });
      }
    }

    // Nothing else came before the marker: no handoff twice, none of another schedule.
    clock.advance(1000);
    const marker = () => coverNow(org.scheduleId, 'luciane', 30).then(() => 'Luciane');
    for (const subscription of subscriptions) {
      expect(await subscription.untilMarker(marker, (result, name) => result.data?.onCallChanged.primary?.name === name)).toEqual([]);
      subscription.close();
    }
    const expected = ['02:00', '10:00', '18:00'].flatMap((time) => [org.scheduleId, ...copies].map((schedule) => ({ schedule, at: `2026-04-15T${time}:00.000Z`, times: 1 })));
    const logged = (await handoffsLogged([org.scheduleId, ...copies])).filter((row) => row.at > since && row.at < '2026-04-15T18:00:00.001Z');
    expect(logged).toEqual(expect.arrayContaining(expected));
    expect(logged).toHaveLength(expected.length);
  });

  it('tells each person once, by e-mail, when their shift ends and when it starts, across both runners and both delivery workers', async () => {
    const handoffs = [
      ['02:00', 'abdul', 'stefania'],
      ['10:00', 'stefania', 'rafael'],
      ['18:00', 'rafael', 'abdul'],
    ] as const;
    const keys = handoffs.flatMap(([time, leaving, taking]) => [
      `handoff:${org.scheduleId}:2026-04-15T${time}:00.000Z:${org.people[leaving]}:end`,
      `handoff:${org.scheduleId}:2026-04-15T${time}:00.000Z:${org.people[taking]}:start`,
    ]);
    const rows = (await a.app.db.query(`SELECT idempotency_key, channel, address, subject FROM notification WHERE idempotency_key = ANY($1) ORDER BY created_at, subject`, [keys])) as Array<{
      idempotency_key: string;
      channel: string;
      address: string;
      subject: string;
    }>;
    expect(rows.map((row) => row.idempotency_key).sort()).toEqual([...keys].sort());
    expect(rows.every((row) => row.channel === 'EMAIL')).toBe(true);
    const [copied] = (await a.app.db.query(`SELECT count(*)::int AS rows, count(DISTINCT idempotency_key)::int AS keys FROM notification WHERE data->>'scheduleId' = ANY($1) AND data->>'at' IN ('2026-04-15T02:00:00.000Z', '2026-04-15T10:00:00.000Z', '2026-04-15T18:00:00.000Z')`, [copies])) as Array<{ rows: number; keys: number }>;
    expect(copied).toEqual({ rows: COPIES * 6, keys: COPIES * 6 });

    await Promise.all([a.app.services.delivery.drain(), b.app.services.delivery.drain()]);
    const told = smtp.messages
      .filter((mail) => keys.includes(mail.header('x-idempotency-key') ?? ''))
      .map((mail) => [mail.envelope.rcptTo.join(), mail.header('subject')])
      .sort();
    expect(told).toEqual(
      [
        ['abdul@demo.incident-bridge.dev', 'Your on-call shift on Follow the sun ended'],
        ['stefania@demo.incident-bridge.dev', 'You are on call for Follow the sun'],
        ['stefania@demo.incident-bridge.dev', 'Your on-call shift on Follow the sun ended'],
        ['rafael@demo.incident-bridge.dev', 'You are on call for Follow the sun'],
        ['rafael@demo.incident-bridge.dev', 'Your on-call shift on Follow the sun ended'],
        ['abdul@demo.incident-bridge.dev', 'You are on call for Follow the sun'],
      ].sort(),
    );
  });

  it('hands over to an override at its start and back at its end; creating it for later changes nobody now', async () => {
    clock.set('2026-04-15T19:00:00Z');
    await runBothRunners();
    const subscriptions = await liveOnCall(org.scheduleId, 'Abdul');
    const updates = await subscribe<ScheduleUpdateResult>(clients[0], SCHEDULE_UPDATED, org.scheduleId);
    await updates.untilLive(
      () => coverNow(org.scheduleId, 'abdul').then(removeOverride).then(() => 'Follow the sun'),
      (result, name) => result.data?.scheduleUpdated.schedule?.name === name,
    );
    for (const subscription of subscriptions) subscription.received.splice(0);

    const created = await a.gql(`mutation($i: CreateScheduleOverrideInput!) { createScheduleOverride(input: $i) { scheduleOverride { id } } }`, {
      i: { scheduleId: org.scheduleId, personId: org.people.helena, start: '2026-04-15T20:00:00Z', end: '2026-04-15T22:00:00Z' },
    });
    expect(created.errors).toBeUndefined();
    expect(await updates.next()).toMatchObject({ data: { scheduleUpdated: { scheduleId: org.scheduleId, deleted: false, schedule: { name: 'Follow the sun' } } } });

    for (const [time, name] of [
      ['20:00', 'Helena'],
      ['22:00', 'Abdul'],
    ]) {
      clock.set(`2026-04-15T${time}:00Z`);
      await runBothRunners();
      for (const subscription of subscriptions) {
        // Helena on call: the backups are the schedule's, less her.
        const backups = name === 'Helena' ? [{ name: 'Luciane' }] : [{ name: 'Helena' }, { name: 'Luciane' }];
        expect(await subscription.next()).toMatchObject({ data: { onCallChanged: { at: `2026-04-15T${time}:00.000Z`, primary: { name }, backups } } });
      }
    }
    const marker = () => coverNow(org.scheduleId, 'luciane').then(() => 'Luciane');
    for (const subscription of subscriptions) {
      expect(await subscription.untilMarker(marker, (result, name) => result.data?.onCallChanged.primary?.name === name)).toEqual([]);
      subscription.close();
    }
    updates.close();
  });

  it('says every edit through scheduleUpdated, and through onCallChanged only the ones that change who is on call now', async () => {
    clock.set('2026-04-16T12:00:00Z');
    await runBothRunners();
    const [onCall] = await liveOnCall(org.scheduleId, 'Rafael');
    const updates = await subscribe<ScheduleUpdateResult>(clients[0], SCHEDULE_UPDATED, org.scheduleId);
    let rename = 0;
    const renamed = async () => {
      const name = `Follow the sun (${(rename += 1)})`;
      const response = await a.gql(`mutation($id: ID!, $name: String!) { updateSchedule(input: { id: $id, name: $name }) { schedule { name } } }`, { id: org.scheduleId, name });
      expect(response.errors).toBeUndefined();
      return name;
    };
    await updates.untilLive(renamed, (result, name) => result.data?.scheduleUpdated.schedule?.name === name);

    // A rename, and a layer that gives Rafael's hours to Rafael again: edits, no handoff.
    const name = await renamed();
    expect(await updates.next()).toMatchObject({ data: { scheduleUpdated: { scheduleId: org.scheduleId, deleted: false, schedule: { name } } } });
    const layer = await a.gql(`mutation($i: AddScheduleLayerInput!) { addScheduleLayer(input: $i) { layer { id } } }`, {
      i: { scheduleId: org.scheduleId, layer: { participants: [org.people.rafael], rotation: { unit: 'DAYS', length: 1 }, start: '2026-01-01T00:00', restrictions: [{ start: '10:00', end: '18:00' }], priority: 5 } },
    });
    expect(layer.errors).toBeUndefined();
    expect(await updates.next()).toMatchObject({ data: { scheduleUpdated: { scheduleId: org.scheduleId, deleted: false } } });
    const marker = () => coverNow(org.scheduleId, 'helena').then(() => 'Helena');
    expect(await onCall.untilMarker(marker, (result, person) => result.data?.onCallChanged.primary?.name === person)).toEqual([]);

    // Removing that cover does change who is on call now: at the instant of the edit.
    const [cover] = (await a.app.db.query(`SELECT id FROM schedule_override WHERE schedule_id = $1 AND person_id = $2 AND ends_at > $3`, [org.scheduleId, org.people.helena, clock.now()])) as Array<{ id: string }>;
    clock.advance(1000);
    await removeOverride(cover.id);
    expect(await onCall.next()).toMatchObject({ data: { onCallChanged: { at: clock.now().toISOString(), primary: { name: 'Rafael' } } } });
    onCall.close();
    updates.close();
  });

  it('hands over a daily 09:00 Lisbon rota at 09:00 UTC the morning winter time begins (08:00 UTC the day before)', async () => {
    clock.set('2026-10-24T07:00:00Z');
    await runBothRunners();
    const created = await a.gql<{ createSchedule: { schedule: { id: string } } }>(
      `mutation($i: CreateScheduleInput!) { createSchedule(input: $i) { schedule { id } } }`,
      { i: { name: 'Lisbon days', timeZone: 'Europe/Lisbon', layers: [{ participants: [org.people.stefania, org.people.rafael], rotation: { unit: 'DAYS', length: 1 }, start: '2026-10-01T09:00' }] } },
    );
    expect(created.errors).toBeUndefined();
    const lisbon = created.data!.createSchedule.schedule.id;
    expect((await a.app.services.handoffs.stateOf(lisbon))?.nextHandoffAt).toEqual(new Date('2026-10-24T08:00:00Z'));
    const [onCall] = await liveOnCall(lisbon, 'Stefania');

    clock.set('2026-10-24T08:00:00Z');
    await runBothRunners();
    expect(await onCall.next()).toMatchObject({ data: { onCallChanged: { scheduleId: lisbon, at: '2026-10-24T08:00:00.000Z', primary: { name: 'Rafael' }, backups: [] } } });
    expect((await a.app.services.handoffs.stateOf(lisbon))?.nextHandoffAt).toEqual(new Date('2026-10-25T09:00:00Z'));

    // 08:00 UTC is 08:00 local once the clocks went back at 02:00: no handoff yet (one would come before the 09:00 one).
    clock.set('2026-10-25T08:00:00Z');
    await runBothRunners();
    clock.set('2026-10-25T09:00:00Z');
    await runBothRunners();
    expect(await onCall.next()).toMatchObject({ data: { onCallChanged: { scheduleId: lisbon, at: '2026-10-25T09:00:00.000Z', primary: { name: 'Stefania' } } } });
    onCall.close();
  });

  it('ends with scheduleUpdated(deleted: true) and refuses a scheduleId that is not a UUID', async () => {
    const updates = await subscribe<ScheduleUpdateResult>(clients[1], SCHEDULE_UPDATED, copies[0]);
    await updates.untilLive(
      async () => {
        const name = `copy ${Math.random()}`;
        await a.app.services.schedules.update(copies[0], { name });
        return name;
      },
      (result, name) => result.data?.scheduleUpdated.schedule?.name === name,
    );
    expect((await a.gql(`mutation($id: ID!) { deleteSchedule(input: { id: $id }) { deletedScheduleId } }`, { id: copies[0] })).errors).toBeUndefined();
    expect(await updates.next()).toMatchObject({ data: { scheduleUpdated: { scheduleId: copies[0], deleted: true, schedule: null } } });
    updates.close();

    const refused = new Subscription<OnCallResult>(clients[0], ON_CALL_CHANGED, { id: 'not-a-uuid' });
    await refused.ended();
    expect(refused.received).toEqual([{ errors: [expect.objectContaining({ message: expect.stringContaining('scheduleId'), extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'scheduleId' }) })] }]);
  });
});
